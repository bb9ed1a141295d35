// Completion of the HyperFrames data-* attributes inside a tag, and of clip ids inside a data-start value.
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Clip, Composition } from '../../engine/model';
import { rangeContains } from '../convert';
import { tagContextAt } from '../htmlScan';

interface AttributeDoc {
  name: string;
  doc: string;
  /** Only offered on these tags (lower case); everywhere when absent. */
  tags?: string[];
}

export const HYPERFRAMES_ATTRIBUTES: readonly AttributeDoc[] = [
  { name: 'data-start', doc: 'When the clip appears, in seconds, or relative to another clip: `intro`, `intro + 0.5`, `intro - 0.5` (the end of `intro` plus the offset).' },
  { name: 'data-duration', doc: 'How long the clip (or, on the root, the composition) lasts, in seconds.' },
  { name: 'data-track-index', doc: 'The timeline track (layer) of the clip; clips on one track do not overlap.' },
  { name: 'data-media-start', doc: 'Offset into the media source, in seconds (trims its beginning).', tags: ['video', 'audio'] },
  { name: 'data-volume', doc: 'Audio volume of the clip, 0–1.', tags: ['video', 'audio'] },
  { name: 'data-has-audio', doc: '`true` on a `<video>` whose sound should be heard in the render.', tags: ['video'] },
  { name: 'data-composition-id', doc: 'Marks a composition root (or a sub-composition host) and names it.' },
  { name: 'data-composition-src', doc: 'The file of a sub-composition (its markup wrapped in `<template>`), relative to the project.' },
  { name: 'data-composition-variables', doc: 'JSON declaring the composition\'s variables and their defaults.' },
  { name: 'data-width', doc: 'Width of the composition in pixels.' },
  { name: 'data-height', doc: 'Height of the composition in pixels.' },
  { name: 'data-fps', doc: 'Frames per second of the composition (default 30).' },
];

function attributeItems(tagName: string, present: Set<string>): CompletionItem[] {
  const tag = tagName.toLowerCase();
  return HYPERFRAMES_ATTRIBUTES
    .filter(attribute => !present.has(attribute.name) && (!attribute.tags || attribute.tags.includes(tag)))
    .map((attribute, index) => ({
      label: attribute.name,
      kind: CompletionItemKind.Property,
      documentation: { kind: 'markdown', value: attribute.doc },
      insertText: `${attribute.name}="$1"`,
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: String(index).padStart(2, '0'),
    }));
}

/** True when `candidate`'s start depends, through relative starts, on the clip `id`: naming it would close a cycle. */
function startsAfter(candidate: Clip, id: string, byId: ReadonlyMap<string, Clip>): boolean {
  const visited = new Set<Clip>();
  let clip: Clip | undefined = candidate;
  while (clip && !visited.has(clip)) {
    if (clip.id === id) return true;
    if (typeof clip.startExpression === 'number') return false;
    visited.add(clip);
    clip = byId.get(clip.startExpression.ref);
  }
  return false;
}

/**
 * The ids a data-start may name: clips of the same composition (a relative start cannot reach into another),
 * never the clip itself nor one whose start already follows it (a cycle).
 */
function clipIdItems(composition: Composition, editing: Clip | undefined, exceptId: string | undefined): CompletionItem[] {
  const sameComposition = editing ? composition.clips.filter(clip => clip.compositionId === editing.compositionId && clip.file === editing.file) : composition.clips;
  const byId = new Map(sameComposition.map(clip => [clip.id, clip]));
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const clip of sameComposition) {
    if (clip.autoId || clip.id === exceptId || seen.has(clip.id)) continue;
    if (editing && startsAfter(clip, editing.id, byId)) continue;
    seen.add(clip.id);
    items.push({
      label: clip.id,
      kind: CompletionItemKind.Reference,
      detail: clip.end !== undefined ? `ends at ${clip.end.toFixed(2)} s` : `<${clip.tagName}>`,
    });
  }
  return items;
}

/** The id written in the tag being edited, so a clip is not offered as its own start reference. */
function idOfTagAt(text: string, offset: number): string | undefined {
  const tagStart = text.lastIndexOf('<', offset);
  const tagEnd = text.indexOf('>', offset);
  const tag = text.slice(tagStart, tagEnd === -1 ? undefined : tagEnd);
  return /\sid\s*=\s*["']?([^"'\s>]+)/.exec(tag)?.[1];
}

/** `file`: the document's absolute path, to find the clip whose tag holds the cursor. */
export function completionsAt(document: TextDocument, offset: number, composition: Composition | undefined, file?: string): CompletionItem[] {
  const text = document.getText();
  const context = tagContextAt(text, offset);
  if (!context) return [];
  if (context.kind === 'attribute-name') return attributeItems(context.tagName, context.present);
  if (context.attribute === 'data-start' && composition) {
    const position = document.positionAt(offset);
    const editing = composition.clips.find(clip => clip.file === file && rangeContains(clip.tagRange, position));
    return clipIdItems(composition, editing, idOfTagAt(text, offset));
  }
  return [];
}
