// anime.js v4: `animate()`, `createTimeline()` and `createTimer()` instances, put at t with `seek(ms)`.
// Found two ways: the reference's registry (`window.__hfAnime.push(instance)`), and, without any
// registration, by wrapping the factories of the UMD bundle's global as the bundle defines them (v4 has
// no list of its instances; its UMD wrapper assigns `window.anime = {}` first and fills it in after).
// An instance a page creates from an ES-module import is neither; anime's own engine runs on
// requestAnimationFrame and performance.now, which virtual time drives, so it still plays in step.
import { guarded, usableDuration, type RuntimeWindow, type SeekAdapter } from './types';

interface AnimeInstance {
  seek(timeMs: number, muteCallbacks?: boolean | number): unknown;
  pause?(): unknown;
  /** Milliseconds, loops included (Infinity is clamped to 1e12 by anime). */
  duration?: number;
  /** A child of a timeline: the timeline seeks it. */
  parent?: unknown;
}

declare global {
  interface Window {
    /** anime.js instances a composition registers for seeking (the reference's convention). */
    __hfAnime?: unknown[];
    anime?: unknown;
  }
}

const FACTORIES = ['animate', 'createTimeline', 'createTimer'] as const;

function isAnimeInstance(value: unknown): value is AnimeInstance {
  return typeof value === 'object' && value !== null && typeof (value as AnimeInstance).seek === 'function';
}

const created = new WeakMap<Window, Set<AnimeInstance>>();
const pausedInstances = new WeakSet<AnimeInstance>();

function createdIn(win: Window): Set<AnimeInstance> {
  let set = created.get(win);
  if (!set) created.set(win, (set = new Set()));
  return set;
}

/** Makes `namespace[name] = factory` store a factory that records what it creates. */
function trapFactories(win: RuntimeWindow, namespace: object): void {
  for (const name of FACTORIES) {
    const existing = Object.getOwnPropertyDescriptor(namespace, name);
    if (existing && !existing.configurable) continue;
    let wrapped: unknown = existing?.value === undefined ? undefined : wrap(win, existing.value);
    Object.defineProperty(namespace, name, {
      configurable: true,
      enumerable: true,
      get: () => wrapped,
      set: value => { wrapped = wrap(win, value); },
    });
  }
}

function wrap(win: RuntimeWindow, factory: unknown): unknown {
  if (typeof factory !== 'function') return factory;
  return function recordingFactory(this: unknown, ...args: unknown[]) {
    const instance: unknown = factory.apply(this, args);
    if (isAnimeInstance(instance)) createdIn(win).add(instance);
    return instance;
  };
}

function instances(win: RuntimeWindow): AnimeInstance[] {
  const registered = Array.isArray(win.__hfAnime) ? win.__hfAnime.filter(isAnimeInstance) : [];
  const all = new Set<AnimeInstance>([...registered, ...createdIn(win)]);
  return [...all].filter(instance => !instance.parent);
}

export const animejsAdapter: SeekAdapter = {
  name: 'animejs',
  install(win) {
    let namespace: unknown = win.anime;
    if (typeof namespace === 'object' && namespace !== null) trapFactories(win, namespace);
    try {
      Object.defineProperty(win, 'anime', {
        configurable: true,
        enumerable: true,
        get: () => namespace,
        set: value => {
          namespace = value;
          if (typeof value === 'object' && value !== null) trapFactories(win, value);
        },
      });
    } catch {
      // A page that made `anime` unconfigurable keeps it; registered instances still work.
    }
  },
  seek(win: RuntimeWindow, t: number) {
    for (const instance of instances(win)) {
      guarded(win, () => {
        // Autoplaying instances would also advance on anime's own ticker: the composition's time owns them.
        if (!pausedInstances.has(instance)) {
          instance.pause?.();
          pausedInstances.add(instance);
        }
        instance.seek(t * 1000);
      });
    }
  },
  duration(win) {
    let end = 0;
    for (const instance of instances(win)) {
      const seconds = usableDuration(Number(instance.duration) / 1000);
      if (seconds !== undefined) end = Math.max(end, seconds);
    }
    return end > 0 ? end : undefined;
  },
};
