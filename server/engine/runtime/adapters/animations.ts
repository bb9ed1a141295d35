// CSS animations and transitions and Web Animations (element.animate): every animation of the document, and
// of its same-origin child frames, paused and put at t. Their start times depend on when the browser first
// resolved their style while loading, so they are seeked explicitly rather than left to the clock.
import { childFrameWindows } from './frames';
import type { RuntimeWindow, SeekAdapter } from './types';

function documentAnimations(win: Window): Animation[] {
  try {
    return typeof win.document.getAnimations === 'function' ? win.document.getAnimations() : [];
  } catch {
    return [];
  }
}

function allAnimations(win: RuntimeWindow): Animation[] {
  return [win, ...childFrameWindows(win)].flatMap(documentAnimations);
}

export const animationsAdapter: SeekAdapter = {
  name: 'css-waapi',
  seek(win, t) {
    for (const animation of allAnimations(win)) {
      if (animation.playState !== 'paused') animation.pause();
      animation.currentTime = t * 1000;
    }
  },
  duration(win) {
    // The end of the latest finite animation, as the reference infers a duration for CSS/WAAPI-only pages.
    let end = 0;
    for (const animation of allAnimations(win)) {
      const timing = animation.effect?.getComputedTiming();
      const endTime = Number(timing?.endTime);
      if (Number.isFinite(endTime) && endTime > end) end = endTime;
    }
    return end > 0 ? end / 1000 : undefined;
  },
};
