// Virtual time: the page's clocks stand still between seeks, so a frame depends on t alone. Installed before
// any user script (the runtime is the first script in <head>). Date, performance.now and
// requestAnimationFrame advance only when the runtime seeks; rAF callbacks run on flush, with the virtual
// timestamp, as a browser would run them for that frame.
//
// Timers follow virtual time too once seeking starts: d3-timer sleeps on setTimeout between transitions and
// setInterval/setTimeout animation loops draw from performance.now, so a timer that fired on the wall clock
// would land before or after a frame's capture by chance. While the page loads (before the first seek) they
// are the browser's own, so loaders that poll or wait still finish; at the first seek the ones still pending
// move onto virtual time, due at their delay after t = 0 (virtual time stood at 0 while loading).

/** A fixed wall clock for t = 0 (2025-01-01T00:00:00Z): preview and render show the same Date for a frame. */
const VIRTUAL_EPOCH_MS = Date.UTC(2025, 0, 1);
/**
 * Rounds of due timers one flush runs: a timer that a timer callback sets with no delay runs in the same
 * frame, up to this depth (a zero-delay chain that never ends must not hang the seek; the rest waits a frame).
 */
const MAX_TIMER_ROUNDS_PER_FLUSH = 8;

export interface VirtualClock {
  /** Sets the virtual now (milliseconds since t = 0); the first call moves the page's timers onto virtual time. */
  setNow(ms: number): void;
  /** Runs the rAF callbacks queued so far (callbacks they queue wait for the next flush), then the timers now due. */
  flushAnimationFrames(): void;
  /** Takes the rAF callbacks queued so far out of the queue (for `restoreAnimationFrames`). */
  holdAnimationFrames(): Map<number, FrameRequestCallback>;
  /** Puts held callbacks back, ahead of any queued since. */
  restoreAnimationFrames(held: Map<number, FrameRequestCallback>): void;
  /** The browser's own timers, for the runtime's waits (never virtual). */
  readonly realSetTimeout: (callback: () => void, ms: number) => number;
  readonly realClearTimeout: (handle: number) => void;
}

type TimerHandler = string | ((...args: unknown[]) => void);

interface PageTimer {
  handler: TimerHandler;
  args: unknown[];
  delayMs: number;
  repeat: boolean;
  /** Virtual ms at which it fires; undefined while it runs on the wall clock (before seeking starts). */
  dueMs: number | undefined;
  /** The browser's handle while on the wall clock. */
  realHandle: number | undefined;
  /** Order among timers due at the same time: registration order, as browsers fire them. */
  order: number;
}

interface InstalledClock {
  clock: VirtualClock;
}

const installed = new WeakMap<Window, InstalledClock>();

/** The browser's own timers of a window (its virtual clock's, once installed): for waits that must not stand still. */
export function realTimersOf(win: Window): Pick<VirtualClock, 'realSetTimeout' | 'realClearTimeout'> {
  const clock = installed.get(win)?.clock;
  if (clock) return clock;
  return { realSetTimeout: win.setTimeout.bind(win) as VirtualClock['realSetTimeout'], realClearTimeout: win.clearTimeout.bind(win) };
}

export function installVirtualTime(win: Window & typeof globalThis): VirtualClock {
  const existing = installed.get(win);
  if (existing) return existing.clock;
  let nowMs = 0;
  let seeking = false;
  const RealDate = win.Date;

  // A function, not a class: `Date()` called without `new` must still return a string.
  function VirtualDate(this: unknown, ...args: unknown[]): Date | string {
    const date = args.length === 0
      ? new RealDate(VIRTUAL_EPOCH_MS + nowMs)
      : new RealDate(...(args as ConstructorParameters<DateConstructor>));
    return new.target ? date : date.toString();
  }
  VirtualDate.prototype = RealDate.prototype;
  VirtualDate.now = () => VIRTUAL_EPOCH_MS + nowMs;
  VirtualDate.parse = RealDate.parse;
  VirtualDate.UTC = RealDate.UTC;
  win.Date = VirtualDate as unknown as DateConstructor;

  Object.defineProperty(win.performance, 'now', { value: () => nowMs, configurable: true, writable: true });

  const report = (error: unknown) => {
    // A throwing callback must not stop the frame; the page's error handlers still hear of it.
    if (typeof win.reportError === 'function') win.reportError(error);
  };

  let nextFrameHandle = 1;
  let frameQueue = new Map<number, FrameRequestCallback>();
  win.requestAnimationFrame = (callback: FrameRequestCallback): number => {
    const handle = nextFrameHandle++;
    frameQueue.set(handle, callback);
    return handle;
  };
  win.cancelAnimationFrame = (handle: number): void => {
    frameQueue.delete(handle);
  };

  const realSetTimeout = win.setTimeout.bind(win) as (callback: () => void, ms: number) => number;
  const realClearTimeout = win.clearTimeout.bind(win) as (handle: number) => void;
  const timers = new Map<number, PageTimer>();
  let nextTimerHandle = 1;
  let nextOrder = 0;

  const runHandler = (timer: PageTimer) => {
    try {
      if (typeof timer.handler === 'function') timer.handler(...timer.args);
      // A string handler is code, run in the global scope as the browser runs it.
      else (0, win.eval)(timer.handler);
    } catch (error) {
      report(error);
    }
  };

  const armReal = (handle: number, timer: PageTimer) => {
    timer.realHandle = realSetTimeout(() => {
      if (timers.get(handle) !== timer) return;
      timer.realHandle = undefined;
      if (!timer.repeat) timers.delete(handle);
      else armReal(handle, timer);
      runHandler(timer);
    }, timer.delayMs);
  };

  const addTimer = (handler: TimerHandler, delay: unknown, args: unknown[], repeat: boolean): number => {
    const handle = nextTimerHandle++;
    const delayMs = Math.max(0, Number(delay) || 0);
    const timer: PageTimer = { handler, args, delayMs, repeat, dueMs: undefined, realHandle: undefined, order: nextOrder++ };
    timers.set(handle, timer);
    if (seeking) timer.dueMs = nowMs + delayMs;
    else armReal(handle, timer);
    return handle;
  };
  const clearTimer = (handle: unknown) => {
    const timer = timers.get(Number(handle));
    if (!timer) return;
    timers.delete(Number(handle));
    if (timer.realHandle !== undefined) realClearTimeout(timer.realHandle);
  };
  win.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => addTimer(handler, delay, args, false)) as typeof win.setTimeout;
  win.setInterval = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => addTimer(handler, delay, args, true)) as typeof win.setInterval;
  win.clearTimeout = clearTimer as typeof win.clearTimeout;
  win.clearInterval = clearTimer as typeof win.clearInterval;

  /** From the first seek on, pending wall-clock timers are due at their delay after t = 0. */
  const startSeeking = () => {
    seeking = true;
    for (const timer of timers.values()) {
      if (timer.realHandle === undefined) continue;
      realClearTimeout(timer.realHandle);
      timer.realHandle = undefined;
      timer.dueMs = timer.delayMs;
    }
  };

  const runDueTimers = () => {
    for (let round = 0; round < MAX_TIMER_ROUNDS_PER_FLUSH; round++) {
      const due = [...timers.entries()]
        .filter(([, timer]) => timer.dueMs !== undefined && timer.dueMs <= nowMs)
        .sort(([, a], [, b]) => (a.dueMs! - b.dueMs!) || a.order - b.order);
      if (due.length === 0) return;
      for (const [handle, timer] of due) {
        if (timers.get(handle) !== timer) continue; // cleared by an earlier callback
        if (timer.repeat) {
          // An interval fires once however far the seek jumped, and stays on its own grid (registration time
          // plus whole periods), as the browser's would: its next firing is the first grid point after now.
          const period = Math.max(timer.delayMs, 1);
          timer.dueMs = timer.dueMs! + period * Math.max(1, Math.floor((nowMs - timer.dueMs!) / period) + 1);
        } else timers.delete(handle);
        runHandler(timer);
      }
    }
  };

  const clock: VirtualClock = {
    setNow(ms) {
      nowMs = ms;
      if (!seeking) startSeeking();
    },
    flushAnimationFrames() {
      if (frameQueue.size > 0) {
        const due = frameQueue;
        frameQueue = new Map();
        for (const callback of due.values()) {
          try {
            callback(nowMs);
          } catch (error) {
            report(error);
          }
        }
      }
      // After the frame callbacks: a loop that d3-timer wakes from rAF has set its clock for this frame, so
      // its watchdog interval sees no gap (it would otherwise read a jump as a hidden tab and pause time).
      runDueTimers();
    },
    holdAnimationFrames() {
      const held = frameQueue;
      frameQueue = new Map();
      return held;
    },
    restoreAnimationFrames(held) {
      if (held.size === 0) return;
      frameQueue = new Map([...held, ...frameQueue]);
    },
    realSetTimeout,
    realClearTimeout,
  };
  installed.set(win, { clock });
  return clock;
}
