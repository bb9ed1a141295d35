// D3 transitions run on d3-timer, which reads performance.now and wakes on requestAnimationFrame (or, to
// sleep through a delay, setTimeout): virtual time drives all three, so a transition is at its state for t
// when the seek flushes. With the UMD bundle's global, `d3.timerFlush()` also runs every timer due at t right
// away, so a transition whose wake-up was scheduled for a later frame is not a frame late after a jump.
import { guarded, type SeekAdapter } from './types';

declare global {
  interface Window {
    d3?: { timerFlush?: () => void };
    /** Transitions a composition registers (the reference's convention); d3-timer drives them either way. */
    __hfD3?: unknown[];
  }
}

export const d3Adapter: SeekAdapter = {
  name: 'd3',
  seek(win) {
    const d3 = win.d3;
    if (d3 && typeof d3.timerFlush === 'function') guarded(win, () => d3.timerFlush!());
  },
};
