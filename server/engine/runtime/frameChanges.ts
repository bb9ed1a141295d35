// Whether anything on the page may have changed since the capture last asked: what lets the renderer reuse
// the previous frame's image for a static frame (a hold) instead of drawing and encoding it again.
//
// Observed, not predicted: every change the seek makes to the document (GSAP and anime.js style writes,
// clip windows, tl.call() text, class toggles, a swapped video frame) is a DOM mutation, and CSS/WAAPI
// animations report their progress. Whatever draws outside the DOM cannot be observed, so its mere
// presence counts as a change at every frame: a canvas (2D, WebGL, WebGPU, the shader compositor), frames,
// plugins, custom elements (a closed shadow root may hold a canvas), SVG SMIL animation, animated image
// formats, a <video> the engine does not paint, a focused text field (its caret blinks), fonts or other
// resources still arriving.
//
// Installed lazily by the first take(): pages that are never rendered (the preview) pay nothing.
import { PAINTED_VIDEO_ATTRIBUTE, type FrameChangeTracker } from './manifest';

/** Elements whose pixels may change with no DOM mutation (frame time, their own draw calls, their own decoder). */
const UNTRACKED_ELEMENTS = 'canvas, iframe, frame, object, embed, animate, animateTransform, animateMotion, set, marquee';
/** Image formats that may animate by themselves (GIF, animated WebP/PNG/AVIF). */
const ANIMATED_IMAGE = /(\.(gif|webp|apng|avif)([?#]|$))|^data:image\/(gif|webp|apng|avif)/i;

export function createFrameChangeTracker(win: Window & typeof globalThis): FrameChangeTracker {
  const { document } = win;
  let observer: MutationObserver | undefined;
  let resources: PerformanceObserver | undefined;
  let pending: string | null = 'first frame';
  /**
   * Why the document's elements are untracked, as of the last look; undefined after a change, and looked at
   * again only by a frame with no change of its own (a frame that changed is captured anyway, and the look
   * walks every element: 0.65 ms a frame on a page of 2,000 caption words).
   */
  let untracked: string | null | undefined;
  let animationState = '';

  const note = (reason: string) => { pending ??= reason; };

  const install = () => {
    observer = new win.MutationObserver(() => note('document changed'));
    observer.observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
    // A resource that arrived (a background image, a font) may repaint with no mutation.
    if (typeof win.PerformanceObserver === 'function') {
      try {
        resources = new win.PerformanceObserver(() => note('resource loaded'));
        resources.observe({ type: 'resource' });
      } catch {
        resources = undefined;
      }
    }
    // Scrolling moves pixels without a mutation.
    win.addEventListener('scroll', () => note('scrolled'), { capture: true, passive: true });
  };

  const untrackedReason = (): string | null => {
    const element = document.querySelector(UNTRACKED_ELEMENTS);
    if (element) return `<${element.localName}> draws outside the document`;
    for (const video of Array.from(document.querySelectorAll('video'))) {
      if (!video.hasAttribute(PAINTED_VIDEO_ATTRIBUTE)) return `<video id="${video.id}"> is not painted by the renderer`;
    }
    for (const image of Array.from(document.images)) {
      if (ANIMATED_IMAGE.test(image.currentSrc || image.src)) return 'an image format that can animate';
      if (!image.complete) return 'an image still loading';
    }
    const custom = Array.from(document.querySelectorAll('*')).find(e => e.localName.includes('-') || (e as Element & { shadowRoot: ShadowRoot | null }).shadowRoot);
    if (custom) return `<${custom.localName}> may draw in a shadow root`;
    for (const entry of win.performance.getEntriesByType('resource')) {
      if (ANIMATED_IMAGE.test(entry.name)) return 'an image format that can animate';
    }
    return null;
  };

  /** Every CSS/WAAPI animation's place: a change in any of them is a change of the frame. */
  const animationsFingerprint = (): string => {
    if (typeof document.getAnimations !== 'function') return '';
    return document.getAnimations().map(animation => {
      const timing = animation.effect?.getComputedTiming();
      return `${timing?.progress ?? 'n'}/${timing?.currentIteration ?? 'n'}/${animation.playbackRate}`;
    }).join(',');
  };

  return {
    take() {
      if (!observer) install();
      if (observer!.takeRecords().length > 0) note('document changed');
      if (resources && resources.takeRecords().length > 0) note('resource loaded');
      if (pending !== null) untracked = undefined;
      else if (untracked === undefined) untracked = untrackedReason();
      const animations = animationsFingerprint();
      if (animations !== animationState) note('a CSS or WAAPI animation moved');
      animationState = animations;
      if (untracked) note(untracked);
      if (document.fonts.status !== 'loaded') note('fonts loading');
      const active = document.activeElement as HTMLElement | null;
      if (active && (active.isContentEditable || active.localName === 'input' || active.localName === 'textarea')) note('a focused text field (blinking caret)');
      const reason = pending;
      pending = null;
      return reason;
    },
    discard() {
      observer?.takeRecords();
    },
  };
}
