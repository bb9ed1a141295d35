// One probe in a warm browser, and every way it can end: a result, a browser that cannot start, a probe
// that failed, or a cancel. `check` (a browser of its own, closed after) and the language server (one warm
// browser for every save) both run this, so they classify every ending the same way and the editor and
// the command line agree on every diagnostic.
import type { WarmBrowser, WarmConfiguration } from '../browser';
import { compositionUsesWebGpu } from '../compile/gpuUsage';
import { PAGE_CLOSE_GRACE_MS } from '../limits';
import { START_OF_FILE } from '../compile/sourceText';
import type { EngineDiagnostic } from '../model';
import type { CompileInput, CompileResult } from '../compile/types';
import { RenderCancelledError } from '../errors';
import type { Logger } from '../logger';
import type { ProbeResult } from './types';
import { ToolNotFoundError } from '../tools';
import { runProbeStage } from './run';

export type ProbeOutcome =
  | { kind: 'done'; result: ProbeResult }
  | { kind: 'browser-unavailable'; message: string; diagnostic: EngineDiagnostic; /** No Chromium was found (not: found, but it failed to start). */ toolMissing: boolean }
  | { kind: 'failed'; message: string; diagnostic: EngineDiagnostic }
  | { kind: 'cancelled' };

export interface ProbeInBrowserInput {
  compiled: CompileResult;
  compileInput: CompileInput;
  browser: WarmBrowser;
  timeoutMs?: number;
  runtimePath?: string;
  logger: Logger;
  signal?: AbortSignal;
}


/**
 * The composition could not be probed: an error on its root, in the editor as on the command line (nothing
 * the browser would have found is known, and a render would fail the same way).
 */
function unprobedDiagnostic(compiled: CompileResult, code: 'browser-unavailable' | 'probe-failed', message: string): EngineDiagnostic {
  const { composition } = compiled;
  return { file: composition.entryFile, range: composition.rootTagRange ?? START_OF_FILE, severity: 'error', code, message };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function probeInBrowser(input: ProbeInBrowserInput): Promise<ProbeOutcome> {
  const { compiled, compileInput, browser, logger, signal } = input;
  if (signal?.aborted) return { kind: 'cancelled' };
  // The configuration the render will capture this page with, so the probe sees what the render will.
  const configuration: WarmConfiguration = { webGpu: compositionUsesWebGpu(compiled.composition) };
  let session;
  try {
    session = await browser.acquire(configuration);
  } catch (error) {
    const why = errorMessage(error);
    const message = error instanceof ToolNotFoundError
      ? `The composition could not be probed: ${why}`
      : `The composition could not be probed: Chromium could not be started (${why}). Run "HyperFrames: Check Environment" or \`hyperframes-live check --chromium PATH\`.`;
    logger.error(`probe: ${message}`);
    return { kind: 'browser-unavailable', message, diagnostic: unprobedDiagnostic(compiled, 'browser-unavailable', message), toolMissing: error instanceof ToolNotFoundError };
  }
  if (signal?.aborted) return { kind: 'cancelled' };
  let result: ProbeResult;
  try {
    result = await runProbeStage({ compiled, compileInput, session, timeoutMs: input.timeoutMs, runtimePath: input.runtimePath, logger, signal });
  } catch (error) {
    // The page may be in any state (spinning in a script we abandoned): a fresh browser is cheaper than a stuck one.
    await browser.recycle(configuration);
    if (error instanceof RenderCancelledError || signal?.aborted) return { kind: 'cancelled' };
    const message = `The probe failed: ${errorMessage(error)}`;
    logger.error(`probe: ${message}`);
    return { kind: 'failed', message, diagnostic: unprobedDiagnostic(compiled, 'probe-failed', message) };
  }
  await releaseProbe(result, browser, configuration, logger);
  return signal?.aborted ? { kind: 'cancelled' } : { kind: 'done', result };
}

/** Closes the probe's page and file server; a page that will not close, or a hung probe, costs the browser. */
async function releaseProbe(result: ProbeResult, browser: WarmBrowser, configuration: WarmConfiguration, logger: Logger): Promise<void> {
  const { page, fileServer } = result.resources;
  result.resources.page = undefined;
  result.resources.fileServer = undefined;
  // A hung page cannot be closed: its renderer is stuck in a script, and only a new browser frees it.
  let recycle = result.timedOut;
  if (page && !page.isClosed() && !recycle) {
    const closed = await withTimeout(page.close().catch(() => undefined), PAGE_CLOSE_GRACE_MS);
    if (closed === 'timeout') recycle = true;
  }
  await fileServer?.close().catch(error => logger.warn(`probe: file server close failed: ${errorMessage(error)}`));
  if (recycle) await browser.recycle(configuration);
}
