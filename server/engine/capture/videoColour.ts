// What colours a video's frames are, and how an extracted JPEG keeps them.
//
// A JPEG is decoded by the browser as JFIF says: full-range BT.601 Y'CbCr. ffmpeg's mjpeg encoder takes the
// decoded Y'CbCr as it is (only the range is stretched), so a BT.709 source written straight to JPEG is
// read back with the wrong matrix: pure red 251 shows as 229, green gains red. The extract step therefore
// converts every source from its own matrix and range to full-range BT.601 in the filter graph, with ffmpeg's
// colorspace filter (a Y'CbCr → Y'CbCr matrix, primaries and transfer left alone). Measured on a 1080p camera
// clip against an exact RGB decode of the source: 46.4 dB, against 42.1 dB for swscale's matrix change, and
// 3 ms a frame instead of 8 (swscale goes through RGB).
//
// Which matrix and range a source has: its tags when it has them (what ffprobe reports). An untagged
// source gets what Chromium shows for the same <video>, measured on chromium 156 and headless-shell:
// BT.601 when the picture is under 720 rows tall, BT.709 from 720 rows on (1280x718 and 1920x700 decode as
// BT.601; 1280x720, 960x720 and 720x1280 as BT.709), limited range unless the pixel format is a "j" one.
// Primaries and transfer are not converted: Chromium shows SDR smpte170m/bt470bg sources without gamut
// mapping (a smpte170m-tagged red 250 stays 250), so neither do we.
//
// HDR sources (transfer PQ or HLG; BT.2020 primaries alone are not HDR) are tone-mapped to BT.709 SDR first,
// with the reference's curve, so an HDR clip looks in our SDR render as in its `--sdr` one: linear light with
// 100 cd/m² at 1.0, Hable's filmic curve with no desaturation, BT.709 primaries and transfer (zimg for the
// conversions, ffmpeg's tonemap for the curve). The curve's peak is the source's own: its MaxCLL, else its
// mastering display's peak, else 10,000 cd/m² for PQ and 1,000 for HLG (what ffmpeg's tonemap reads from each
// frame). Against the reference's --sdr output of the same PQ and HLG sources: 40.8 dB, patches within 3 levels.
import type { VideoStreamFacts } from '../compile/mediaProbe';
import { HDR_TRANSFER_TAGS, hdrTransferOfTag, type HdrTransfer } from '../encode/hdr';

/** The Y'CbCr → RGB matrices swscale knows, by its own names (scale's in_color_matrix). */
export type YuvMatrix = 'bt709' | 'bt601' | 'bt2020' | 'smpte240m' | 'fcc';

export interface SourceColour {
  /** Undefined for RGB sources (no matrix: swscale converts them to JFIF exactly). */
  matrix: YuvMatrix | undefined;
  range: 'tv' | 'pc';
  /** True when the matrix was chosen by Chromium's rule for untagged video, not read from the source. */
  guessed: boolean;
  /** An HDR source: its transfer and the tags its frames are read with (BT.2020 when untagged). */
  hdr?: { transfer: HdrTransfer; colorSpace: string; primaries: string };
}

/** Linear light 1.0 is this many cd/m² when an HDR source is tone-mapped (zscale's npl; the reference's value). */
export const TONE_MAP_LINEAR_WHITE_NITS = 100;

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

export function sourceColour(stream: Pick<VideoStreamFacts, 'height' | 'pixelFormat' | 'colorSpace' | 'colorRange'> & Partial<Pick<VideoStreamFacts, 'colorPrimaries' | 'colorTransfer'>>): SourceColour {
  const pixelFormat = stream.pixelFormat ?? '';
  const range = stream.colorRange === 'pc' || (stream.colorRange !== 'tv' && pixelFormat.startsWith('yuvj')) ? 'pc' : 'tv';
  const transfer = hdrTransferOfTag(stream.colorTransfer);
  if (transfer) {
    const colorSpace = stream.colorSpace !== undefined && MATRIX_BY_TAG[stream.colorSpace] ? stream.colorSpace : 'bt2020nc';
    return { matrix: MATRIX_BY_TAG[colorSpace], range, guessed: false, hdr: { transfer, colorSpace, primaries: stream.colorPrimaries ?? 'bt2020' } };
  }
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
  // Tone-mapped frames are float RGB (tonemap works in linear light, and the last zscale keeps the format), which
  // the colorspace filter does not take: swscale turns RGB into JFIF Y'CbCr exactly.
  if (colour.hdr) return `${toneMapFilter(colour.hdr, colour.range)},scale=out_color_matrix=bt601:out_range=pc,format=yuvj420p`;
  if (colour.matrix === undefined) return 'format=yuvj420p';
  if (colour.matrix === 'bt601' && colour.range === 'pc') return JFIF_ALREADY;
  // The input's primaries and transfer are stated as the output's: the filter then only changes the matrix
  // and range (it refuses frames whose primaries it does not know, and untagged ones are common). Its output
  // format is named: left to negotiation, a 4:2:0 source trimmed by -t reached it already stretched to full
  // range by an inserted scaler, and red 255 came out 248. Its frames are marked full range, which the JPEG
  // encoder takes as they are (-strict unofficial, videoFrameExtraction.ts): the same bytes as after a
  // yuvj420p relabelling, without the scaler copying every frame for it (6 % of the extraction's CPU).
  return `colorspace=all=bt709:space=bt470bg:range=pc:ispace=${COLORSPACE_MATRIX[colour.matrix]}:irange=${colour.range}:iprimaries=bt709:itrc=bt709:format=yuv420p`;
}

/**
 * The filter that turns decoded frames of a source with an alpha channel into straight RGBA for a PNG: the
 * source's own matrix and range to RGB in swscale (PNG has no Y'CbCr), the alpha plane kept.
 */
export function pngColourFilter(colour: SourceColour): string {
  if (colour.matrix === undefined) return 'format=rgba';
  return `scale=in_color_matrix=${colour.matrix}:in_range=${colour.range},format=rgba`;
}

/** Decoder arguments (before -i) that keep a source's alpha: ffmpeg's own VP8/VP9 decoders drop WebM's alpha side stream. */
export function alphaDecoderArgs(codec: string | undefined): string[] {
  if (codec === 'vp9') return ['-c:v', 'libvpx-vp9'];
  if (codec === 'vp8') return ['-c:v', 'libvpx'];
  return [];
}

/** Full-range BT.601 is JFIF already: a copy (the colorspace filter refuses a conversion that changes nothing). */
const JFIF_ALREADY = 'scale=in_color_matrix=bt601:in_range=pc:out_color_matrix=bt601:out_range=pc,format=yuvj420p';

/** swscale's matrix names → the colorspace filter's. */
const COLORSPACE_MATRIX: Record<YuvMatrix, string> = {
  bt709: 'bt709',
  bt601: 'smpte170m',
  bt2020: 'bt2020ncl',
  smpte240m: 'smpte240m',
  fcc: 'fcc',
};

/**
 * HDR → BT.709 limited-range Y'CbCr (see the header). setparams first: zscale converts from the frame's own
 * tags, and a decoder may leave them unset where the container has them.
 */
function toneMapFilter(hdr: NonNullable<SourceColour['hdr']>, range: SourceColour['range']): string {
  return `setparams=colorspace=${hdr.colorSpace}:color_primaries=${hdr.primaries}:color_trc=${HDR_TRANSFER_TAGS[hdr.transfer]}:range=${range},` +
    `zscale=t=linear:npl=${TONE_MAP_LINEAR_WHITE_NITS},tonemap=hable:desat=0,zscale=p=bt709:t=bt709:m=bt709:r=tv`;
}

/** One line for the log: what the source was taken to be. */
export function describeColour(colour: SourceColour): string {
  if (colour.hdr) return `HDR ${colour.hdr.transfer.toUpperCase()} ${colour.hdr.primaries}, tone-mapped to BT.709`;
  if (colour.matrix === undefined) return 'RGB';
  return `${colour.matrix} ${colour.range === 'pc' ? 'full' : 'limited'} range${colour.guessed ? ' (untagged: Chromium\'s default for its height)' : ''}`;
}
