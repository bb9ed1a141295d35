// Click-to-source in the preview (LaTeX Workshop's SyncTeX, for a frame): which clip's element is drawn at a
// point of the page as it stands. The preview has seeked the page to its playhead, so the runtime's clip
// windows have hidden what is not on screen at that time, and elementsFromPoint skips hidden elements.

/** The innermost clip drawn at (x, y) in page CSS pixels, topmost first; undefined over no clip. */
export function clipAtPoint(doc: Document, clipIds: ReadonlySet<string>, x: number, y: number): string | undefined {
  const view = doc.defaultView;
  for (const hit of doc.elementsFromPoint(x, y)) {
    let clip: string | undefined;
    let transparent = false;
    for (let element: Element | null = hit; element && clip === undefined; element = element.parentElement) {
      // Faded out (a tween at opacity 0) is not what the user clicked on: look below it.
      if (view && view.getComputedStyle(element).opacity === '0') transparent = true;
      if (element.id && clipIds.has(element.id)) clip = element.id;
    }
    if (clip !== undefined && !transparent) return clip;
  }
  return undefined;
}
