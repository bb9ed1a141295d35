// The one seek interface every runtime adapter implements. The seeker calls each adapter at every seek,
// after the clip windows and GSAP timelines and before the rAF flush: an adapter puts its library's
// instances at time t (or hands the frame to the page's own render loop), and pushes onto `pending`
// whatever the frame must wait for.

export type RuntimeWindow = Window & typeof globalThis;

export interface SeekAdapter {
  readonly name: string;
  /** Once, before any user script: hooks that find the library's instances as the page creates them. */
  install?(win: RuntimeWindow): void;
  /** Resolves once the instances found so far have loaded what they need to draw (animation data, wasm). */
  ready?(win: RuntimeWindow): Promise<unknown> | undefined;
  /** Shows time `t` (seconds); work the frame must wait for goes onto `pending`. */
  seek(win: RuntimeWindow, t: number, pending: Array<Promise<unknown>>): void;
  /** Seconds the adapter's instances need, when they say (finite, > 0); folded into the inferred duration. */
  duration?(win: RuntimeWindow): number | undefined;
}

/** A library's "endless" (anime.js clamps Infinity to 1e12 ms): no duration to infer from. */
export const ENDLESS_DURATION_S = 24 * 60 * 60;

export function usableDuration(seconds: unknown): number | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 && seconds < ENDLESS_DURATION_S ? seconds : undefined;
}

/** Calls `work`, reporting (not throwing) a failure: one broken instance must not stop the frame. */
export function guarded(win: RuntimeWindow, work: () => void): void {
  try {
    work();
  } catch (error) {
    if (typeof win.reportError === 'function') win.reportError(error);
  }
}
