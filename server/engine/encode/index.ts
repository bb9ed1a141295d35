// The encode stage: captured frames stream into one ffmpeg (IVF on stdin, with backpressure: a frame that
// repeats the one before it is not sent, ffmpeg repeats it after the colour conversion, ivfFramePipe.ts), so
// encoding overlaps capture and no folder of temporary images exists for MP4/WebM/MOV (HLS is an MP4 encode
// that hls.ts cuts into segments). A PNG sequence is written straight to a staging folder instead; a GIF
// needs every frame before its palette exists (gif.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Closable } from '../closable';
import type { Logger } from '../logger';
import { ffmpegRate, toFrameRate, type FrameRate } from '../frameRate';
import { FfmpegProcess } from './ffmpegProcess';
import { hdrStreamTags, sdrToHdrFilter, x265HdrParams, type HdrTransfer } from './hdr';
import { ivfFileHeader, ivfFrameHeader } from './ivfFramePipe';

export type OutputFormat = 'mp4' | 'webm' | 'mov' | 'gif' | 'hls' | 'png';
/** What one ffmpeg encodes from the frame pipe: MOV is ProRes 4444; HLS is encoded as MP4 first. */
export type VideoCodecFormat = 'mp4' | 'webm' | 'mov';

/** The containers an HDR render is written to (HEVC Main 10 in both). */
export const HDR_FORMATS: readonly OutputFormat[] = ['mp4', 'mov'];
/** The formats whose output is a folder (the rest write one file). */
export const FOLDER_FORMATS: readonly OutputFormat[] = ['png', 'hls'];
/** Overrides a quality preset's rate control: a constant rate factor, or a target bitrate in bits per second. */
export type RateControl = { crf: number } | { bitrate: number };
export type RenderQuality = 'draft' | 'standard' | 'high';

/** Where captured frames go, in frame order. */
export interface FrameSink extends Closable {
  write(frame: Buffer): Promise<void>;
  /** All frames written: flush and wait for the output to be complete. */
  finish(): Promise<void>;
}

// x264 settings per quality. The CPU is the limit on 2 cores (performance.md §2.4): x264 takes about a
// third of each frame's cost at veryfast, so the default stays at veryfast and `high` buys quality
// with time. CRF 18–20 is visually lossless for flat motion graphics.
// fpsPerThread: 1080p frames one x264 thread encodes a second at that preset, measured here on captured
// frames (a GSAP page; on two video clips veryfast made 52).
const X264_PRESETS: Record<RenderQuality, { preset: string; crf: number; fpsPerThread: number }> = {
  draft: { preset: 'ultrafast', crf: 28, fpsPerThread: 105 },
  standard: { preset: 'veryfast', crf: 18, fpsPerThread: 60 },
  high: { preset: 'slow', crf: 15, fpsPerThread: 22 },
};

/**
 * Most 1080p frames a second one core captures, with a margin: measured 13.7 for a GSAP page (27.3 on 2 cores),
 * less for video pages; a page whose frames are mostly reused sends the encoder repeats, which cost it little.
 */
const CAPTURE_1080P_FPS_PER_CORE = 20;

/**
 * x264's threads: enough to stay ahead of capture, no more. ffmpeg's default, 1.5 per core, spends CPU that
 * capture needs on frame threads waiting for each other: on 2 cores, 150 1080p frames at veryfast took
 * 2.50 s user + 0.35 s system with the default and 2.44 + 0.04 s with one thread, the decoded frames identical
 * (ultrafast identical too; slow within 0.0001 dB). Capture and the encoder both scale with the frame's
 * pixels, so the count depends on the cores and the preset alone.
 */
export function x264Threads(quality: RenderQuality, cores = os.availableParallelism()): number {
  return Math.max(1, Math.ceil((cores * CAPTURE_1080P_FPS_PER_CORE) / X264_PRESETS[quality].fpsPerThread));
}

// x265 for HDR MP4: about 3× x264's time per frame at the same preset here, so one step faster each.
const X265_PRESETS: Record<RenderQuality, { preset: string; crf: number }> = {
  draft: { preset: 'ultrafast', crf: 28 },
  standard: { preset: 'superfast', crf: 18 },
  high: { preset: 'medium', crf: 15 },
};

// VP9 in realtime mode: its good/best deadlines are 10× slower than x264 here.
const VP9_PRESETS: Record<RenderQuality, { cpuUsed: number; crf: number }> = {
  draft: { cpuUsed: 8, crf: 40 },
  standard: { cpuUsed: 8, crf: 31 },
  high: { cpuUsed: 5, crf: 24 },
};

export interface VideoEncoderInput {
  ffmpegPath: string;
  format: VideoCodecFormat;
  quality: RenderQuality;
  /** A rational rate reaches ffmpeg as one ("30000/1001"): the container's time base follows it. */
  fps: number | FrameRate;
  /** Replaces the quality's CRF (MP4, WebM). */
  rateControl?: RateControl;
  /** A keyframe forced at every multiple of this many seconds (HLS segment boundaries). */
  keyframeSeconds?: number;
  /** Image format of the frames written to the sink. */
  frameFormat: 'jpeg' | 'png';
  /** Keep the frames' alpha channel (WebM: VP9 yuva420p; MOV: ProRes 4444 yuva444p10le; PNG frames in). */
  alpha?: boolean;
  /** Write HDR (MP4 or MOV): HEVC Main 10 with this transfer, the SDR frames placed at reference white (hdr.ts). */
  hdr?: { transfer: HdrTransfer };
  /**
   * A keyframe exactly every N frames and nowhere else (closed GOPs, no scene-cut keyframes): a chunk of a
   * render plan is N frames, so chunks cut and concatenated without re-encoding hold the same GOPs. A render
   * runs one encoder per GOP then (gopSegments.ts); this encoder is given at most one GOP.
   */
  keyframeInterval?: number;
  /** The encoder's thread count (MP4, WebM); default: MP4 x264Threads(quality), WebM ffmpeg's, from the CPUs. */
  threads?: number;
  outputFile: string;
  logger: Logger;
  signal?: AbortSignal;
}

/** The ffmpeg arguments for a frame pipe → video file. */
export function videoEncoderArgs(input: Omit<VideoEncoderInput, 'ffmpegPath' | 'logger' | 'signal'>): string[] {
  const { format, quality, fps, frameFormat, outputFile } = input;
  const gop = input.keyframeInterval ? ['-g', String(input.keyframeInterval), '-keyint_min', String(input.keyframeInterval)] : [];
  if (input.alpha && (format === 'mp4' || frameFormat !== 'png')) {
    throw new Error(`Alpha needs PNG frames encoded to WebM or MOV (got ${frameFormat} frames to ${format}).`);
  }
  if (format === 'mov' && frameFormat !== 'png') throw new Error('ProRes 4444 is encoded from PNG frames (4:4:4 colour), not JPEG.');
  const rate = ffmpegRate(fps);
  const threads = input.threads ? ['-threads', String(input.threads)] : [];
  if (input.hdr && (!HDR_FORMATS.includes(format) || input.alpha)) throw new Error(`HDR is written to MP4 or MOV without alpha only (got ${format}${input.alpha ? ' with alpha' : ''}).`);
  const pixelFormat = format === 'mov' ? (input.alpha ? 'yuva444p10le' : 'yuv444p10le') : input.alpha ? 'yuva420p' : 'yuv420p';
  const source = ['-f', 'ivf', '-c:v', frameFormat === 'jpeg' ? 'mjpeg' : 'png', '-i', '-'];
  // The frames not sent (repeats) are filled in after the conversion, where a repeat costs nothing.
  const repeat = `fps=${rate}`;
  if (input.hdr) {
    // MOV too is HEVC here, not ProRes: x265 carries the HDR10 mastering metadata in the stream, which
    // ffmpeg's ProRes encoder cannot, and QuickTime, Premiere and Resolve open HEVC Main 10 in a .mov.
    const { preset, crf } = X265_PRESETS[quality];
    return [
      ...source, '-vf', `${sdrToHdrFilter(input.hdr.transfer)},${repeat}`, ...hdrStreamTags(input.hdr.transfer),
      // bframes=0 as for H.264 (negative DTS); hvc1 so QuickTime and Safari open the file.
      '-c:v', 'libx265', '-preset', preset, ...h26xRate(input.rateControl, crf),
      '-x265-params', `log-level=error:bframes=0:${x265HdrParams(input.hdr.transfer)}`,
      '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', '-r', rate,
      '-movflags', '+faststart', '-f', format, '-y', outputFile,
    ];
  }
  // Chrome's JPEGs are full-range BT.601 YUV of sRGB pixels; convert to limited-range BT.709 and say so in
  // the stream, so players (VS Code's preview included) show the colours the page had. For JPEG input the
  // colorspace filter changes only the matrix and range: swscale's YUV→YUV matrix change shifts chroma
  // (white came out 251,253,250; the reference renders 255,255,255), and it is no faster. PNG frames are
  // RGB, which swscale converts exactly. The filter names its output format: left to a following format
  // filter, a scaler was inserted only to relabel every frame from yuvj420p (9 % of the encoder's CPU on a
  // GSAP page; the frames are the same).
  const conversion = frameFormat === 'jpeg'
    ? 'colorspace=all=bt709:ispace=bt470bg:iprimaries=bt709:itrc=bt709:irange=pc:range=tv:format=yuv420p'
    : `scale=out_range=tv:out_color_matrix=bt709,format=${pixelFormat}`;
  const colourTags = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];
  const colour = ['-vf', `${conversion},${repeat}`, ...colourTags];
  if (format === 'mov') {
    return [
      // prores_ks writes each frame's colour tags rather than the stream's: setparams puts them on the frames.
      ...source, '-vf', `${conversion},setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv,${repeat}`, ...colourTags,
      // ProRes is intra-only at its profile's rate: the quality presets do not apply. apl0 is the vendor
      // id Apple's own encoder writes; some players check it.
      '-c:v', 'prores_ks', '-profile:v', '4444', '-vendor', 'apl0', '-pix_fmt', pixelFormat, '-r', rate,
      '-f', 'mov', '-y', outputFile,
    ];
  }
  // Forced at t = 0, S, 2S…: every HLS segment (cut at the first keyframe past each boundary) starts on one.
  const forcedKeyframes = input.keyframeSeconds ? ['-force_key_frames', `expr:gte(t,n_forced*${input.keyframeSeconds})`] : [];
  if (format === 'mp4') {
    const { preset, crf } = X264_PRESETS[quality];
    return [
      ...source, ...colour, ...forcedKeyframes,
      '-c:v', 'libx264', '-threads', String(input.threads ?? x264Threads(quality)), '-preset', preset, ...h26xRate(input.rateControl, crf),
      // No B-frames: their negative DTS freezes VS Code's video preview and some browsers.
      '-bf', '0', '-pix_fmt', 'yuv420p', '-r', rate,
      // A plan's keyframes only where it says (no scene-cut ones), closed GOPs; each GOP is its own encoder
      // run (gopSegments.ts), so the rate control carries nothing across a seam.
      ...gop, ...(input.keyframeInterval ? ['-sc_threshold', '0', '-flags', '+cgop'] : []),
      '-movflags', '+faststart', '-f', 'mp4', '-y', outputFile,
    ];
  }
  const { cpuUsed, crf } = VP9_PRESETS[quality];
  return [
    ...source, ...colour,
    '-c:v', 'libvpx-vp9', ...threads, '-deadline', 'realtime', '-cpu-used', String(cpuUsed), '-row-mt', '1',
    ...vp9Rate(input.rateControl, crf), '-pix_fmt', pixelFormat, '-r', rate, ...gop,
    // The alpha plane travels as a second VP9 stream in each block's BlockAdditional; alt-ref frames are
    // hidden frames that players decoding that side stream have mishandled (ffmpeg refuses the pair for
    // VP8 outright), so, as the reference producer does, none for transparent output.
    ...(input.alpha ? ['-auto-alt-ref', '0'] : []),
    '-f', 'webm', '-y', outputFile,
  ];
}

/** x264/x265 rate control: the preset's CRF, or the override (a bitrate is average bitrate mode). */
function h26xRate(override: RateControl | undefined, presetCrf: number): string[] {
  if (override && 'bitrate' in override) return ['-b:v', String(override.bitrate)];
  return ['-crf', String(override?.crf ?? presetCrf)];
}

/** VP9: constant quality (-b:v 0 with a CRF), or a target bitrate (VBR). */
function vp9Rate(override: RateControl | undefined, presetCrf: number): string[] {
  if (override && 'bitrate' in override) return ['-b:v', String(override.bitrate)];
  return ['-b:v', '0', '-crf', String(override?.crf ?? presetCrf)];
}

/** Starts ffmpeg reading frames from its stdin. */
export function startVideoEncoder(input: VideoEncoderInput): FrameSink {
  const ffmpeg = new FfmpegProcess({
    ffmpegPath: input.ffmpegPath,
    args: videoEncoderArgs(input),
    stage: 'encode',
    logger: input.logger,
    signal: input.signal,
    stdin: true,
  });
  const stdin = ffmpeg.child.stdin;
  if (!stdin) throw new Error('ffmpeg started without a stdin pipe.');
  // A write after ffmpeg died raises EPIPE on the stream; the real reason is in ffmpeg's exit.
  stdin.on('error', () => undefined);
  let finished = false;
  const send = async (chunks: Buffer[]): Promise<void> => {
    if (stdin.destroyed || ffmpeg.child.exitCode !== null) {
      await ffmpeg.exited;
      throw new Error('ffmpeg stopped reading frames.');
    }
    let flowing = true;
    for (const chunk of chunks) flowing = stdin.write(chunk);
    if (flowing) return;
    // Backpressure: wait until ffmpeg has drained the pipe, or has died.
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => { cleanup(); resolve(); };
      const onClose = () => { cleanup(); ffmpeg.exited.then(() => reject(new Error('ffmpeg stopped reading frames.')), reject); };
      const cleanup = () => { stdin.off('drain', onDrain); stdin.off('close', onClose); };
      stdin.once('drain', onDrain);
      stdin.once('close', onClose);
    });
  };
  let header: Buffer | undefined = ivfFileHeader(input.frameFormat, toFrameRate(input.fps));
  /** The last image sent and its index, and the index the next frame written gets. */
  let lastSent: Buffer | undefined;
  let lastSentIndex = -1;
  let next = 0;
  return {
    async write(frame: Buffer): Promise<void> {
      const index = next++;
      // The same bytes as the frame before: a repeat, which the fps filter fills in (the image is a
      // byte-for-byte equal JPEG/PNG, so the picture is the same).
      if (lastSent?.equals(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength))) return;
      lastSent = frame;
      lastSentIndex = index;
      const chunks = [ivfFrameHeader(frame.length, index), frame];
      if (header) chunks.unshift(header);
      header = undefined;
      await send(chunks);
    },
    async finish(): Promise<void> {
      // The fps filter stops at the last frame it was sent: trailing repeats need their last frame sent.
      if (lastSent && lastSentIndex < next - 1) await send([ivfFrameHeader(lastSent.length, next - 1), lastSent]);
      finished = true;
      stdin.end();
      await ffmpeg.exited;
    },
    async close(): Promise<void> {
      if (!finished) stdin.destroy();
      await ffmpeg.close();
    },
  };
}

/** `frame-00001.png`: 1-based, five digits (more when the render is longer). */
export function pngFrameName(index: number, frameCount: number): string {
  const digits = Math.max(5, String(frameCount).length);
  return `frame-${String(index + 1).padStart(digits, '0')}.png`;
}

/** Writes PNG frames into `folder` (a staging folder the caller renames into place). */
export function startPngSequenceWriter(folder: string, frameCount: number): FrameSink {
  fs.mkdirSync(folder, { recursive: true });
  let next = 0;
  return {
    async write(frame: Buffer): Promise<void> {
      await fs.promises.writeFile(path.join(folder, pngFrameName(next, frameCount)), new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
      next++;
    },
    async finish(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
