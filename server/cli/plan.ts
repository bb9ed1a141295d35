// `hyperframes-live plan <entry> -o <planDir>` (freeze a render plan), and `render` with `--chunks N` or
// `--farm redis://HOST:PORT` (a chunked render here, or on the farm). The render flags are render's own
// (parseRenderArgs); this module takes only its flags out first. Progress prints as render prints it.
import path from 'node:path';
import { WORKER_CANCEL_GRACE_MS } from '../engine/limits';
import { RenderCancelledError, StageError } from '../engine/errors';
import type { Logger } from '../engine/logger';
import { describeFrameRate } from '../engine/frameRate';
import type { RenderProgress } from '../engine/render/events';
import { buildPlan } from '../engine/plan/build';
import { renderChunked, type ChunkedRenderResult } from '../engine/chunks/renderChunked';
import { renderOnFarm } from '../farm/submit';
import { UsageError } from './args';
import { resolveEntry } from './entry';
import { displayPath } from './format';
import { parseRenderArgs, progressLine } from './render';
import { PLAN_USAGE, reportUsageError } from './usage';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_CANCELLED = 130;
const PLAIN_PROGRESS_INTERVAL_MS = 2000;

/** The flags of ours among render's: `--name value` or `--name=value`; the rest is left for parseRenderArgs. */
export function takeFlags(argv: readonly string[], names: readonly string[]): { taken: Record<string, string>; rest: string[] } {
  const taken: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = names.find(n => arg === n || arg.startsWith(`${n}=`));
    if (!name) { rest.push(arg); continue; }
    if (arg.includes('=')) taken[name] = arg.slice(name.length + 1);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`${name} needs a value.`);
      taken[name] = value;
      i++;
    }
  }
  return { taken, rest };
}

function wholeNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} needs a whole number, at least 1 (got "${raw}").`);
  return value;
}

/** Does this render command line ask for a chunked or farm render? */
export function wantsDistributedRender(argv: readonly string[]): boolean {
  return argv.some(arg => /^--(chunks|farm)(=|$)/.test(arg));
}

interface Ui {
  logger: Logger;
  onProgress: (progress: RenderProgress) => void;
  clearLine: () => void;
}

function terminalUi(json: boolean, verbose: boolean): Ui {
  const tty = !json && process.stderr.isTTY === true;
  let lineOpen = false;
  const clearLine = () => { if (lineOpen) { process.stderr.write('\r\x1b[2K'); lineOpen = false; } };
  const write = (line: string) => { clearLine(); process.stderr.write(`${line}\n`); };
  let lastPlain = 0;
  let lastStage = '';
  return {
    clearLine,
    logger: {
      trace() {},
      debug: message => { if (verbose) write(`debug: ${message}`); },
      info: message => { if (verbose) write(message); },
      warn: message => write(`warning: ${message}`),
      error: message => write(`error: ${message}`),
    },
    onProgress: p => {
      if (json) return void process.stdout.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
      if (tty) { process.stderr.write(`\r\x1b[2K${progressLine(p)}`); lineOpen = true; return; }
      const now = Date.now();
      if (p.stage !== lastStage || now - lastPlain >= PLAIN_PROGRESS_INTERVAL_MS) {
        lastStage = p.stage;
        lastPlain = now;
        process.stderr.write(`${progressLine(p)}\n`);
      }
    },
  };
}

/** Ctrl+C / SIGTERM abort; a second one, or a cleanup past the grace period, exits at once. */
function cancelOnSignals(controller: AbortController): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    controller.abort();
    setTimeout(() => process.exit(EXIT_CANCELLED), WORKER_CANCEL_GRACE_MS * 3).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); };
}

function failure(error: unknown, json: boolean): number {
  const cancelled = error instanceof RenderCancelledError;
  const stage = error instanceof StageError || error instanceof RenderCancelledError ? error.stage : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ event: cancelled ? 'cancelled' : 'error', stage, code: error instanceof StageError ? error.code : undefined, message })}\n`);
  else process.stderr.write(cancelled ? 'Render cancelled; nothing was written.\n' : `Render failed${stage ? ` in ${stage}` : ''}${error instanceof StageError ? ` (${error.code})` : ''}: ${message}\n`);
  return cancelled ? EXIT_CANCELLED : EXIT_FAILED;
}

export function chunkedSummaryLines(result: ChunkedRenderResult & { chunkWorkers?: string[] }): string[] {
  const t = result.chunkTimings;
  const slowest = Math.max(...t.perChunkMs);
  return [
    `Rendered ${displayPath(result.outputPath)}`,
    `  ${(result.sizeBytes / 1024 / 1024).toFixed(1)} MB · ${result.duration.toFixed(2)} s · ${result.frames} frames at ${describeFrameRate(result.fps)} fps · ${result.width}x${result.height}${result.hasAudio ? ' · with audio' : ''}`,
    `  wall ${(result.wallMs / 1000).toFixed(2)} s · ${result.chunks} chunk(s) · plan ${result.planHash.slice(0, 12)}`,
    `  plan ${t.planMs} ms · chunks ${t.chunksMs} ms (slowest ${slowest} ms) · assemble ${t.assembleMs} ms`,
    ...(result.chunkWorkers ? [`  workers: ${[...new Set(result.chunkWorkers)].join(', ')}`] : []),
  ];
}

/** `render … --chunks N` / `render … --farm URL [--storage DIR]`. */
export async function runDistributedRender(argv: string[]): Promise<number> {
  let chunks: number | undefined;
  let farm: string | undefined;
  let storage: string | undefined;
  let command: ReturnType<typeof parseRenderArgs>;
  try {
    const { taken, rest } = takeFlags(argv, ['--chunks', '--farm', '--storage']);
    chunks = wholeNumber('--chunks', taken['--chunks']);
    farm = taken['--farm'];
    storage = taken['--storage'];
    if (storage !== undefined && farm === undefined) throw new UsageError('--storage is where farm workers exchange plans and chunks: it needs --farm.');
    command = parseRenderArgs(rest);
    if (command.help) throw new UsageError('see `render --help`.');
    const resolved = resolveEntry(command.entry);
    command.options.entryFile = resolved.entryFile;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('render', error.message);
  }
  const ui = terminalUi(command.json, command.verbose);
  const controller = new AbortController();
  const release = cancelOnSignals(controller);
  try {
    const callbacks = { onProgress: ui.onProgress, signal: controller.signal, logger: ui.logger };
    const result = farm !== undefined
      ? await renderOnFarm({ render: command.options, redisUrl: farm, chunks, storageDir: storage ? path.resolve(storage) : undefined }, callbacks)
      : await renderChunked(command.options, chunks ?? 1, callbacks);
    ui.clearLine();
    process.stdout.write(command.json ? `${JSON.stringify({ event: 'result', ...result })}\n` : `${chunkedSummaryLines(result).join('\n')}\n`);
    return EXIT_OK;
  } catch (error) {
    ui.clearLine();
    return failure(error, command.json);
  } finally {
    release();
  }
}

/** `plan <entry> -o <planDir> [--chunks N | --chunk-frames N] [render options]`. */
export async function run(argv: string[]): Promise<number> {
  let planDir: string;
  let chunks: number | undefined;
  let chunkFrames: number | undefined;
  let command: ReturnType<typeof parseRenderArgs>;
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${PLAN_USAGE}\n`);
      return EXIT_OK;
    }
    const { taken, rest } = takeFlags(argv, ['-o', '--output', '--chunks', '--chunk-frames']);
    const out = taken['-o'] ?? taken['--output'];
    if (!out) throw new UsageError('the plan folder is missing: -o DIR.');
    planDir = path.resolve(out);
    chunks = wholeNumber('--chunks', taken['--chunks']);
    chunkFrames = wholeNumber('--chunk-frames', taken['--chunk-frames']);
    if (chunks !== undefined && chunkFrames !== undefined) throw new UsageError('--chunks and --chunk-frames both size the chunks: choose one.');
    command = parseRenderArgs(rest);
    command.options.entryFile = resolveEntry(command.entry).entryFile;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('plan', error.message);
  }
  const ui = terminalUi(command.json, command.verbose);
  const controller = new AbortController();
  const release = cancelOnSignals(controller);
  try {
    const plan = await buildPlan({ render: command.options, chunks, chunkFrames, planDir, logger: ui.logger, signal: controller.signal });
    const { config } = plan;
    if (command.json) process.stdout.write(`${JSON.stringify({ event: 'plan', planDir, planHash: plan.planHash, config, tools: plan.tools, files: plan.files.length })}\n`);
    else {
      process.stdout.write([
        `Planned ${displayPath(planDir)} (${plan.planHash})`,
        `  ${config.frameCount} frames at ${describeFrameRate(config.frameRate)} fps · ${config.width * config.scale}x${config.height * config.scale} · ${config.format} ${config.quality}`,
        `  ${config.chunkCount} chunk(s) of ${config.chunkFrames} frames · ${plan.files.length} files${plan.audio ? ' · audio' : ''}`,
        `  ${plan.tools.chromium} · ${plan.tools.ffmpeg.split(' Copyright')[0]}`,
      ].join('\n') + '\n');
    }
    return EXIT_OK;
  } catch (error) {
    return failure(error, command.json);
  } finally {
    release();
  }
}
