// The composition's layout contract, applied once the page has loaded and before the first seek, as the
// reference runtime applies it: the root is exactly data-width × data-height whatever its CSS says (a root
// with only absolutely positioned children would otherwise collapse to 0 px high), clips its content, and is
// the containing block of its direct timed children, which share one layer at its top-left corner unless
// their own CSS anchors or sizes them. Without this, authored pages that rely on it lay out differently
// from the reference's renders (clips pushed below the viewport, blank frames).

/** `"1920"` → `"1920px"`; anything not a positive number → undefined. */
function pixels(value: string | null): string | undefined {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) && parsed > 0 ? `${parsed}px` : undefined;
}

/** The root composition: the first element with data-composition-id that no other composition contains. */
export function findRootComposition(doc: Document): HTMLElement | undefined {
  const nodes = Array.from(doc.querySelectorAll<HTMLElement>('[data-composition-id]'));
  return nodes.find(node => !node.parentElement?.closest('[data-composition-id]')) ?? nodes[0];
}

const NOT_LAID_OUT = new Set(['script', 'style', 'link', 'meta', 'template']);

export function applyCompositionLayout(win: Window & typeof globalThis): void {
  const root = findRootComposition(win.document);
  if (!root) return;
  const width = pixels(root.getAttribute('data-width'));
  const height = pixels(root.getAttribute('data-height'));
  if (!root.style.position && win.getComputedStyle(root).position === 'static') root.style.position = 'relative';
  root.style.overflow = 'hidden';
  if (width) {
    root.style.width = width;
    root.style.setProperty('--comp-width', width);
  }
  if (height) {
    root.style.height = height;
    root.style.setProperty('--comp-height', height);
  }
  for (const child of Array.from(root.children)) {
    if (!(child instanceof win.HTMLElement) || NOT_LAID_OUT.has(child.tagName.toLowerCase())) continue;
    if (!child.hasAttribute('data-start')) continue;
    layOutTimedChild(win, child);
  }
}

function layOutTimedChild(win: Window & typeof globalThis, clip: HTMLElement): void {
  const computed = win.getComputedStyle(clip);
  // Timed children of the root stack in one layer: in flow, a later clip would sit below an earlier one.
  if (computed.position !== 'absolute' && computed.position !== 'fixed') clip.style.position = 'absolute';
  if (!clip.style.top && !clip.style.bottom && computed.top === 'auto' && computed.bottom === 'auto') clip.style.top = '0';
  if (!clip.style.left && !clip.style.right && computed.left === 'auto' && computed.right === 'auto') clip.style.left = '0';
  if (clip.tagName.toLowerCase() === 'audio') return;
  // `computed` is live: from here on it reads the layout after the position change (out of flow, an element
  // shrinks to its content), as the reference reads it.
  const forcedWidth = pixels(clip.getAttribute('data-width'));
  const forcedHeight = pixels(clip.getAttribute('data-height'));
  const hasWidth = computed.width !== '0px' && computed.width !== 'auto';
  const hasHeight = computed.height !== '0px' && computed.height !== 'auto';
  if (!clip.style.width) {
    if (forcedWidth && !hasWidth) clip.style.width = forcedWidth;
    else if (!forcedWidth && computed.width === '0px') clip.style.width = '100%';
  }
  if (!clip.style.height) {
    if (forcedHeight && !hasHeight) clip.style.height = forcedHeight;
    else if (!forcedHeight && computed.height === '0px') clip.style.height = '100%';
  }
}
