// What each output format needs from the rest of the render, decided once: the image format frames are
// captured in, the audio codec its container carries, its default frame rate, and which render options it
// can honour (an option it cannot is refused before anything starts, with the reason).
import type { AudioCodec } from '../audio';
import type { FrameImageFormat } from '../capture';
import type { OutputFormat } from '../encode';
import { StageError } from '../errors';
import { fpsValue, type FrameRate } from '../frameRate';
import { DEFAULT_GIF_FPS, H26X_CRF_BOUNDS, HLS_SEGMENT_SECONDS_BOUNDS, MAX_FPS, MAX_GIF_LOOP, MIN_FPS, VIDEO_BITRATE_BOUNDS, VP9_CRF_BOUNDS } from '../limits';
import type { RenderOptions } from './types';

/** The formats whose quality preset `rateControl` (--crf / --video-bitrate) overrides. */
export const RATE_CONTROL_FORMATS: readonly OutputFormat[] = ['mp4', 'webm', 'hls'];

/** Why a transparent HLS render is refused (the CLI says the same at argument parsing). */
export const TRANSPARENT_HLS_MESSAGE = 'HLS is H.264, which has no alpha channel: use --format mov, webm, gif or png for a transparent render.';

/**
 * PNG wherever the output keeps alpha or more than 4:2:0 colour (a PNG sequence, ProRes 4444, a GIF's
 * palette, any transparent render); JPEG for the opaque 4:2:0 video formats (faster to capture and pipe).
 */
export function captureImageFormat(format: OutputFormat, transparent: boolean): FrameImageFormat {
  return transparent || format === 'png' || format === 'mov' || format === 'gif' ? 'png' : 'jpeg';
}

/** The audio a format's container carries; undefined: none (a GIF, PNG frames). */
export function audioCodecOf(format: OutputFormat): AudioCodec | undefined {
  switch (format) {
    case 'mp4': case 'hls': return 'aac';
    case 'webm': return 'opus';
    // Editing software takes PCM in MOV without a decode step.
    case 'mov': return 'pcm';
    case 'gif': case 'png': return undefined;
  }
}

/** The frame rate asked for, or the format's own default; undefined: the composition's data-fps. */
export function requestedFrameRate(format: OutputFormat, fps: RenderOptions['fps']): number | FrameRate | undefined {
  return fps ?? (format === 'gif' ? DEFAULT_GIF_FPS : undefined);
}

function refuse(message: string, code: string): never {
  throw new StageError('compile', message, code);
}

/** Refuses the options `format` cannot honour and values out of their bounds (stage: compile, before any work). */
export function checkFormatOptions(format: OutputFormat, options: RenderOptions): void {
  if (options.transparent && format === 'hls') refuse(TRANSPARENT_HLS_MESSAGE, 'transparent-hls');
  if (options.fps !== undefined) {
    const fps = fpsValue(options.fps);
    const exact = typeof options.fps === 'number' || (Number.isInteger(options.fps.num) && Number.isInteger(options.fps.den) && options.fps.den > 0);
    if (!exact || !Number.isFinite(fps) || fps < MIN_FPS || fps > MAX_FPS) refuse(`The frame rate must be between ${MIN_FPS} and ${MAX_FPS} fps, as a number or a rational of whole numbers.`, 'invalid-fps');
  }
  const rate = options.rateControl;
  if (rate) {
    if (!RATE_CONTROL_FORMATS.includes(format)) refuse(`A CRF or a video bitrate applies to ${RATE_CONTROL_FORMATS.join(', ')}; ${format} has no such setting.`, 'rate-control-format');
    if ('crf' in rate) {
      const bounds = format === 'webm' ? VP9_CRF_BOUNDS : H26X_CRF_BOUNDS;
      if (!Number.isInteger(rate.crf) || rate.crf < bounds.min || rate.crf > bounds.max) refuse(`The CRF for ${format} must be a whole number from ${bounds.min} to ${bounds.max} (got ${rate.crf}).`, 'invalid-crf');
    } else if (!Number.isFinite(rate.bitrate) || rate.bitrate < VIDEO_BITRATE_BOUNDS.min || rate.bitrate > VIDEO_BITRATE_BOUNDS.max) {
      refuse(`The video bitrate must be between ${VIDEO_BITRATE_BOUNDS.min} and ${VIDEO_BITRATE_BOUNDS.max} bits per second (got ${rate.bitrate}).`, 'invalid-bitrate');
    }
  }
  if (options.gifLoop !== undefined && (!Number.isInteger(options.gifLoop) || options.gifLoop < 0 || options.gifLoop > MAX_GIF_LOOP)) {
    refuse(`The GIF loop count must be a whole number from 0 (forever) to ${MAX_GIF_LOOP} (got ${options.gifLoop}).`, 'invalid-gif-loop');
  }
  const segment = options.hlsSegmentSeconds;
  if (segment !== undefined && (!Number.isFinite(segment) || segment < HLS_SEGMENT_SECONDS_BOUNDS.min || segment > HLS_SEGMENT_SECONDS_BOUNDS.max)) {
    refuse(`The HLS segment length must be from ${HLS_SEGMENT_SECONDS_BOUNDS.min} to ${HLS_SEGMENT_SECONDS_BOUNDS.max} seconds (got ${segment}).`, 'invalid-hls-segment');
  }
}
