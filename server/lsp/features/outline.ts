// The outline (document symbols) of a composition file: one root node per composition written in the file
// (the entry's root element; in a sub-composition's own file, its root), the clips under it, a
// sub-composition's clips nested under their host when both are written here, and a symbol kind per clip
// type, so the outline's icons tell a video from a picture from a line of text (not `{}` for everything).
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver/node';
import type { Clip, Composition } from '../../engine/model';
import { formatSeconds } from '../convert';
import { durationTitle } from './timing';

/** Elements whose clips are text on screen (a heading, a caption line), rather than a box of other things. */
const TEXT_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'span', 'em', 'strong', 'b', 'i', 'q', 'blockquote', 'label', 'li', 'pre', 'code']);

/**
 * The kind of a clip's symbol (the outline's icon): a composition is a class of its own clips, a
 * sub-composition host a struct, a video an event, an audio track a field, a picture a file, text a string,
 * any other element an object.
 */
export function clipSymbolKind(clip: Pick<Clip, 'kind' | 'tagName'>): SymbolKind {
  switch (clip.kind) {
    case 'composition': return SymbolKind.Struct;
    case 'video': return SymbolKind.Event;
    case 'audio': return SymbolKind.Field;
    case 'img': return SymbolKind.File;
    case 'element': return TEXT_TAGS.has(clip.tagName.toLowerCase()) ? SymbolKind.String : SymbolKind.Object;
  }
}

export const COMPOSITION_SYMBOL_KIND = SymbolKind.Class;

function clipDetail(clip: Clip): string {
  const end = clip.end !== undefined ? clip.end.toFixed(2) : '?';
  return `${clip.start.toFixed(2)}–${end} s · track ${clip.trackIndex}`;
}

/** The clip tree of one file: sub-composition clips nested under their host when both are written here. */
function clipTree(clips: Clip[]): DocumentSymbol[] {
  const symbols = clips.map((clip): DocumentSymbol => ({
    name: clip.id, detail: clipDetail(clip), kind: clipSymbolKind(clip),
    range: clip.tagRange, selectionRange: clip.attributeRanges.id ?? clip.tagRange, children: [],
  }));
  const hosts = new Map<string, DocumentSymbol>();
  clips.forEach((clip, i) => { if (clip.kind === 'composition' && !hosts.has(clip.id)) hosts.set(clip.id, symbols[i]); });
  const roots: DocumentSymbol[] = [];
  clips.forEach((clip, i) => {
    const parent = clip.parentId !== undefined ? hosts.get(clip.parentId) : undefined;
    if (parent && parent !== symbols[i]) parent.children?.push(symbols[i]);
    else roots.push(symbols[i]);
  });
  return roots;
}

/** The root element of a sub-composition written in `file`, as the compile saw it (the host's view of it). */
export interface SubCompositionRoot {
  /** The file's own data-composition-id (else its host's). */
  id: string;
  /** The opening tag of the file's root element, and its data-composition-id value. */
  range: Range;
  selectionRange: Range;
  /** How it is used: "in main at 2.00–4.00 s". */
  detail: string;
}

/**
 * The outline of `file`: the composition's root node with every clip written in the file under it. In a
 * sub-composition's file (`subRoot` given), the root node is that file's root element.
 */
export function outlineSymbols(composition: Composition, file: string, subRoot?: SubCompositionRoot): DocumentSymbol[] {
  const clips = composition.clips.filter(clip => clip.file === file);
  let root: DocumentSymbol | undefined;
  if (composition.entryFile === file && composition.rootTagRange) {
    root = {
      name: composition.id ?? 'composition', kind: COMPOSITION_SYMBOL_KIND,
      detail: `${durationTitle(composition)} · ${composition.width}×${composition.height}`,
      range: composition.rootTagRange, selectionRange: composition.rootAttributeRanges['data-composition-id'] ?? composition.rootTagRange, children: [],
    };
  } else if (subRoot) {
    root = { name: subRoot.id, kind: COMPOSITION_SYMBOL_KIND, detail: subRoot.detail, range: subRoot.range, selectionRange: subRoot.selectionRange, children: [] };
  }
  const tree = clipTree(clips);
  if (!root) return tree;
  root.children = tree;
  return [root];
}

/** "in main at 2.00–4.00 s", from the host clip of the sub-composition written in `file`. */
export function subCompositionUse(composition: Composition, file: string): { id: string; detail: string } | undefined {
  const sub = composition.subCompositions.find(s => s.file === file);
  if (!sub) return undefined;
  const host = composition.clips.find(clip => clip.id === sub.hostId && clip.kind === 'composition');
  const span = host ? ` at ${formatSeconds(host.start)}–${host.end !== undefined ? formatSeconds(host.end) : '?'}` : '';
  return { id: sub.innerCompositionId ?? sub.compositionId ?? sub.hostId, detail: `sub-composition in ${composition.id ?? 'the entry'}${span}` };
}

/** The first opening tag carrying data-composition-id (a sub-composition file's root), as offsets. */
const COMPOSITION_TAG = /<[A-Za-z][\w-]*\b[^>]*?\bdata-composition-id\s*=\s*(["'])([^"']*)\1[^>]*>/;

export function compositionRootTag(text: string): { start: number; end: number; valueStart: number; valueEnd: number } | undefined {
  const match = COMPOSITION_TAG.exec(text);
  if (!match) return undefined;
  const valueStart = match.index + match[0].indexOf(`${match[1]}${match[2]}${match[1]}`) + 1;
  return { start: match.index, end: match.index + match[0].length, valueStart, valueEnd: valueStart + match[2].length };
}
