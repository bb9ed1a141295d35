// The frame pipe into the encoder's ffmpeg: IVF (a 32-byte file header, then per frame its size and its
// timestamp), carrying the captured JPEG/PNG images as they are. Unlike image2pipe, each frame says when it
// is, so a frame that repeats the one before it (a static frame: a hold) is not sent at all: ffmpeg's fps
// filter repeats the previous picture after its colour conversion, and the encoder sees the same frames as
// before (the output is bit-identical) without the pipe, the JPEG decode and the conversion of every repeat.
import { type FrameRate } from '../frameRate';

/** IVF's codec tags for the frame images (ffmpeg reads them as its BMP tags: mjpeg, png). */
const IVF_FOURCC = { jpeg: 'MJPG', png: 'MPNG' } as const;
const FILE_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 12;

/**
 * The file header. The time base is one output frame (den/num seconds), so a frame's timestamp is its
 * index. Width and height stay 0: ffmpeg takes them from the first image.
 */
export function ivfFileHeader(format: 'jpeg' | 'png', rate: FrameRate): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  header.write('DKIF', 0, 'latin1');
  header.writeUInt16LE(0, 4); // version
  header.writeUInt16LE(FILE_HEADER_BYTES, 6);
  header.write(IVF_FOURCC[format], 8, 'latin1');
  header.writeUInt32LE(rate.num, 16); // time base denominator
  header.writeUInt32LE(rate.den, 20); // time base numerator
  return header;
}

/** The header in front of one image: its size and its timestamp (the output frame index). */
export function ivfFrameHeader(bytes: number, frameIndex: number): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32LE(bytes, 0);
  header.writeBigUInt64LE(BigInt(frameIndex), 4);
  return header;
}
