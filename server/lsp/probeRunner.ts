// Runs one probe in the language server's warm browser and turns every way it can end into an outcome the
// session publishes: a result, a browser that cannot start (one clear diagnostic), a failure, or a cancel.
import { WarmBrowser, type BrowserSession } from '../engine/browser';
import type { EngineDiagnostic, Range } from '../engine/model';
import { runProbeStage } from '../engine/probe';
import { RenderCancelledError, type CompileInput, type CompileResult, type Logger, type ProbeResult } from '../engine/stages';
import { ToolNotFoundError } from '../engine/tools';

/** A page that does not close in this long (a script spinning) gets its browser recycled instead. */
const PAGE_CLOSE_GRACE_MS = 1_000;

export type ProbeOutcome =
  | { kind: 'done'; result: ProbeResult }
  | { kind: 'browser-unavailable'; message: string; diagnostic: EngineDiagnostic }
  | { kind: 'failed'; message: string; diagnostic: EngineDiagnostic }
  | { kind: 'cancelled' };

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function rootDiagnostic(compiled: CompileResult, code: 'browser-unavailable' | 'probe-failed', message: string): EngineDiagnostic {
  const composition = compiled.composition;
  return {
    file: composition.entryFile,
    range: composition.rootTagRange ?? START_OF_FILE,
    severity: code === 'browser-unavailable' ? 'warning' : 'error',
    code,
    message,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class ProbeRunner {
  private warm: WarmBrowser;
  private chromiumPath: string;
  private queue: Promise<void> = Promise.resolve();
  /** The session the last probe used, to answer "is a browser running" for Check Environment. */
  private lastSession: BrowserSession | undefined;

  constructor(chromiumPath: string, private readonly logger: Logger) {
    this.chromiumPath = chromiumPath;
    this.warm = new WarmBrowser({ chromiumPath: chromiumPath || undefined, logger });
  }

  /** A new Chromium path takes effect at the next probe: the current browser is closed. */
  async setChromiumPath(chromiumPath: string): Promise<void> {
    if (chromiumPath === this.chromiumPath) return;
    const old = this.warm;
    this.chromiumPath = chromiumPath;
    this.warm = new WarmBrowser({ chromiumPath: chromiumPath || undefined, logger: this.logger });
    await old.close();
  }

  /**
   * Probes run one at a time: the stage kills the whole browser after a hang, and a cancelled probe's page may
   * still be spinning, so a browser is only ever recycled under the one probe using it (and 2 cores gain
   * nothing from two pages loading at once). A probe superseded while it waited its turn never starts.
   */
  run(compiled: CompileResult, compileInput: CompileInput, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
    const turn = this.queue.then(() => this.runExclusive(compiled, compileInput, timeoutMs, signal));
    this.queue = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private async runExclusive(compiled: CompileResult, compileInput: CompileInput, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
    if (signal.aborted) return { kind: 'cancelled' };
    const warm = this.warm;
    let session;
    try {
      session = await warm.acquire();
      this.lastSession = session;
    } catch (error) {
      const why = errorMessage(error);
      const message = error instanceof ToolNotFoundError
        ? why
        : `Chromium could not be started for the probe: ${why}. Check hyperframesLive.chromiumPath, or run "HyperFrames: Check Environment".`;
      this.logger.error(`probe: ${message}`);
      return { kind: 'browser-unavailable', message, diagnostic: rootDiagnostic(compiled, 'browser-unavailable', message) };
    }
    if (signal.aborted) return { kind: 'cancelled' };
    let result: ProbeResult;
    try {
      result = await runProbeStage({ compiled, compileInput, session, timeoutMs, logger: this.logger, signal });
    } catch (error) {
      if (error instanceof RenderCancelledError || signal.aborted) {
        // The page may still be spinning in a script we abandoned: a fresh browser is cheaper than a stuck one.
        await warm.recycle();
        return { kind: 'cancelled' };
      }
      const message = `The probe failed: ${errorMessage(error)}`;
      this.logger.error(`probe: ${message}`);
      await warm.recycle();
      return { kind: 'failed', message, diagnostic: rootDiagnostic(compiled, 'probe-failed', message) };
    }
    await this.release(result, warm);
    if (result.timedOut) await warm.recycle();
    return signal.aborted ? { kind: 'cancelled' } : { kind: 'done', result };
  }

  private async release(result: ProbeResult, warm: WarmBrowser): Promise<void> {
    const { page, fileServer, browser } = result.resources;
    if (page && !page.isClosed()) {
      const closed = await withTimeout(page.close().catch(() => undefined), PAGE_CLOSE_GRACE_MS);
      if (closed === 'timeout') await warm.recycle();
    }
    await fileServer?.close().catch(error => this.logger.warn(`probe: file server close failed: ${errorMessage(error)}`));
    await browser?.close();
  }

  isBrowserRunning(): boolean {
    return this.lastSession !== undefined && !this.lastSession.closed;
  }

  async close(): Promise<void> {
    await this.warm.close();
  }
}
