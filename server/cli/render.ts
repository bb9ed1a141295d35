// `hyperframes-live render <entry.html | project folder> [options]` (every option in usage.ts RENDER_USAGE).
// A progress bar on a terminal (one updating line), plain periodic lines otherwise, one JSON object per
// event with --json; a closing summary. Ctrl+C or SIGTERM cancels cleanly (a second one, or a cleanup that
// outlasts WORKER_CANCEL_GRACE_MS, exits at once; the exit hook still kills the browsers and ffmpeg and removes
// temporary files). Exit: 0 ok, 1 failed, 2 usage, 130 cancelled.
import path from 'node:path';
import { H26X_CRF_BOUNDS, HLS_SEGMENT_SECONDS_BOUNDS, MAX_GIF_LOOP, MAX_RENDER_SCALE, VP9_CRF_BOUNDS, WORKER_CANCEL_GRACE_MS } from '../engine/limits';
import { FOLDER_FORMATS, HDR_FORMATS, type RateControl } from '../engine/encode';
import { FrameRateError, parseFrameRate } from '../engine/frameRate';
import { RATE_CONTROL_FORMATS, TRANSPARENT_HLS_MESSAGE } from '../engine/render/formats';
import { RESOLUTION_ALIASES, RESOLUTION_PRESET_NAMES, resolutionPreset } from '../engine/render/resolution';
import { HDR_FORMAT_MESSAGE, renderJob, TRANSPARENT_MP4_MESSAGE } from '../engine/render/renderJob';
import type { OutputFormat, RenderOptions, RenderQuality, RenderResult } from '../engine/render/types';
import { RenderCancelledError, StageError } from '../engine/errors';
import type { Logger } from '../engine/logger';
import type { RenderProgress } from '../engine/render/events';
import { compile } from '../engine/compile';
import { outputName, rangeSuffix } from '../engine/render/output';
import { ToolNotFoundError } from '../engine/tools';
import { parseArgs, UsageError, type FlagSpec } from './args';
import { resolveEntry } from './entry';
import { batchRequest, runBatchCommand, type BatchRequest } from './batch';
import { displayPath } from './format';
import { PROGRAM, RENDER_USAGE, reportUsageError } from './usage';
import { readVariablesFlags, reviewVariables } from './variables';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_CANCELLED = 130;
/** Without a terminal, a progress line at most this often. */
const PLAIN_PROGRESS_INTERVAL_MS = 2000;
const BAR_WIDTH = 24;

const QUALITIES: readonly RenderQuality[] = ['draft', 'standard', 'high'];
const FORMATS: readonly OutputFormat[] = ['mp4', 'webm', 'mov', 'gif', 'hls', 'png'];
/** The output extensions that choose the format when --format is not given. */
const FORMAT_OF_EXTENSION: Partial<Record<string, OutputFormat>> = { mp4: 'mp4', webm: 'webm', mov: 'mov', gif: 'gif' };
/** `--video-bitrate` units: 800k, 5M, 1.5M, or plain bits per second. */
const BITRATE_UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

const RENDER_FLAGS = {
  output: { kind: 'string', short: 'o' },
  fps: { kind: 'string' },
  crf: { kind: 'number', integer: true, min: H26X_CRF_BOUNDS.min, max: VP9_CRF_BOUNDS.max },
  'video-bitrate': { kind: 'string' },
  scale: { kind: 'number', integer: true, min: 1, max: MAX_RENDER_SCALE },
  resolution: { kind: 'string', choices: [...RESOLUTION_PRESET_NAMES, ...Object.keys(RESOLUTION_ALIASES)] },
  'gif-loop': { kind: 'number', integer: true, min: 0, max: MAX_GIF_LOOP },
  'hls-segment-seconds': { kind: 'number', min: HLS_SEGMENT_SECONDS_BOUNDS.min, max: HLS_SEGMENT_SECONDS_BOUNDS.max },
  quality: { kind: 'string', choices: QUALITIES },
  format: { kind: 'string', choices: FORMATS },
  workers: { kind: 'number', min: 1, integer: true },
  from: { kind: 'number', min: 0 },
  to: { kind: 'number', min: 0 },
  transparent: { kind: 'boolean' },
  hdr: { kind: 'boolean' },
  sdr: { kind: 'boolean' },
  json: { kind: 'boolean' },
  strict: { kind: 'boolean' },
  'allow-errors': { kind: 'boolean' },
  variables: { kind: 'string' },
  'variables-file': { kind: 'string' },
  'strict-variables': { kind: 'boolean' },
  batch: { kind: 'string' },
  'batch-concurrency': { kind: 'number', min: 1, integer: true },
  'batch-fail-fast': { kind: 'boolean' },
  chromium: { kind: 'string' },
  ffmpeg: { kind: 'string' },
  verbose: { kind: 'boolean' },
  'capture-every-frame': { kind: 'boolean' },
  'video-frame-cache': { kind: 'string' },
  'video-frame-cache-mb': { kind: 'number', min: 0 },
  help: { kind: 'boolean', short: 'h' },
} as const satisfies Record<string, FlagSpec>;

export interface RenderCommand {
  /** The entry as typed: an .html file or a project folder (run() resolves it). */
  entry: string;
  options: RenderOptions;
  /** -h/--help: print the usage, render nothing. */
  help: boolean;
  json: boolean;
  verbose: boolean;
  /** --strict-variables: a variable that is not declared or has the wrong type fails the render. */
  strictVariables?: boolean;
  /** --batch: one render per row (batch.ts). */
  batch?: BatchRequest;
}

/** Throws UsageError for a command line that cannot be understood. */
export function parseRenderArgs(argv: string[]): RenderCommand {
  const { positionals, flags } = parseArgs(argv, RENDER_FLAGS);
  if (flags.help) return { entry: '', options: { entryFile: '' }, help: true, json: false, verbose: false };
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one entry file expected, got ${positionals.length}.` : 'the entry .html file is missing.');
  const output = flags.output;
  const extension = output ? path.extname(output).slice(1).toLowerCase() : '';
  // The output's extension picks the format when --format is not given (out.webm renders WebM, out.gif a
  // GIF; a name without an extension is a PNG folder; a transparent render defaults to WebM).
  const transparent = flags.transparent ?? false;
  const format = (flags.format as OutputFormat | undefined) ??
    FORMAT_OF_EXTENSION[extension] ?? (output && !extension ? 'png' : extension === 'mp4' || !transparent ? 'mp4' : 'webm');
  if (transparent && format === 'mp4') throw new UsageError(TRANSPARENT_MP4_MESSAGE);
  if (transparent && format === 'hls') throw new UsageError(TRANSPARENT_HLS_MESSAGE);
  if (flags.hdr && flags.sdr) throw new UsageError('--hdr and --sdr contradict each other: choose one.');
  if (flags.hdr && (!HDR_FORMATS.includes(format) || transparent)) throw new UsageError(HDR_FORMAT_MESSAGE);
  if (output && extension && !FOLDER_FORMATS.includes(format) && extension !== format) {
    throw new UsageError(`the output "${output}" does not end in .${format}.`);
  }
  if (flags.from !== undefined && flags.to !== undefined && flags.to <= flags.from) {
    throw new UsageError(`--to must be after --from (got --from ${flags.from} --to ${flags.to}).`);
  }
  const rateControl = parseRateControl(flags.crf, flags['video-bitrate'], format);
  if (flags['gif-loop'] !== undefined && format !== 'gif') throw new UsageError(`--gif-loop applies to --format gif only (the format is ${format}).`);
  if (flags['hls-segment-seconds'] !== undefined && format !== 'hls') throw new UsageError(`--hls-segment-seconds applies to --format hls only (the format is ${format}).`);
  if (flags.scale !== undefined && flags.resolution !== undefined) throw new UsageError('--scale and --resolution both set the output size: choose one.');
  let fps: RenderOptions['fps'];
  try {
    const rate = flags.fps === undefined ? undefined : parseFrameRate(flags.fps);
    // A whole rate stays a number (what settings and the composition's data-fps give too).
    fps = rate && rate.den === 1 ? rate.num : rate;
  } catch (error) {
    if (error instanceof FrameRateError) throw new UsageError(`--fps: ${error.message}`);
    throw error;
  }
  // Without --to the range runs to the composition's end (the engine clamps an end past it).
  const range = flags.from !== undefined || flags.to !== undefined
    ? { start: flags.from ?? 0, end: flags.to ?? Number.POSITIVE_INFINITY }
    : undefined;
  return {
    entry: positionals[0],
    help: false,
    strictVariables: flags['strict-variables'] ?? false,
    batch: batchRequest(flags.batch, flags['batch-concurrency'], flags['batch-fail-fast']),
    options: {
      entryFile: path.resolve(positionals[0]),
      outputPath: output ? path.resolve(output) : undefined,
      format,
      quality: flags.quality as RenderQuality | undefined,
      fps,
      range,
      ...(rateControl ? { rateControl } : {}),
      ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
      ...(flags.resolution !== undefined ? { resolution: resolutionPreset(flags.resolution) } : {}),
      ...(flags['gif-loop'] !== undefined ? { gifLoop: flags['gif-loop'] } : {}),
      ...(flags['hls-segment-seconds'] !== undefined ? { hlsSegmentSeconds: flags['hls-segment-seconds'] } : {}),
      workers: flags.workers,
      ...(transparent ? { transparent } : {}),
      ...(flags.hdr ? { hdr: true } : {}),
      strict: flags.strict ?? false,
      variables: readVariablesFlags(flags.variables, flags['variables-file']),
      ...(flags['allow-errors'] ? { allowErrors: true } : {}),
      ...(flags['capture-every-frame'] ? { reuseStaticFrames: false } : {}),
      ...(flags['video-frame-cache'] ? { videoFrameCacheDir: path.resolve(flags['video-frame-cache']) } : {}),
      ...(flags['video-frame-cache-mb'] !== undefined ? { videoFrameCacheBytes: Math.round(flags['video-frame-cache-mb'] * 1024 * 1024) } : {}),
      chromiumPath: flags.chromium,
      ffmpegPath: flags.ffmpeg,
    },
    json: flags.json ?? false,
    verbose: flags.verbose ?? false,
  };
}

/** --crf N or --video-bitrate RATE (never both), for the formats with a quality preset to override. */
function parseRateControl(crf: number | undefined, bitrate: string | undefined, format: OutputFormat): RateControl | undefined {
  if (crf !== undefined && bitrate !== undefined) throw new UsageError('--crf and --video-bitrate are mutually exclusive: choose one.');
  if (crf === undefined && bitrate === undefined) return undefined;
  const flag = crf !== undefined ? '--crf' : '--video-bitrate';
  if (!RATE_CONTROL_FORMATS.includes(format)) throw new UsageError(`${flag} applies to ${RATE_CONTROL_FORMATS.join(', ')} (the format is ${format}).`);
  if (crf !== undefined) {
    const max = format === 'webm' ? VP9_CRF_BOUNDS.max : H26X_CRF_BOUNDS.max;
    if (crf > max) throw new UsageError(`--crf for ${format} must be at most ${max} (got ${crf}).`);
    return { crf };
  }
  const match = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(bitrate!.trim());
  if (!match) throw new UsageError(`--video-bitrate needs a rate such as 800k or 5M (got "${bitrate}").`);
  return { bitrate: Math.round(Number(match[1]) * BITRATE_UNITS[match[2].toLowerCase()]) };
}

/** A missing tool is named as the tool (with how to install it or point at it), not as a failed stage. */
function failureLine(error: unknown, stage: string | undefined, message: string, options: RenderOptions): string {
  if (error instanceof StageError && error.cause instanceof ToolNotFoundError) {
    const flag = error.cause.tool === 'chromium' ? '--chromium' : '--ffmpeg';
    const given = flag === '--chromium' ? options.chromiumPath : options.ffmpegPath;
    return `${PROGRAM} render: ${message}${given ? '' : ` Or pass ${flag} PATH.`}`;
  }
  return `Render failed${stage ? ` in ${stage}` : ''}: ${message}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  return ` · ETA ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function progressLine(p: RenderProgress): string {
  const filled = Math.round(p.fraction * BAR_WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  const pct = `${String(Math.round(p.fraction * 100)).padStart(3)}%`;
  const frames = p.totalFrames !== undefined ? ` frame ${p.frame ?? 0}/${p.totalFrames}` : '';
  const fps = p.fps !== undefined ? ` · ${p.fps.toFixed(1)} fps` : '';
  return `${bar} ${pct} ${p.stage}${frames}${fps}${formatEta(p.etaSeconds)}${p.message && !frames ? ` · ${p.message}` : ''}`;
}

export function summaryLines(result: RenderResult): string[] {
  const t = result.timings;
  const stages = (['compile', 'probe', 'capture', 'encode', 'audio', 'mux'] as const)
    .filter(name => t[`${name}Ms`] !== undefined)
    .map(name => `${name} ${t[`${name}Ms`]} ms`)
    .join(' · ');
  return [
    `Rendered ${displayPath(result.outputPath)}`,
    `  ${formatBytes(result.sizeBytes)} · ${result.duration.toFixed(2)} s · ${result.frames} frames at ${result.frameRate ?? result.fps} fps · ${result.width}x${result.height}${result.hasAudio ? ' · with audio' : ''}` +
      (result.range ? ` · ${result.range.start.toFixed(2)}–${result.range.end.toFixed(2)} s of the composition` : ''),
    `  wall ${(result.wallMs / 1000).toFixed(2)} s · ${result.renderFps} frames/s · ${result.captureMode} capture, ${result.workers} worker${result.workers === 1 ? '' : 's'}`,
    `  ${stages}`,
  ];
}

function cliLogger(verbose: boolean, write: (line: string) => void): Logger {
  return {
    trace() {},
    debug: message => { if (verbose) write(`debug: ${message}`); },
    info: message => { if (verbose) write(message); },
    warn: message => write(`warning: ${message}`),
    error: message => write(`error: ${message}`),
  };
}

/**
 * renders/<name><range>.<ext> in a project folder given as the entry: <name> is hyperframes.json's "name",
 * else the composition's id, else what the engine names it from the file (undefined).
 */
async function projectOutputPath(folder: string, entryFile: string, projectName: string | undefined, options: RenderOptions): Promise<string | undefined> {
  const format = options.format ?? 'mp4';
  let name = projectName;
  if (!name) {
    // A compile without media probes only to read the root's id; a broken entry falls back to the engine's name.
    name = await compile({ entryFile, probeMedia: false }).then(result => result.composition.id ?? undefined, () => undefined);
  }
  if (!name) return undefined;
  const file = name.replace(/[\\/:*?"<>|]+/g, '-') + rangeSuffix(options.range);
  return path.join(folder, 'renders', outputName(file, format));
}

export async function run(argv: string[]): Promise<number> {
  let command: RenderCommand;
  try {
    command = parseRenderArgs(argv);
    if (command.help) {
      process.stdout.write(`${RENDER_USAGE}\n`);
      return EXIT_OK;
    }
    const resolved = resolveEntry(command.entry);
    command.options.entryFile = resolved.entryFile;
    const folder = path.resolve(command.entry);
    if (!command.options.outputPath && resolved.entryFile !== folder) {
      command.options.outputPath = await projectOutputPath(folder, resolved.entryFile, resolved.projectName, command.options);
    }
    if (command.batch) {
      return await runBatchCommand({ batch: command.batch, options: command.options, strictVariables: command.strictVariables ?? false, json: command.json, verbose: command.verbose });
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('render', error.message);
  }
  const { json } = command;
  const tty = !json && process.stderr.isTTY === true;
  let lineOpen = false;
  const clearLine = () => { if (lineOpen) { process.stderr.write('\r\x1b[2K'); lineOpen = false; } };
  const logger = cliLogger(command.verbose, line => { clearLine(); process.stderr.write(`${line}\n`); });

  let lastPlain = 0;
  let lastStage = '';
  const onProgress = (p: RenderProgress) => {
    if (json) return void process.stdout.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
    if (tty) {
      process.stderr.write(`\r\x1b[2K${progressLine(p)}`);
      lineOpen = true;
      return;
    }
    const now = Date.now();
    if (p.stage !== lastStage || now - lastPlain >= PLAIN_PROGRESS_INTERVAL_MS) {
      lastStage = p.stage;
      lastPlain = now;
      process.stderr.write(`${progressLine(p)}\n`);
    }
  };

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    // process.exit runs the exit hook of ownedResources.ts: browsers and ffmpeg killed, temporary files removed.
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    controller.abort();
    setTimeout(() => process.exit(EXIT_CANCELLED), WORKER_CANCEL_GRACE_MS).unref();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    await reviewVariables(command.options.entryFile, command.options.variables, command.strictVariables ?? false, logger);
    const result = await renderJob(command.options, { onProgress, signal: controller.signal, logger });
    clearLine();
    if (json) process.stdout.write(`${JSON.stringify({ event: 'result', ...result })}\n`);
    else process.stdout.write(`${summaryLines(result).join('\n')}\n`);
    return EXIT_OK;
  } catch (error) {
    clearLine();
    const cancelled = error instanceof RenderCancelledError;
    const stage = error instanceof StageError || error instanceof RenderCancelledError ? error.stage : undefined;
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      process.stdout.write(`${JSON.stringify({ event: cancelled ? 'cancelled' : 'error', stage, code: error instanceof StageError ? error.code : undefined, message })}\n`);
    } else {
      process.stderr.write(cancelled ? 'Render cancelled; nothing was written.\n' : `${failureLine(error, stage, message, command.options)}\n`);
    }
    return cancelled ? EXIT_CANCELLED : EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
