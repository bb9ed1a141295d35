// The contracts between the render job sequencer and its stages. A stage takes one input object and
// returns one result object; it never writes shared job state. Resources a stage opens (browser, page,
// file server, child processes) are returned in its result and closed by the caller in `finally`.
import type { Composition, EngineDiagnostic } from './model';

/** Observability hook passed into every stage (the extension routes it to its LogOutputChannel). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export type StageName = 'compile' | 'probe' | 'capture' | 'encode' | 'audio' | 'mux';

/** Every pipeline failure names its stage; `code` is stable for callers that branch on it. */
export class StageError extends Error {
  constructor(
    readonly stage: StageName,
    message: string,
    readonly code: string = 'stage-failed',
    readonly diagnostics: EngineDiagnostic[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StageError';
  }
}

/** Thrown by any stage when its AbortSignal fires. */
export class RenderCancelledError extends Error {
  constructor(readonly stage: StageName | 'queued') {
    super(`Render cancelled during ${stage}.`);
    this.name = 'RenderCancelledError';
  }
}

/** A resource with an async close; the sequencer keeps a stack of these and closes them in reverse. */
export interface Closable {
  close(): Promise<void>;
}

export interface CompileInput {
  entryFile: string;
  /** Unsaved editor text wins over the disk (language server); return undefined to read the disk. */
  readOverlay?: (absolutePath: string) => string | undefined;
  /** Probe media without data-duration with ffprobe (default true). */
  probeMedia?: boolean;
  /** Durations the browser resolved for sub-composition hosts (host clip id → seconds): the recompile. */
  resolvedDurations?: Record<string, number>;
  /** Overrides the root's data-fps (the render's --fps). */
  fps?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface CompileResult {
  composition: Composition;
  diagnostics: EngineDiagnostic[];
  compileMs: number;
}

/** Timings per stage in milliseconds, recorded by the sequencer only. */
export type StageTimings = Partial<Record<`${StageName}Ms`, number>> & { totalMs?: number };

/** A progress event of a render job (also sent over the protocol and printed by `render --json`). */
export interface RenderProgress {
  stage: StageName | 'done';
  /** Frames captured so far and the total, during capture/encode. */
  frame?: number;
  totalFrames?: number;
  /** Captured frames per second over the last second or so. */
  fps?: number;
  /** Seconds left, estimated. */
  etaSeconds?: number;
  /** 0..1 over the whole job. */
  fraction: number;
  message?: string;
}
