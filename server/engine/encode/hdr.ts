// HDR signals: which transfer functions a source or an output can carry, how an HDR output is tagged, and
// how the captured (SDR) page is placed into it.
//
// An HDR render captures the page in SDR, like every render: Chromium's screenshots are 8-bit sRGB. The
// encoder then converts each frame into the HDR signal: sRGB decoded to linear light, BT.709 primaries
// converted to BT.2020 (so a page colour looks on an HDR display as it does on an SDR one), and SDR white
// placed at the ITU-R BT.2408 reference white, 203 cd/m² (PQ 58 %, HLG 75 %). zimg does all of it in one
// zscale (measured: sRGB white lands on PQ 0.581 and HLG 0.750). The reference puts the page's pixels into
// the HDR signal the same way for PQ (203 nits) but keeps their BT.709 values as BT.2020 ones (more
// saturated on an HDR display) and puts HLG white at 100 % signal (the display's peak); we follow BT.2408.
// Video clips reach the page tone-mapped to SDR (capture/videoColour.ts), so no pixel of the output is
// brighter than reference white: the mastering metadata says exactly that.
import { execFile } from 'node:child_process';
import { StageError } from '../errors';
import type { Logger } from '../logger';

export type HdrTransfer = 'pq' | 'hlg';

/** ffmpeg's (and ffprobe's) names of the transfer functions. */
export const HDR_TRANSFER_TAGS: Record<HdrTransfer, string> = { pq: 'smpte2084', hlg: 'arib-std-b67' };

/** The transfer of an HDR stream from ffprobe's color_transfer; undefined for SDR (BT.2020 primaries alone are not HDR). */
export function hdrTransferOfTag(colorTransfer: string | undefined): HdrTransfer | undefined {
  if (colorTransfer === HDR_TRANSFER_TAGS.pq) return 'pq';
  if (colorTransfer === HDR_TRANSFER_TAGS.hlg) return 'hlg';
  return undefined;
}

/**
 * The transfer an HDR render is written with: PQ when any source is PQ (HDR10, the common delivery format),
 * else HLG, also when no source is HDR (HLG shows acceptably on SDR displays too), as the reference chooses.
 */
export function outputHdrTransfer(sourceTransfers: Iterable<HdrTransfer>): HdrTransfer {
  for (const transfer of sourceTransfers) if (transfer === 'pq') return 'pq';
  return 'hlg';
}

/** ITU-R BT.2408 reference ("graphics") white: where SDR white sits in an HDR signal, in cd/m². */
export const SDR_WHITE_NITS = 203;

/**
 * SMPTE ST 2086 mastering display for HDR10, in x265's notation (chromaticities ×50000, luminance ×10000):
 * P3-D65 primaries in the BT.2020 container, 0.0001–1000 cd/m², the usual grading-suite default.
 */
export const HDR10_MASTER_DISPLAY = 'G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)';

/**
 * CTA-861.3 content light level (MaxCLL,MaxFALL in cd/m²): nothing in our output is brighter than
 * reference white (the page is SDR, clips are tone-mapped), so both are SDR_WHITE_NITS, which tells an HDR
 * display it needs no tone mapping of its own.
 */
export const HDR10_MAX_CLL = `${SDR_WHITE_NITS},${SDR_WHITE_NITS}`;

/** zscale's names for the output transfers. */
const ZSCALE_TRANSFER: Record<HdrTransfer, string> = { pq: 'smpte2084', hlg: 'arib-std-b67' };

/**
 * The filter that turns captured frames into the HDR signal, 10-bit limited-range BT.2020 non-constant
 * luminance. JPEG frames are full-range BT.601 Y'CbCr of sRGB pixels (what Chromium writes); PNG frames are
 * sRGB RGB (zscale ignores the matrix then).
 */
export function sdrToHdrFilter(transfer: HdrTransfer): string {
  return `zscale=matrixin=470bg:rangein=full:primariesin=709:transferin=iec61966-2-1:` +
    `m=2020_ncl:p=2020:t=${ZSCALE_TRANSFER[transfer]}:r=limited:npl=${SDR_WHITE_NITS},format=yuv420p10le`;
}

/** The stream tags of an HDR output (ffmpeg output options). */
export function hdrStreamTags(transfer: HdrTransfer): string[] {
  return ['-colorspace', 'bt2020nc', '-color_primaries', 'bt2020', '-color_trc', HDR_TRANSFER_TAGS[transfer], '-color_range', 'tv'];
}

/**
 * x265's VUI tags and, for PQ (HDR10), the static metadata SEI. HLG is scene-referred: displays adapt it
 * without ST 2086 metadata, and HLG streams carry none.
 */
export function x265HdrParams(transfer: HdrTransfer): string {
  const tags = `colorprim=bt2020:transfer=${HDR_TRANSFER_TAGS[transfer]}:colormatrix=bt2020nc:range=limited`;
  return transfer === 'pq' ? `${tags}:hdr10=1:master-display=${HDR10_MASTER_DISPLAY}:max-cll=${HDR10_MAX_CLL}` : tags;
}

/** The ffmpeg filters and encoder an HDR render and an HDR source's tone mapping need. */
const HDR_FILTERS = ['zscale', 'tonemap'] as const;
const HDR_ENCODER = 'libx265';

const support = new Map<string, Promise<string | undefined>>();

/**
 * Undefined when `ffmpegPath` has what HDR needs (zscale from libzimg, tonemap, and for HDR output
 * libx265); otherwise what is missing, for the error. Asked once per ffmpeg.
 */
export function missingHdrSupport(ffmpegPath: string, needEncoder: boolean): Promise<string | undefined> {
  const key = `${ffmpegPath}\0${needEncoder}`;
  let answer = support.get(key);
  if (!answer) {
    answer = Promise.all([listOf(ffmpegPath, '-filters'), needEncoder ? listOf(ffmpegPath, '-encoders') : Promise.resolve('')]).then(([filters, encoders]) => {
      const missing: string[] = HDR_FILTERS.filter(name => !new RegExp(`^\\s*\\S+\\s+${name}\\s`, 'm').test(filters)).map(name => `the ${name} filter`);
      if (needEncoder && !new RegExp(`^\\s*\\S+\\s+${HDR_ENCODER}\\s`, 'm').test(encoders)) missing.push(`the ${HDR_ENCODER} encoder`);
      return missing.length ? missing.join(' and ') : undefined;
    });
    support.set(key, answer);
  }
  return answer;
}

function listOf(ffmpegPath: string, what: '-filters' | '-encoders'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, ['-hide_banner', what], { maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(String(stdout));
    });
  });
}

/**
 * What an HDR render is encoded with, given the transfers of its HDR clips; a StageError when this ffmpeg
 * cannot write HDR. Without an HDR source the render is HLG, with a warning (as the reference does).
 */
export async function hdrOutput(ffmpegPath: string, sourceTransfers: readonly HdrTransfer[], logger: Logger): Promise<{ transfer: HdrTransfer }> {
  const missing = await missingHdrSupport(ffmpegPath, true);
  if (missing) throw new StageError('encode', `An HDR render needs ${missing}, which ${ffmpegPath} does not have: use an ffmpeg built with libzimg and libx265 (Debian's has both; --ffmpeg PATH chooses one).`, 'hdr-encoder-unavailable');
  const transfer = outputHdrTransfer(sourceTransfers);
  if (sourceTransfers.length === 0) logger.warn('HDR output without an HDR source: written as HLG, with the page at reference white.');
  logger.info(`HDR output: ${transfer.toUpperCase()}, BT.2020, HEVC 10-bit`);
  return { transfer };
}
