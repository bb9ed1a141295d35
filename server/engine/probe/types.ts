// The probe stage's contract: what it takes, what it found, and the resources it returns for the caller
// to close (probe/run.ts runs it).
import type { Page } from 'puppeteer-core';
import type { BrowserSession } from '../browser';
import type { CompileInput, CompileResult } from '../compile/types';
import type { FileServerHandle, RefusedRequest } from '../fileServer';
import type { Logger } from '../logger';
import type { Composition, EngineDiagnostic } from '../model';

export interface ProbeInput {
  /** What compile returned; its composition is what the page loads. */
  compiled: CompileResult;
  /** The input compile ran with: the probe recompiles with resolved sub-composition durations. */
  compileInput: CompileInput;
  /** A browser to open the page in (the language server's warm one); launched here when absent. */
  session?: BrowserSession;
  /**
   * The file server to load the page from, lent by the caller (a render, whose capture pages load from it at
   * the same time); the probe neither closes it nor returns it in its resources. Started here when absent.
   */
  fileServer?: FileServerHandle;
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
  /** Set only when the probe started the file server itself (no input.fileServer). */
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
