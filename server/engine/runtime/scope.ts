// What a sub-composition's inline script sees, as the reference's compiler gives it: the compile stage
// wraps each such script in `(function (document, window, gsap) { … }).apply(window, __hfScope(…))`, so
// - its top-level `const root = …` cannot collide with another sub-composition's (each runs in its own
//   function scope: two scenes both declaring `root` must not turn the second one white);
// - `document.querySelector('.title')`, `gsap.to('.title', …)` and timeline tweens on string targets find
//   the elements of this instance only (two scenes with a `.title` each animate their own);
// - a timeline registered under the sub-composition's own id is also found under its host's id, which is
//   the id the engine seeks it by when the host names the composition differently.

export interface CompositionScopeRequest {
  /** The host element's id (always present in the compiled page). */
  hostId: string;
  /** The id the engine seeks this instance's timeline by (the host's data-composition-id, else the inner one). */
  runtimeId: string | undefined;
  /** The sub-composition root's own data-composition-id, when it has one. */
  authoredId: string | undefined;
}

import type { VariableBindings } from './variables';

type GsapLike = Record<string | symbol, unknown> & { timeline?: (...args: unknown[]) => unknown };
type ScopedGlobals = [Document, Window & typeof globalThis, unknown];

const TWEEN_METHODS = ['to', 'from', 'fromTo', 'set'];
const SCOPED_TIMELINE = Symbol('hf-scoped-timeline');

function bindFunction(value: unknown, target: object): unknown {
  // Native methods (no prototype) must keep their real receiver ("Illegal invocation" otherwise);
  // classes and constructors are returned as they are so their static members survive.
  return typeof value === 'function' && (value as { prototype?: unknown }).prototype === undefined ? value.bind(target) : value;
}

export function createCompositionScope(win: Window & typeof globalThis, request: CompositionScopeRequest, variables?: VariableBindings): ScopedGlobals {
  const doc = win.document;
  let root: Element | null = null;
  const findRoot = (): Element | null => {
    if (!root || !root.isConnected) root = doc.getElementById(request.hostId);
    return root;
  };
  const inside = (node: Element): boolean => {
    const host = findRoot();
    return !host || host === node || host.contains(node);
  };
  const queryAll = (selector: string): Element[] => Array.from(doc.querySelectorAll(selector)).filter(inside);
  const queryOne = (selector: string): Element | null => {
    const host = findRoot();
    if (!host) return doc.querySelector(selector);
    return host.matches(selector) ? host : host.querySelector(selector);
  };
  const getElementById = (id: string): HTMLElement | null => {
    const found = doc.getElementById(id);
    if (found && inside(found)) return found;
    const host = findRoot();
    if (!host) return found;
    return host.querySelector<HTMLElement>(`[id="${String(id).replace(/["\\]/g, '\\$&')}"]`) ?? null;
  };
  const scopedDocument = new Proxy(doc, {
    get(target, property) {
      if (property === 'querySelector') return queryOne;
      if (property === 'querySelectorAll') return (selector: string) => asNodeList(queryAll(selector));
      if (property === 'getElementById') return getElementById;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  const registryProxies = new WeakMap<object, Record<string, unknown>>();
  const registryFor = (registry: Record<string, unknown>): Record<string, unknown> => {
    const { authoredId, runtimeId } = request;
    if (!authoredId || !runtimeId || authoredId === runtimeId) return registry;
    const known = registryProxies.get(registry);
    if (known) return known;
    const proxy = new Proxy(registry, {
      get: (target, property) => (property === authoredId && target[authoredId] === undefined ? target[runtimeId] : Reflect.get(target, property, target)),
      set: (target, property, value) => {
        target[property as string] = value;
        // Published under both names: the engine seeks the host's id, the page may read its own.
        if (property === authoredId) target[runtimeId] = value;
        return true;
      },
    });
    registryProxies.set(registry, proxy);
    return proxy;
  };
  const scopedWindow = new Proxy(win, {
    get(target, property) {
      if (property === '__timelines') {
        target.__timelines = target.__timelines ?? {};
        return registryFor(target.__timelines as Record<string, unknown>);
      }
      if (property === 'document') return scopedDocument;
      // getVariables() answers with this instance's values (its defaults and its host's data-variable-values).
      if (property === '__hyperframes' && variables && target.__hyperframes) {
        return { ...target.__hyperframes, getVariables: () => variables.instanceValues(request.hostId) };
      }
      if (property === 'gsap' && scopedGsap !== undefined) return scopedGsap;
      return bindFunction(Reflect.get(target, property, target), target);
    },
    set(target, property, value) {
      // `window.__timelines = window.__timelines || {}` hands our proxy back: keep the real registry.
      if (property === '__timelines') {
        if (value && typeof value === 'object' && target.__timelines && registryFor(target.__timelines as Record<string, unknown>) === value) return true;
      }
      return Reflect.set(target, property, value, target);
    },
  }) as Window & typeof globalThis;

  const resolveTarget = (target: unknown): unknown => (typeof target === 'string' ? queryAll(target) : target);
  const scopeTweens = (owner: object): object => {
    const record = owner as Record<string | symbol, unknown>;
    if (record[SCOPED_TIMELINE]) return owner;
    for (const method of TWEEN_METHODS) {
      const original = record[method];
      if (typeof original !== 'function') continue;
      record[method] = function (this: unknown, target: unknown, ...rest: unknown[]) {
        return (original as (...args: unknown[]) => unknown).call(owner, resolveTarget(target), ...rest);
      };
    }
    try {
      Object.defineProperty(owner, SCOPED_TIMELINE, { value: true });
    } catch {
      // A frozen timeline keeps global targets; playback is unaffected.
    }
    return owner;
  };
  const baseGsap = (win as unknown as { gsap?: GsapLike }).gsap;
  const scopedGsap = baseGsap === undefined ? undefined : new Proxy(baseGsap, {
    get(target, property) {
      if (property === 'timeline' && typeof target.timeline === 'function') {
        return (...args: unknown[]) => {
          const timeline = target.timeline!(...args);
          return timeline && typeof timeline === 'object' ? scopeTweens(timeline) : timeline;
        };
      }
      if (typeof property === 'string' && TWEEN_METHODS.includes(property)) {
        return (first: unknown, ...rest: unknown[]) => (target[property] as (...args: unknown[]) => unknown).call(target, resolveTarget(first), ...rest);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return [scopedDocument, scopedWindow, scopedGsap];
}

/** querySelectorAll's result type for scripts that call forEach/item/length on it. */
function asNodeList(elements: Element[]): NodeListOf<Element> {
  const list = elements as Element[] & { item?: (index: number) => Element | null };
  list.item = index => elements[index] ?? null;
  return list as unknown as NodeListOf<Element>;
}

declare global {
  interface Window {
    __hfScope?: (hostId: string, runtimeId?: string, authoredId?: string) => ScopedGlobals;
  }
}

export function installCompositionScopes(win: Window & typeof globalThis, variables?: VariableBindings): void {
  win.__hfScope = (hostId, runtimeId, authoredId) => createCompositionScope(win, { hostId, runtimeId, authoredId }, variables);
}
