// The registry of seek adapters, in the order the seeker calls them at every seek.
import { animationsAdapter } from './animations';
import { animejsAdapter } from './animejs';
import { d3Adapter } from './d3';
import { lottieAdapter } from './lottie';
import { threeAdapter } from './three';
import type { RuntimeWindow, SeekAdapter } from './types';
import { videoTextureAdapter } from './videoTexture';

export type { SeekAdapter, RuntimeWindow } from './types';

export const SEEK_ADAPTERS: readonly SeekAdapter[] = [animationsAdapter, animejsAdapter, lottieAdapter, d3Adapter, threeAdapter, videoTextureAdapter];

export function installAdapters(win: RuntimeWindow): void {
  for (const adapter of SEEK_ADAPTERS) adapter.install?.(win);
}

/** Resolves when every adapter's instances have loaded. */
export function adaptersReady(win: RuntimeWindow): Promise<unknown> {
  const waits = SEEK_ADAPTERS.map(adapter => adapter.ready?.(win)).filter(wait => wait !== undefined);
  return Promise.all(waits);
}

export function seekAdapters(win: RuntimeWindow, t: number, pending: Array<Promise<unknown>>): void {
  for (const adapter of SEEK_ADAPTERS) adapter.seek(win, t, pending);
}

/** The longest duration an adapter knows of, in seconds; 0 when none does. */
export function adapterDuration(win: RuntimeWindow): number {
  let end = 0;
  for (const adapter of SEEK_ADAPTERS) {
    try {
      end = Math.max(end, adapter.duration?.(win) ?? 0);
    } catch {
      // An instance that cannot say how long it is gives no duration.
    }
  }
  return end;
}
