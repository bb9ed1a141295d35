// The one definition of "the page is ready to be seeked", for everything that waits on a page: the probe and
// the capture (from Node, as an expression they evaluate in the page) and the preview bridge (in the page,
// bundled with it). Ready means: the runtime's script ran (window.__hfRuntime exists with seek), its `ready`
// settled (load, layout, fonts, media metadata, timelines registered, the first seek: runtime/index.ts), and
// the document's fonts are loaded. Nothing else decides it.
//
// In both tsconfig projects (like manifest.ts): it names no DOM type, so the Node side can build its expression.

/** How often the wait looks for the runtime object. */
export const RUNTIME_READY_POLL_MS = 10;

/** The part of a window the wait reads (structural: Node code builds the expression without DOM types). */
export interface RuntimeReadyWindow {
  __hfRuntime?: { seek?: unknown; ready?: PromiseLike<unknown> };
  document?: { fonts?: { ready?: PromiseLike<unknown> } };
}

/**
 * Resolves true once the page is ready, false when the runtime object did not appear within `timeoutMs`
 * (its script failed or never loaded; each caller says so in its own words). Counts polls, not clock time:
 * the runtime freezes Date and performance.now (virtual time). Self-contained on purpose, with everything
 * passed in: the engine sends its source text to the page (`runtimeReadyExpression`), so it may reference
 * nothing but its parameters and the page's globals.
 */
export async function whenRuntimeReady(win: RuntimeReadyWindow, timeoutMs: number, pollMs: number): Promise<boolean> {
  const polls = Math.max(0, Math.ceil(timeoutMs / pollMs));
  for (let poll = 0; !(win.__hfRuntime && typeof win.__hfRuntime.seek === 'function'); poll++) {
    if (poll >= polls) return false;
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
  const ready = win.__hfRuntime.ready;
  if (ready && typeof ready.then === 'function') await ready;
  const fonts = win.document?.fonts?.ready;
  if (fonts && typeof fonts.then === 'function') await fonts;
  return true;
}

/** `whenRuntimeReady(window, timeoutMs)` as a page expression (a promise of a boolean), for page.evaluate / Runtime.evaluate. */
export function runtimeReadyExpression(timeoutMs: number, pollMs = RUNTIME_READY_POLL_MS): string {
  return `(${whenRuntimeReady.toString()})(window, ${timeoutMs}, ${pollMs})`;
}
