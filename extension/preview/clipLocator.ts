// Editor sync: which clip's element holds the cursor. The compile stage records only a clip's opening
// tag, so the element's full extent (up to its closing tag) is found by parsing the editor's text; clips
// are matched by id, which survives edits above them, and by opening-tag position for auto-id media.
import { parseSourceFile, walkElements, type SourceElement } from '../../server/engine/compile/parseHtml';
import { LineIndex } from '../../server/engine/compile/sourceText';
import type { Clip } from '../../server/engine/model';

export interface ClipExtent {
  clipId: string;
  /** Offsets of the element from its "<" to the end of its closing tag. */
  start: number;
  end: number;
}

function walkWithTemplates(elements: readonly SourceElement[], visit: (element: SourceElement) => void): void {
  walkElements(elements, element => {
    visit(element);
    if (element.templateContent) walkWithTemplates(element.templateContent, visit);
  });
}

/** Extents of the clips written in `file`, from its current text. */
export async function clipExtents(file: string, text: string, clips: readonly Clip[]): Promise<ClipExtent[]> {
  const own = clips.filter(clip => clip.file === file);
  if (own.length === 0) return [];
  const byId = new Map(own.filter(clip => !clip.autoId).map(clip => [clip.id, clip]));
  const lines = new LineIndex(text);
  const byTagStart = new Map(own.filter(clip => clip.autoId).map(clip => [lines.offsetAt(clip.tagRange.start), clip]));
  const source = await parseSourceFile(file, text);
  const extents: ClipExtent[] = [];
  walkWithTemplates(source.elements, element => {
    const id = element.attrs.get('id')?.value;
    const clip = (id !== undefined ? byId.get(id) : undefined) ?? byTagStart.get(element.start);
    if (clip) extents.push({ clipId: clip.id, start: element.start, end: element.end });
  });
  return extents;
}

/** The innermost clip whose element contains `offset` (a sub-composition host contains its clips). */
export function clipAtOffset(extents: readonly ClipExtent[], offset: number): string | undefined {
  let best: ClipExtent | undefined;
  for (const extent of extents) {
    if (offset < extent.start || offset > extent.end) continue;
    if (!best || extent.end - extent.start < best.end - best.start) best = extent;
  }
  return best?.clipId;
}
