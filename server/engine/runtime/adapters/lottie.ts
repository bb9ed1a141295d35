// Lottie: lottie-web `AnimationItem`s (found through `lottie.getRegisteredAnimations()` or registered on
// `window.__hfLottie`) are put at t with `goToAndStop(ms)`; @lottiefiles/dotlottie-web players (registered
// on `window.__hfLottie`: an ES module has no global to find them by) with `setFrame(frame)`. Both know
// their length (frames ÷ frame rate), which becomes the composition's when nothing else gives one. The
// first frame waits until their animation data (and dotLottie's wasm) has loaded.
import { realTimersOf } from '../virtualTime';
import { guarded, usableDuration, type RuntimeWindow, type SeekAdapter } from './types';

/** An animation whose data never arrives (a broken path) must not hold the page forever. */
const LOTTIE_LOAD_TIMEOUT_MS = 5_000;

interface LottieWebAnimation {
  goToAndStop(value: number, isFrame: boolean): void;
  totalFrames: number;
  frameRate: number;
  isLoaded?: boolean;
  addEventListener?(name: string, callback: () => void): unknown;
}

interface DotLottiePlayer {
  setFrame(frame: number): unknown;
  pause?(): unknown;
  totalFrames: number;
  /** Seconds. */
  duration: number;
  isLoaded?: boolean;
  addEventListener?(name: string, callback: () => void): unknown;
}

declare global {
  interface Window {
    /** Lottie animations a composition registers for seeking (the reference's convention). */
    __hfLottie?: unknown[];
    lottie?: { getRegisteredAnimations?: () => unknown[] };
  }
}

const pausedPlayers = new WeakSet<DotLottiePlayer>();

function isLottieWeb(value: unknown): value is LottieWebAnimation {
  return typeof value === 'object' && value !== null && typeof (value as LottieWebAnimation).goToAndStop === 'function';
}

function isDotLottie(value: unknown): value is DotLottiePlayer {
  return typeof value === 'object' && value !== null && typeof (value as DotLottiePlayer).setFrame === 'function'
    && 'totalFrames' in value;
}

function instances(win: RuntimeWindow): Array<LottieWebAnimation | DotLottiePlayer> {
  const found = new Set<unknown>(Array.isArray(win.__hfLottie) ? win.__hfLottie : []);
  try {
    const registered = win.lottie?.getRegisteredAnimations?.();
    if (Array.isArray(registered)) registered.forEach(animation => found.add(animation));
  } catch {
    // A library without the registry: registered instances still work.
  }
  return [...found].filter((value): value is LottieWebAnimation | DotLottiePlayer => isLottieWeb(value) || isDotLottie(value));
}

function lengthSeconds(animation: LottieWebAnimation | DotLottiePlayer): number | undefined {
  if (isLottieWeb(animation)) return usableDuration(animation.totalFrames / animation.frameRate);
  return usableDuration(animation.duration);
}

function whenLoaded(win: RuntimeWindow, animation: LottieWebAnimation | DotLottiePlayer): Promise<void> | undefined {
  if (animation.isLoaded !== false || typeof animation.addEventListener !== 'function') return undefined;
  const events = isLottieWeb(animation) ? ['DOMLoaded', 'data_failed', 'error'] : ['load', 'loadError'];
  const { realSetTimeout, realClearTimeout } = realTimersOf(win);
  return new Promise(resolve => {
    const timer = realSetTimeout(resolve, LOTTIE_LOAD_TIMEOUT_MS);
    const done = () => {
      realClearTimeout(timer);
      resolve();
    };
    for (const event of events) animation.addEventListener!(event, done);
  });
}

export const lottieAdapter: SeekAdapter = {
  name: 'lottie',
  ready(win) {
    const waits = instances(win).map(animation => whenLoaded(win, animation)).filter(wait => wait !== undefined);
    return waits.length > 0 ? Promise.all(waits) : undefined;
  },
  seek(win, t) {
    for (const animation of instances(win)) {
      guarded(win, () => {
        if (isLottieWeb(animation)) {
          animation.goToAndStop(t * 1000, false);
          return;
        }
        const seconds = lengthSeconds(animation);
        if (seconds === undefined || !(animation.totalFrames > 0)) return;
        if (!pausedPlayers.has(animation)) {
          // An autoplaying player would also advance on its own rAF loop: the composition's time owns it.
          animation.pause?.();
          pausedPlayers.add(animation);
        }
        // Held on the last frame after the end, as lottie-web's goToAndStop holds it.
        const frame = Math.min(t * (animation.totalFrames / seconds), animation.totalFrames - 1);
        animation.setFrame(Math.max(0, frame));
      });
    }
  },
  duration(win) {
    let end = 0;
    for (const animation of instances(win)) end = Math.max(end, lengthSeconds(animation) ?? 0);
    return end > 0 ? end : undefined;
  },
};
