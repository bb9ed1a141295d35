// Whether the preview webview's page started: armed when its HTML is set or the panel is shown again, it
// loads the page again when no 'ready' comes in time, a bounded number of times. A webview that stays
// blank (its page never ran) is otherwise indistinguishable from a slow one, and nothing would recover it.
import { PREVIEW_READY_RELOADS_MAX, PREVIEW_READY_TIMEOUT_MS } from './limits';

export interface ReadyWatchdogActions {
  /** Whether waiting makes sense now (a hidden panel's webview does not run). */
  shouldWait(): boolean;
  /** Load the page again; `attempt` counts from 1. */
  reload(attempt: number): void;
  /** Every attempt went unanswered. */
  giveUp(attempts: number): void;
}

export class ReadyWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;

  constructor(
    private readonly actions: ReadyWatchdogActions,
    private readonly timeoutMs = PREVIEW_READY_TIMEOUT_MS,
    private readonly maxReloads = PREVIEW_READY_RELOADS_MAX,
  ) {}

  /** The page was (re)loaded or shown: it should say 'ready' within the timeout. */
  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.expire(), this.timeoutMs);
  }

  /** The page said 'ready': it runs, and the next silence starts a fresh count. */
  ready(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.attempts = 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    if (!this.actions.shouldWait()) return;
    if (this.attempts >= this.maxReloads) {
      this.actions.giveUp(this.attempts);
      return;
    }
    this.attempts++;
    this.actions.reload(this.attempts);
  }
}
