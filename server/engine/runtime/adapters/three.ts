// Three.js and other WebGL/WebGPU pages. Their render loops (renderer.setAnimationLoop, a hand-written
// requestAnimationFrame loop) and THREE.Clock/Timer read requestAnimationFrame and performance.now, which
// virtual time drives: the seek's rAF flush renders the frame at t. For pages written against the
// reference's contract, the time is also published as `window.__hfThreeTime` and as an `hf-seek` event on
// window whose `detail.waitUntil(promise)` makes the frame wait for GPU work (a texture upload, a readback).
import type { SeekAdapter } from './types';

export interface HfSeekEventDetail {
  time: number;
  waitUntil(promise: PromiseLike<unknown>): void;
}

declare global {
  interface Window {
    __hfThreeTime?: number;
  }
}

export const SEEK_EVENT = 'hf-seek';

export const threeAdapter: SeekAdapter = {
  name: 'three',
  seek(win, t, pending) {
    win.__hfThreeTime = t;
    let accepting = true;
    const detail: HfSeekEventDetail = {
      time: t,
      waitUntil(promise) {
        // Later than the listener's own turn the frame may already be captured.
        if (!accepting) throw new Error('hf-seek waitUntil() must be called synchronously from the event listener.');
        pending.push(Promise.resolve(promise).catch(error => win.reportError(error)));
      },
    };
    try {
      win.dispatchEvent(new win.CustomEvent<HfSeekEventDetail>(SEEK_EVENT, { detail }));
    } finally {
      accepting = false;
    }
  },
};
