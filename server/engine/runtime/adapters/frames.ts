// Same-origin child frames (<iframe> pages of the project): their CSS animations and clocks follow the
// composition's time too. A cross-origin frame is out of reach (reading its document throws) and is skipped.
import type { RuntimeWindow } from './types';

/** Deepest iframe nesting followed. */
const MAX_FRAME_DEPTH = 4;

/** The documents of same-origin child frames, depth first, the top document excluded. */
export function childFrameWindows(win: RuntimeWindow): RuntimeWindow[] {
  const found: RuntimeWindow[] = [];
  const visit = (parent: Window, depth: number) => {
    if (depth > MAX_FRAME_DEPTH) return;
    let frames: HTMLIFrameElement[];
    try {
      frames = Array.from(parent.document.querySelectorAll('iframe'));
    } catch {
      return;
    }
    for (const frame of frames) {
      let child: Window | null = null;
      try {
        child = frame.contentWindow;
        // Throws (or is null) for a cross-origin document.
        if (!child || !child.document) continue;
      } catch {
        continue;
      }
      found.push(child as RuntimeWindow);
      visit(child, depth + 1);
    }
  };
  visit(win, 1);
  return found;
}
