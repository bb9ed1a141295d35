// Intrinsic media durations by ffprobe, for <video>/<audio> clips written without data-duration.
// The language server compiles on every keystroke, so results are cached per (path, mtime, size) for the
// life of the process: a file that has not changed is probed once.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { DEFAULT_FFPROBE_TIMEOUT_MS, MAX_PARALLEL_MEDIA_PROBES } from '../limits';
import { RenderCancelledError } from '../errors';
import { locateFfprobe } from '../tools';

export interface MediaFacts {
  /** Container duration in seconds; undefined when ffprobe reports none (a still image, a stream). */
  duration: number | undefined;
  hasAudio: boolean;
  /** ffprobe's codec_name of the first video stream (`h264`, `hevc`, …); undefined for audio-only files. */
  videoCodec: string | undefined;
}

export type MediaProbeOutcome = { ok: true; facts: MediaFacts } | { ok: false; reason: string };

interface FfprobeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string }[];
}

const cache = new Map<string, MediaProbeOutcome>();

async function cacheKey(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    return `${file}\0${stat.mtimeMs}\0${stat.size}`;
  } catch {
    return undefined;
  }
}

function runFfprobe(ffprobe: string, file: string, signal: AbortSignal | undefined): Promise<MediaProbeOutcome> {
  const args = ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name', '-of', 'json', file];
  return new Promise(resolve => {
    execFile(ffprobe, args, { timeout: DEFAULT_FFPROBE_TIMEOUT_MS, signal, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = String(stderr).trim().split('\n').pop() || error.message;
        return resolve({ ok: false, reason: detail });
      }
      try {
        const json = JSON.parse(stdout) as FfprobeJson;
        const duration = Number(json.format?.duration);
        const hasAudio = (json.streams ?? []).some(stream => stream.codec_type === 'audio');
        const videoCodec = (json.streams ?? []).find(stream => stream.codec_type === 'video')?.codec_name;
        resolve({ ok: true, facts: { duration: Number.isFinite(duration) && duration > 0 ? duration : undefined, hasAudio, videoCodec } });
      } catch {
        resolve({ ok: false, reason: 'ffprobe printed output that is not JSON' });
      }
    });
  });
}

/**
 * Probes every file (in parallel, a few at a time); the map holds one outcome per file. Throws
 * RenderCancelledError when `signal` fires, ToolNotFoundError when ffprobe is missing and a probe is needed.
 */
export async function probeMediaFiles(files: readonly string[], tools: { ffmpegPath?: string }, signal?: AbortSignal): Promise<Map<string, MediaProbeOutcome>> {
  const outcomes = new Map<string, MediaProbeOutcome>();
  const pending: { file: string; key: string }[] = [];
  for (const file of new Set(files)) {
    const key = await cacheKey(file);
    if (key === undefined) {
      outcomes.set(file, { ok: false, reason: 'the file cannot be read' });
      continue;
    }
    const cached = cache.get(key);
    if (cached) outcomes.set(file, cached);
    else pending.push({ file, key });
  }
  if (pending.length === 0) return outcomes;
  const ffprobe = locateFfprobe({ explicitPath: tools.ffmpegPath }).path;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const { file, key } = pending[next++];
      const outcome = await runFfprobe(ffprobe, file, signal);
      if (signal?.aborted) throw new RenderCancelledError('compile');
      cache.set(key, outcome);
      outcomes.set(file, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_MEDIA_PROBES, pending.length) }, worker));
  return outcomes;
}

/** The first video stream as its decoder sees it: size and colour tags (undefined when not tagged). */
export interface VideoStreamFacts {
  width: number | undefined;
  height: number | undefined;
  pixelFormat: string | undefined;
  /** ffprobe's names: color_space (the matrix), color_range (tv/pc), color_primaries, color_transfer. */
  colorSpace: string | undefined;
  colorRange: string | undefined;
  colorPrimaries: string | undefined;
  colorTransfer: string | undefined;
  /** ffprobe's codec_name. */
  codec: string | undefined;
  /**
   * The pictures carry an alpha channel: a pixel format with one (ProRes 4444, PNG, QuickTime Animation), or
   * WebM's alpha_mode tag (VP8/VP9 keep alpha in a side stream, which the stream's pix_fmt does not show).
   */
  hasAlpha: boolean;
  /** The stream's time base (its timestamps' unit), as [numerator, denominator]; undefined when ffprobe gives none. */
  timeBase: [number, number] | undefined;
  /** When the stream starts, in seconds (the stream's start_time, else the file's; 0 when neither says). */
  startSeconds: number;
  /** ffprobe's format_name of the container ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mpegts"). */
  container: string;
}

interface FfprobeVideoJson {
  streams?: Array<{ codec_name?: string; width?: number; height?: number; pix_fmt?: string; color_space?: string; color_range?: string; color_primaries?: string; color_transfer?: string; time_base?: string; start_time?: string; tags?: Record<string, string> }>;
  format?: { format_name?: string; start_time?: string };
}

const ALPHA_PIXEL_FORMAT = /^(yuva|rgba|bgra|argb|abgr|gbrap|ya8|ya16|ayuv)/;

/** ffprobe says "unknown" (and sometimes "reserved") for a tag the stream does not carry. */
function tag(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === 'unknown' || value === 'reserved' ? undefined : value;
}

/** Probes the first video stream of `file`. Throws (ffprobe's message) when it cannot be read or has none. */
export async function probeVideoStream(ffprobePath: string, file: string, signal?: AbortSignal): Promise<VideoStreamFacts> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries',
    'stream=codec_name,width,height,pix_fmt,color_space,color_range,color_primaries,color_transfer,time_base,start_time:stream_tags:format=format_name,start_time', '-of', 'json', file];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ffprobePath, args, { timeout: DEFAULT_FFPROBE_TIMEOUT_MS, signal, maxBuffer: 1024 * 1024 }, (error, out, stderr) => {
      if (error) reject(new Error(String(stderr).trim().split('\n').pop() || error.message, { cause: error }));
      else resolve(String(out));
    });
  });
  const json = JSON.parse(stdout) as FfprobeVideoJson;
  const stream = json.streams?.[0];
  if (!stream) throw new Error('it has no video stream');
  const [num, den] = (stream.time_base ?? '').split('/').map(Number);
  const start = Number.parseFloat(stream.start_time ?? json.format?.start_time ?? '0');
  return {
    timeBase: num > 0 && den > 0 ? [num, den] : undefined,
    startSeconds: Number.isFinite(start) ? start : 0,
    container: json.format?.format_name ?? '',
    width: stream.width,
    height: stream.height,
    pixelFormat: tag(stream.pix_fmt),
    colorSpace: tag(stream.color_space),
    colorRange: tag(stream.color_range),
    colorPrimaries: tag(stream.color_primaries),
    colorTransfer: tag(stream.color_transfer),
    codec: tag(stream.codec_name),
    // Muxers spell the tag alpha_mode or ALPHA_MODE.
    hasAlpha: ALPHA_PIXEL_FORMAT.test(stream.pix_fmt ?? '') || Object.entries(stream.tags ?? {}).some(([key, value]) => key.toLowerCase() === 'alpha_mode' && value === '1'),
  };
}
