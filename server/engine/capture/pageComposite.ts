// The engine's side of @hyperframes/shader-transitions' page-side compositor (runtime/renderMode.ts has
// the page's side): a seek inside a transition window leaves the frame staged but not composited, because
// the staged scene clones must be painted once before drawElementImage can read them, and in a capture
// browser only the engine can make the page paint. The capture then draws one frame without a screenshot,
// asks the page to composite, and grabs the result.

/** Before any page script: the engine captures, so it (not the runtime) paints between prepare and resolve. */
export const RENDER_CAPTURE_MODE_SCRIPT = 'globalThis.__HF_RENDER_CAPTURE_MODE = true;';

/**
 * Evaluates `before`, seeks (a page-provided seek may return nothing), then answers `{ before, composite: true }`
 * when the frame awaits its composite, else `{ before, composite: false, value }` with the value of `then`.
 */
export function seekExpression(seconds: number, before: string, then: string): string {
  // The runtime's seek (which the package wraps in place): window.__hf may be a page's own protocol object.
  // `then` runs at once unless the package staged a composite, which must be painted before anything else.
  return `Promise.resolve(${before}).then(before => Promise.resolve(window.__hfRuntime.seek(${seconds})).then(async () =>
    window.__hf_page_composite_pending === true ? { before, composite: true } : { before, composite: false, value: await (${then}) }))`;
}

/** Runs the shader on the painted clones and shows its canvas; false when the package could not. */
export const RESOLVE_COMPOSITE_EXPRESSION =
  `typeof window.__hf_page_composite_resolve === 'function' ? window.__hf_page_composite_resolve() : false`;
