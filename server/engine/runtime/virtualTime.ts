// Virtual time: the page's clocks stand still between seeks, so a frame depends on t alone. Installed before
// any user script (the runtime is the first script in <head>). Date, performance.now and
// requestAnimationFrame advance only when the runtime seeks; rAF callbacks run on flush, with the virtual
// timestamp, as a browser would run them for that frame.

/** A fixed wall clock for t = 0 (2025-01-01T00:00:00Z): preview and render show the same Date for a frame. */
const VIRTUAL_EPOCH_MS = Date.UTC(2025, 0, 1);

export interface VirtualClock {
  /** Sets the virtual now (milliseconds since t = 0). */
  setNow(ms: number): void;
  /** Runs the rAF callbacks queued so far (callbacks they queue wait for the next flush). */
  flushAnimationFrames(): void;
}

export function installVirtualTime(win: Window & typeof globalThis): VirtualClock {
  let nowMs = 0;
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

  let nextHandle = 1;
  let queue = new Map<number, FrameRequestCallback>();
  win.requestAnimationFrame = (callback: FrameRequestCallback): number => {
    const handle = nextHandle++;
    queue.set(handle, callback);
    return handle;
  };
  win.cancelAnimationFrame = (handle: number): void => {
    queue.delete(handle);
  };

  return {
    setNow(ms) {
      nowMs = ms;
    },
    flushAnimationFrames() {
      if (queue.size === 0) return;
      const due = queue;
      queue = new Map();
      for (const callback of due.values()) {
        try {
          callback(nowMs);
        } catch (error) {
          // A throwing callback must not stop the frame; the page's error handler still hears of it.
          win.setTimeout(() => { throw error; });
        }
      }
    },
  };
}
