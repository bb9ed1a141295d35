// `hyperframes-live render <entry.html> [-o out.mp4] [--fps N] [--quality draft|standard|high]
//   [--format mp4|webm|png] [--workers N] [--json] [--strict] [--chromium PATH] [--ffmpeg PATH]`
// A progress bar on a terminal (one updating line), plain periodic lines otherwise, one JSON object per
// event with --json; a closing summary. Ctrl+C cancels cleanly. Exit: 0 ok, 1 failed, 2 usage, 130 cancelled.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderJob } from '../engine/render/renderJob';
import type { OutputFormat, RenderOptions, RenderQuality, RenderResult } from '../engine/render/types';
import { RenderCancelledError, StageError, type Logger, type RenderProgress } from '../engine/stages';

export const RENDER_USAGE = `usage: hyperframes-live render <entry.html> [-o out.mp4] [--fps N] [--quality draft|standard|high]
                               [--format mp4|webm|png] [--workers N] [--json] [--strict]
                               [--chromium PATH] [--ffmpeg PATH] [--verbose]`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 130;
/** Without a terminal, a progress line at most this often. */
const PLAIN_PROGRESS_INTERVAL_MS = 2000;
const BAR_WIDTH = 24;

const QUALITIES: readonly RenderQuality[] = ['draft', 'standard', 'high'];
const FORMATS: readonly OutputFormat[] = ['mp4', 'webm', 'png'];

class UsageError extends Error {}

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
  }
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export interface RenderCommand {
  options: RenderOptions;
  json: boolean;
  verbose: boolean;
}

export function parseRenderArgs(argv: string[]): RenderCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      fps: { type: 'string' },
      quality: { type: 'string' },
      format: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      chromium: { type: 'string' },
      ffmpeg: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one entry file expected, got ${positionals.length}` : 'the entry .html file is missing');
  const output = values.output;
  const extension = output ? path.extname(output).slice(1).toLowerCase() : '';
  // The output's extension picks the format when --format is not given (out.webm renders WebM).
  const format = oneOf('format', values.format, FORMATS) ?? (extension === 'webm' ? 'webm' : output && !extension ? 'png' : 'mp4');
  if (output && extension && format !== 'png' && extension !== format) {
    throw new UsageError(`the output "${output}" does not end in .${format}`);
  }
  return {
    options: {
      entryFile: path.resolve(positionals[0]),
      outputPath: output ? path.resolve(output) : undefined,
      format,
      quality: oneOf('quality', values.quality, QUALITIES),
      fps: positiveNumber('fps', values.fps, false),
      workers: positiveNumber('workers', values.workers, true),
      strict: values.strict ?? false,
      chromiumPath: values.chromium,
      ffmpegPath: values.ffmpeg,
    },
    json: values.json ?? false,
    verbose: values.verbose ?? false,
  };
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
    `Rendered ${result.outputPath}`,
    `  ${formatBytes(result.sizeBytes)} · ${result.duration.toFixed(2)} s · ${result.frames} frames at ${result.fps} fps · ${result.width}x${result.height}${result.hasAudio ? ' · with audio' : ''}`,
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

export async function run(argv: string[]): Promise<number> {
  let command: RenderCommand;
  try {
    command = parseRenderArgs(argv);
  } catch (error) {
    process.stderr.write(`hyperframes-live render: ${error instanceof Error ? error.message : String(error)}\n${RENDER_USAGE}\n`);
    return EXIT_USAGE;
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
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
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
      process.stderr.write(cancelled ? 'Render cancelled; nothing was written.\n' : `Render failed${stage ? ` in ${stage}` : ''}: ${message}\n`);
    }
    return cancelled ? EXIT_CANCELLED : EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
