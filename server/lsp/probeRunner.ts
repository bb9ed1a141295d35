// Runs the language server's probes in its warm browser, one at a time (engine/probe/inBrowser.ts decides
// how each ends, as it does for `check`), and answers whether a browser is running for Check Environment.
import { WarmBrowser } from '../engine/browser';
import { probeInBrowser, type ProbeOutcome } from '../engine/probe/inBrowser';
import type { CompileInput, CompileResult } from '../engine/compile/types';
import type { Logger } from '../engine/logger';

export type { ProbeOutcome } from '../engine/probe/inBrowser';

export class ProbeRunner {
  private warm: WarmBrowser;
  private chromiumPath: string;
  private queue: Promise<void> = Promise.resolve();

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
   * Probes run one at a time: a hung probe costs the whole browser, and a cancelled probe's page may
   * still be spinning, so a browser is only ever recycled under the one probe using it (and 2 cores gain
   * nothing from two pages loading at once). A probe superseded while it waited its turn never starts.
   */
  run(compiled: CompileResult, compileInput: CompileInput, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
    const turn = this.queue.then(() => this.runExclusive(compiled, compileInput, timeoutMs, signal));
    this.queue = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private runExclusive(compiled: CompileResult, compileInput: CompileInput, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
    return probeInBrowser({ compiled, compileInput, browser: this.warm, timeoutMs, logger: this.logger, signal });
  }

  isBrowserRunning(): boolean {
    return this.warm.running;
  }

  async close(): Promise<void> {
    await this.warm.close();
  }
}
