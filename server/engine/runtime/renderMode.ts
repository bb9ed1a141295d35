// Engine render mode, as pages written for HyperFrames detect it, and the page side of the shader
// compositor's frame protocol.
//
// @hyperframes/shader-transitions decides between two lives at init(): in a browser preview it pre-captures
// scene samples behind a "preparing transitions" loader, waiting for paints with requestAnimationFrame —
// which under virtual time only runs when the runtime seeks, so that loader never finishes. When the page
// declares engine render mode (a `__HF_VIRTUAL_TIME__` object) it instead schedules the scenes' opacity on
// the GSAP timeline, and with `__HF_PAGE_SIDE_COMPOSITING__` it installs a page-side WebGL compositor
// that wraps `__hf.seek`: inside a transition window the seek marks `__hf_page_composite_pending`; then
// `__hf_page_composite_prepare()` clones both scenes into `layoutsubtree` canvases, the clones must be
// painted once, and `__hf_page_composite_resolve()` reads them with drawElementImage, runs the shader and
// shows its canvas over the page. Where WebGL is missing (or drawElementImage, in a capture browser) the
// package itself falls back to the opacity schedule (a cut), never a loader.
//
// The paint between prepare and resolve is the engine's when it captures (`__HF_RENDER_CAPTURE_MODE`, set
// by the capture browser before the page loads: under BeginFrame control nothing paints until it asks);
// anywhere else — the preview, the probe — the runtime waits for two real animation frames itself.
//
// A browser without drawElementImage (VS Code's webview: no CanvasDrawElement) gets the stand-in of
// elementSnapshot.ts, outside capture only, installed before the package's init detects the API: there the
// wait between prepare and resolve is the snapshot of the staged clones instead of a paint, and the
// preview shows the render's transition frames (tests/integration/preview-shader.test.ts).

import { installElementSnapshots } from './elementSnapshot';

/** A page whose compositor never paints (a hidden preview) still finishes its seek after this. */
const PAINT_WAIT_TIMEOUT_MS = 1_000;
/** Likewise for the snapshots that stand in for the paint (the first one fetches the scenes' fonts and images). */
const SNAPSHOT_TIMEOUT_MS = 3_000;
/** How long `ready` waits for the package to wrap `__hf.seek` (it polls every 50 ms from init()). */
const COMPOSITOR_ATTACH_POLL_MS = 10;
const COMPOSITOR_ATTACH_MAX_POLLS = 200;
/** The id of the canvas the package's page-side compositor adds to the body. */
const PAGE_COMPOSITOR_CANVAS_ID = '__hf-page-side-compositor';

/** The shape of the reference engine's virtual-time handle; the package only tests that it exists. */
export interface VirtualTimeHandle {
  getTime(): number;
  originalSetTimeout: typeof setTimeout;
  originalClearTimeout: typeof clearTimeout;
  originalSetInterval: typeof setInterval;
  originalClearInterval: typeof clearInterval;
  originalRequestAnimationFrame: typeof requestAnimationFrame;
  originalCancelAnimationFrame: typeof cancelAnimationFrame;
}

declare global {
  interface Window {
    __HF_VIRTUAL_TIME__?: VirtualTimeHandle;
    __HF_PAGE_SIDE_COMPOSITING__?: boolean;
    /** Set by the capture browser: the engine paints between prepare and resolve. */
    __HF_RENDER_CAPTURE_MODE?: boolean;
    __hf_page_composite_pending?: boolean;
    __hf_page_composite_prepare?: () => Promise<boolean>;
    __hf_page_composite_resolve?: () => boolean;
  }
}

export interface PageCompositing {
  /**
   * After a seek: when the package's compositor marked the frame as a transition frame, prepares it and
   * (outside capture) paints and resolves it, so the seek settles on the shader's image.
   */
  afterSeek(): Promise<void>;
  /** Resolves once an installed page-side compositor has wrapped `__hf.seek` (or it never will). */
  whenAttached(seek: unknown): Promise<void>;
}

/**
 * Declares render mode to the page. Call before virtual time is installed: the handle keeps the browser's
 * own timers and animation frames, which the runtime's paint wait needs.
 */
export function installRenderMode(win: Window & typeof globalThis): PageCompositing {
  const realSetTimeout = win.setTimeout.bind(win);
  const realRequestAnimationFrame = win.requestAnimationFrame.bind(win);
  win.__HF_VIRTUAL_TIME__ = {
    getTime: () => win.performance.now(),
    originalSetTimeout: realSetTimeout as typeof setTimeout,
    originalClearTimeout: win.clearTimeout.bind(win),
    originalSetInterval: win.setInterval.bind(win) as typeof setInterval,
    originalClearInterval: win.clearInterval.bind(win),
    originalRequestAnimationFrame: realRequestAnimationFrame,
    originalCancelAnimationFrame: win.cancelAnimationFrame.bind(win),
  };
  win.__HF_PAGE_SIDE_COMPOSITING__ = true;
  // Capture keeps the native API exactly (its browsers have it); the preview's browser may not.
  const snapshots = win.__HF_RENDER_CAPTURE_MODE === true ? undefined : installElementSnapshots(win);

  const sleep = (ms: number) => new Promise<void>(resolve => realSetTimeout(resolve, ms));
  const painted = () => new Promise<void>(resolve => {
    // The first real frame paints what prepare() staged; its callback runs before that paint, the second after.
    realRequestAnimationFrame(() => realRequestAnimationFrame(() => resolve()));
  });

  return {
    async afterSeek() {
      if (win.__hf_page_composite_pending !== true) return;
      await win.__hf_page_composite_prepare?.();
      if (win.__HF_RENDER_CAPTURE_MODE === true) return;
      if (snapshots) await Promise.race([snapshots.captureStaged(), sleep(SNAPSHOT_TIMEOUT_MS)]);
      else await Promise.race([painted(), sleep(PAINT_WAIT_TIMEOUT_MS)]);
      win.__hf_page_composite_resolve?.();
    },
    async whenAttached(seek) {
      const currentSeek = () => (win.__hf as { seek?: unknown } | undefined)?.seek;
      if (!win.document.getElementById(PAGE_COMPOSITOR_CANVAS_ID)) return;
      // Counted polls, not Date.now(): the page's clocks are virtual and stand still while it loads.
      for (let poll = 0; poll < COMPOSITOR_ATTACH_MAX_POLLS && currentSeek() === seek; poll++) await sleep(COMPOSITOR_ATTACH_POLL_MS);
    },
  };
}
