// The contracts between the render job sequencer and its stages. A stage takes one input object and
// returns one result object; it never writes shared job state. Resources a stage opens (browser, page,
// file server, child processes) are returned in its result and closed by the caller in `finally`.
import type { Page } from 'puppeteer-core';
import type { BrowserSession } from './browser';
import type { FileServerHandle, RefusedRequest } from './fileServer';
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
  /**
   * The ffmpeg the user chose (setting or --ffmpeg): media are measured with the ffprobe beside it, the one
   * the rest of the job uses. Passed explicitly; nothing reads it from the process environment behind a caller's back.
   */
  ffmpegPath?: string;
  /** The editor's hyperframesLive.lint.rules: override the project's hyperframes.json "lint.rules". */
  lintRules?: Readonly<Record<string, 'off' | 'info' | 'warning' | 'error'>>;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Lines [compiledStartLine, compiledEndLine) of the compiled page (0-based, end exclusive) were written
 * in `file` from `sourceStartLine` (0-based) on, one for one.
 */
export interface CompiledLineMapping {
  compiledStartLine: number;
  compiledEndLine: number;
  file: string;
  sourceStartLine: number;
}

export interface CompileResult {
  composition: Composition;
  diagnostics: EngineDiagnostic[];
  compileMs: number;
  /** Where each line of `composition.compiledHtml` comes from (sub-compositions are spliced in). */
  lineMap?: CompiledLineMapping[];
}

export interface ProbeInput {
  /** What compile returned; its composition is what the page loads. */
  compiled: CompileResult;
  /** The input compile ran with: the probe recompiles with resolved sub-composition durations. */
  compileInput: CompileInput;
  /** A browser to open the page in (the language server's warm one); launched here when absent. */
  session?: BrowserSession;
  /** Where to find Chromium when the probe launches it. */
  chromiumPath?: string;
  /** How long the page may take to load and settle before it is called hung (DEFAULT_PROBE_TIMEOUT_MS). */
  timeoutMs?: number;
  /** dist/runtime.js, when not beside the running bundle. */
  runtimePath?: string;
  logger?: Logger;
  signal?: AbortSignal;
}

/** One console message of the page, with where it was written when the browser knows. */
export interface ProbeConsoleLine {
  type: string;
  text: string;
  url: string | undefined;
  /** 0-based, as the browser reports it. */
  line: number | undefined;
}

export interface ProbeFailedRequest {
  url: string;
  /** net::ERR_… for a network failure, "HTTP 404" for an error status, "refused" for the file server's 403. */
  failure: string;
  status: number | undefined;
  resourceType: string;
}

export interface ProbePageError {
  message: string;
  stack: string | undefined;
  /** Where it was thrown, mapped to the source file (undefined when the browser gave no location). */
  location: { file: string; line: number; column: number } | undefined;
}

/** Resources the probe opened; the caller closes them (the renderer captures from the loaded page). */
export interface ProbeResources {
  page: Page | undefined;
  fileServer: FileServerHandle | undefined;
  /** Set only when the probe launched the browser itself (no input.session). */
  browser: BrowserSession | undefined;
}

export interface ProbeResult {
  /** The composition the page runs: recompiled when sub-composition durations were resolved, with the
   * browser's duration when it was not static. */
  composition: Composition;
  /** Probe diagnostics only (compile's are in the CompileResult). */
  diagnostics: EngineDiagnostic[];
  /** Seconds; 0 when the page never settled or nothing gives it a length. */
  duration: number;
  frameCount: number;
  console: ProbeConsoleLine[];
  failedRequests: ProbeFailedRequest[];
  refusedRequests: RefusedRequest[];
  pageErrors: ProbePageError[];
  /** True when the page never became ready within the timeout (the browser was recycled). */
  timedOut: boolean;
  /** The recompile with resolved sub-composition durations, when there was one (its diagnostics replace
   * the first compile's). */
  recompiled: CompileResult | undefined;
  /** Compile time of the first compile plus any recompile. */
  compileMs: number;
  probeMs: number;
  resources: ProbeResources;
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
