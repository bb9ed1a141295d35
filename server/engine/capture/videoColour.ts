// What colours a video's frames are, and how an extracted JPEG keeps them.
//
// A JPEG is decoded by the browser as JFIF says: full-range BT.601 Y'CbCr. ffmpeg's mjpeg encoder takes the
// decoded Y'CbCr as it is (only the range is stretched), so a BT.709 source written straight to JPEG is
// read back with the wrong matrix: pure red 251 shows as 229, green gains red. The extract step therefore
// converts every source from its own matrix and range to full-range BT.601 in the filter graph, a
// per-pixel matrix in swscale (measured within 2 levels of an exact decode, ~4 ms per 1080p frame).
//
// Which matrix and range a source has: its tags when it has them (what ffprobe reports). An untagged
// source gets what Chromium shows for the same <video>, measured on chromium 156 and headless-shell:
// BT.601 when the picture is under 720 rows tall, BT.709 from 720 rows on (1280x718 and 1920x700 decode as
// BT.601; 1280x720, 960x720 and 720x1280 as BT.709), limited range unless the pixel format is a "j" one.
// Primaries and transfer are not converted: Chromium shows SDR smpte170m/bt470bg sources without gamut
// mapping (a smpte170m-tagged red 250 stays 250), so neither do we.
import type { VideoStreamFacts } from '../compile/mediaProbe';

/** The Y'CbCr → RGB matrices swscale knows, by its own names (scale's in_color_matrix). */
export type YuvMatrix = 'bt709' | 'bt601' | 'bt2020' | 'smpte240m' | 'fcc';

export interface SourceColour {
  /** Undefined for RGB sources (no matrix: swscale converts them to JFIF exactly). */
  matrix: YuvMatrix | undefined;
  range: 'tv' | 'pc';
  /** True when the matrix was chosen by Chromium's rule for untagged video, not read from the source. */
  guessed: boolean;
}

/** Chromium decodes untagged video at least this tall as BT.709, shorter as BT.601 (measured, see above). */
export const UNTAGGED_BT709_MIN_HEIGHT = 720;

/** ffprobe's color_space names → swscale's matrix names. Unknown, reserved and RGB tags are absent. */
const MATRIX_BY_TAG: Record<string, YuvMatrix> = {
  bt709: 'bt709',
  smpte170m: 'bt601',
  bt470bg: 'bt601',
  bt2020nc: 'bt2020',
  bt2020c: 'bt2020',
  smpte240m: 'smpte240m',
  fcc: 'fcc',
};

const RGB_PIXEL_FORMAT = /^(gbr|rgb|bgr|argb|abgr|rgba|bgra|0rgb|rgb0|0bgr|bgr0|x2rgb|x2bgr|pal8)/;

export function sourceColour(stream: Pick<VideoStreamFacts, 'height' | 'pixelFormat' | 'colorSpace' | 'colorRange'>): SourceColour {
  const pixelFormat = stream.pixelFormat ?? '';
  const range = stream.colorRange === 'pc' || (stream.colorRange !== 'tv' && pixelFormat.startsWith('yuvj')) ? 'pc' : 'tv';
  if (stream.colorSpace === 'gbr' || RGB_PIXEL_FORMAT.test(pixelFormat)) return { matrix: undefined, range: 'pc', guessed: false };
  const tagged = stream.colorSpace === undefined ? undefined : MATRIX_BY_TAG[stream.colorSpace];
  if (tagged) return { matrix: tagged, range, guessed: false };
  return { matrix: (stream.height ?? 0) >= UNTAGGED_BT709_MIN_HEIGHT ? 'bt709' : 'bt601', range, guessed: true };
}

/**
 * The ffmpeg filter that turns decoded frames of a source with `colour` into what a JPEG decoder reads
 * back as the same RGB: full-range BT.601 4:2:0.
 */
export function jpegColourFilter(colour: SourceColour): string {
  if (colour.matrix === undefined) return 'format=yuvj420p';
  return `scale=in_color_matrix=${colour.matrix}:in_range=${colour.range}:out_color_matrix=bt601:out_range=pc,format=yuvj420p`;
}

/** One line for the log: what the source was taken to be. */
export function describeColour(colour: SourceColour): string {
  if (colour.matrix === undefined) return 'RGB';
  return `${colour.matrix} ${colour.range === 'pc' ? 'full' : 'limited'} range${colour.guessed ? ' (untagged: Chromium\'s default for its height)' : ''}`;
}
