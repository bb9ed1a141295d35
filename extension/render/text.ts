// What the render UI says, as pure functions (no `vscode` import, so plain Node tests cover them): the
// progress line of the notification, stages in plain words, the success summary, and the exact
// `node <extension>/dist/cli.js render …` command line that reproduces a render.
import path from 'node:path';
import type { OutputFormat, RenderQuality, RenderRange, RenderResult } from '../../server/engine/render/types';
import type { StageName } from '../../server/engine/errors';
import type { RenderProgress } from '../../server/engine/render/events';
import type { RenderJob } from './queue';

const SECONDS_PER_MINUTE = 60;
const BYTES_PER_KIB = 1024;

/** What each stage is doing, as the user would say it ("… failed while <this>"). */
export const STAGE_ACTIVITY: Record<StageName, string> = {
  compile: 'reading the composition',
  probe: 'loading the composition in the browser',
  capture: 'capturing frames',
  encode: 'encoding the video',
  audio: 'mixing the audio',
  mux: 'writing the output file',
};

/** A short title for the notification's stage ("Capturing"). */
const STAGE_TITLE: Record<StageName | 'done', string> = {
  compile: 'Compiling',
  probe: 'Loading',
  capture: 'Capturing',
  encode: 'Encoding',
  audio: 'Mixing audio',
  mux: 'Writing',
  done: 'Done',
};

/** m:ss */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / SECONDS_PER_MINUTE)}:${String(s % SECONDS_PER_MINUTE).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= BYTES_PER_KIB * BYTES_PER_KIB) return `${(bytes / BYTES_PER_KIB / BYTES_PER_KIB).toFixed(1)} MB`;
  return `${(bytes / BYTES_PER_KIB).toFixed(1)} KB`;
}

/**
 * The notification's message: "Capturing · frame 45/60 · 14.2 fps · ETA 0:01" during capture, the stage and
 * how long it has been running otherwise (so the line visibly moves at least every second).
 */
export function progressMessage(progress: RenderProgress, stageElapsedMs: number): string {
  const title = STAGE_TITLE[progress.stage];
  if (progress.stage === 'capture' && progress.totalFrames !== undefined) {
    const parts = [`${title} · frame ${progress.frame ?? 0}/${progress.totalFrames}`];
    if (progress.fps !== undefined) parts.push(`${progress.fps.toFixed(1)} fps`);
    if (progress.etaSeconds !== undefined && Number.isFinite(progress.etaSeconds)) parts.push(`ETA ${formatClock(progress.etaSeconds)}`);
    return parts.join(' · ');
  }
  return `${title}… ${formatClock(stageElapsedMs / 1000)}`;
}

export function queuedMessage(ahead: number): string {
  return `Queued: waiting for ${ahead} render${ahead === 1 ? '' : 's'} to finish`;
}

/** Whole percent of the job, 0..100. */
export function percentOf(progress: RenderProgress | undefined): number {
  return Math.round(Math.min(1, Math.max(0, progress?.fraction ?? 0)) * 100);
}

/** "Rendered renders/hello.mp4 · 2.00 s · 60 frames · 1.2 MB in 4.3 s" */
export function successSummary(result: RenderResult, displayedOutput: string): string {
  const warnings = result.warnings.length ? ` · ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} (see Problems)` : '';
  return `Rendered ${displayedOutput} · ${result.duration.toFixed(2)} s · ${result.frames} frames · ` +
    `${formatBytes(result.sizeBytes)} in ${(result.wallMs / 1000).toFixed(1)} s${warnings}`;
}

// Characters a POSIX shell takes literally in a word; anything else gets single quotes.
const SHELL_SAFE = /^[A-Za-z0-9_\-./=:@%+,]+$/;

export function shellQuote(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface CliCommandInput {
  /**
   * The CLI the extension bundles (`<extensionPath>/dist/cli.js`), by absolute path: a VSIX user has no
   * `hyperframes-live` on PATH, but the bundle runs with any Node ≥ 20.
   */
  cliPath: string;
  entryFile: string;
  outputPath: string;
  format: OutputFormat;
  quality: RenderQuality;
  /** A number, or the rational a render reports ("30000/1001"), which --fps takes as is. */
  fps: number | string;
  workers: number;
  /** --transparent (alpha kept). */
  transparent?: boolean;
  /** The time range asked for (seconds), as --from/--to: the CLI clamps and rounds it the same way. */
  range?: RenderRange;
  /** Paths in the line are relative to this folder (where the terminal opens) when they are inside it. */
  cwd: string | undefined;
  chromiumPath?: string;
  ffmpegPath?: string;
  /** --allow-errors (the user chose "Render Anyway"). */
  allowErrors?: boolean;
  /** --variables '<json>' (the preview's "Render with These Values"). */
  variables?: Record<string, unknown>;
}

function displayArgPath(file: string, cwd: string | undefined): string {
  if (!cwd) return file;
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The `node <cli.js> render …` line that renders exactly what this render did, from a shell in `cwd`. */
export function cliCommandLine(input: CliCommandInput): string {
  const words = [
    'node', input.cliPath, 'render', displayArgPath(input.entryFile, input.cwd),
    '-o', displayArgPath(input.outputPath, input.cwd),
    '--fps', String(input.fps),
    '--quality', input.quality,
    '--format', input.format,
    '--workers', String(input.workers),
  ];
  if (input.transparent) words.push('--transparent');
  if (input.range) {
    words.push('--from', String(input.range.start));
    if (Number.isFinite(input.range.end)) words.push('--to', String(input.range.end));
  }
  if (input.allowErrors) words.push('--allow-errors');
  if (input.variables && Object.keys(input.variables).length > 0) words.push('--variables', JSON.stringify(input.variables));
  if (input.chromiumPath) words.push('--chromium', input.chromiumPath);
  if (input.ffmpegPath) words.push('--ffmpeg', input.ffmpegPath);
  return words.map(shellQuote).join(' ');
}

/**
 * Where a job is, in one line (the Renders view's description, the queue's quick pick): "capture 45% ·
 * frame 27/60", "queued", "done in 4.3 s", "failed in probe", "cancelled".
 */
export function jobStatusLine(job: Pick<RenderJob, 'status' | 'progress' | 'startedAt' | 'endedAt' | 'outcome'>): string {
  switch (job.status) {
    case 'running': {
      const p = job.progress;
      const frames = p?.stage === 'capture' && p.totalFrames !== undefined ? ` · frame ${p.frame ?? 0}/${p.totalFrames}` : '';
      return `${p?.stage ?? 'starting'} ${percentOf(p)}%${frames}`;
    }
    case 'queued': return 'queued';
    case 'done': return `done in ${(((job.endedAt ?? 0) - (job.startedAt ?? 0)) / 1000).toFixed(1)} s`;
    case 'failed': return job.outcome?.status === 'failed' ? `failed in ${job.outcome.failure.stage ?? 'the worker'}` : 'failed';
    case 'cancelled': return 'cancelled';
  }
}
