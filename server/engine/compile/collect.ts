// The document walk: finds clips, media, composition hosts and scripts in one region of source, and
// reports what can be judged element by element (ids, media files, muted video, the clip class).
import fs from 'node:fs';
import path from 'node:path';
import type { ClipKind } from '../model';
import { isLocalReference, referencePath, resolveInProject } from '../project';
import { normalizePlaybackRate, readNumber } from './attributes';
import type { DiagnosticSink } from './diagnostics';
import type { Chunk, ClipDraft, MediaDraft, Region, Scope } from './drafts';
import { scopeStylesheet } from './cssScope';
import { hasClass, innerText, walkElements, type SourceAttribute, type SourceElement, type SourceFile } from './parseHtml';
import { htmlAttributeText, rebaseSubCompositionUrl, rewriteCssUrls, URL_ATTRIBUTES } from './subCompositionPaths';

export interface CollectContext {
  sink: DiagnosticSink;
  projectRoot: string;
  entryFile: string;
  entryRegion: Region;
  scopes: Scope[];
  clips: ClipDraft[];
  /** Composition hosts whose data-composition-src is still to be read. */
  pendingHosts: ClipDraft[];
  /** Every data-composition-id seen (hosts and sub-composition roots): timeline keys are checked against it. */
  compositionIds: Set<string>;
  dependencies: Set<string>;
  /** Sub-composition scripts, moved to the end of the entry's body at emit time (see emit.ts). */
  hoistedScripts: Chunk[];
  idOwners: Map<string, { file: string; offset: number; line: number }>;
  resolvedReferences: WeakMap<SourceAttribute, LocalReference>;
  nextAutoId: number;
}

export type LocalReference =
  | { kind: 'remote' }
  | { kind: 'outside' }
  | { kind: 'local'; path: string; exists: boolean };

const MEDIA_TAGS = new Set(['video', 'audio', 'img']);

export function createScope(ctx: CollectContext, scope: Omit<Scope, 'clips' | 'scripts'>): Scope {
  const created: Scope = { ...scope, clips: [], scripts: [] };
  ctx.scopes.push(created);
  if (created.compositionId) ctx.compositionIds.add(created.compositionId);
  return created;
}

/**
 * Walks `elements` as part of `scope`. Clips are only taken inside a composition (`clipsAllowed`); the
 * entry's elements outside the root still get the per-element checks, and its scripts count for the root.
 */
export function collectScope(ctx: CollectContext, scope: Scope, elements: readonly SourceElement[], clipsAllowed: boolean): void {
  walkElements(elements, element => {
    checkElement(ctx, scope, element);
    if (element === scope.element) {
      if (!clipsAllowed) {
        collectScope(ctx, scope, element.children, true);
        return false;
      }
      return true;
    }
    if (element.tagName === 'script') {
      scope.scripts.push(element);
      if (scope.region !== ctx.entryRegion) hoistScript(ctx, scope, element);
      return false;
    }
    if (!clipsAllowed) return true;
    if (element.attrs.has('data-composition-id') || element.attrs.has('data-composition-src')) {
      collectHost(ctx, scope, element);
      return false;
    }
    if (element.attrs.has('data-start')) addClip(ctx, scope, element, clipKind(element.tagName));
    return true;
  });
}

function clipKind(tagName: string): ClipKind {
  return tagName === 'video' || tagName === 'audio' || tagName === 'img' ? tagName : 'element';
}

function collectHost(ctx: CollectContext, scope: Scope, element: SourceElement): void {
  const host = addClip(ctx, scope, element, 'composition');
  const srcAttr = element.attrs.get('data-composition-src');
  const childScope = createScope(ctx, {
    compositionId: element.attrs.get('data-composition-id')?.value.trim() || undefined,
    element, file: scope.file, region: scope.region, host, depth: scope.depth + 1, ancestry: scope.ancestry,
  });
  if (srcAttr) {
    host.subComposition = { src: srcAttr.value, srcAttr, path: undefined, innerCompositionId: undefined, innerDuration: undefined };
    ctx.pendingHosts.push(host);
  }
  collectScope(ctx, childScope, element.children, true);
}

function addClip(ctx: CollectContext, scope: Scope, element: SourceElement, kind: ClipKind): ClipDraft {
  const file = scope.file;
  const idAttr = element.attrs.get('id');
  const writtenId = idAttr?.value.trim();
  const id = writtenId || `hf-auto-${++ctx.nextAutoId}`;
  if (!writtenId) {
    // The probe and runtime find clips by id: give the element the one the model uses (replacing an empty id="").
    const at = idAttr ?? { start: element.tagNameEnd, end: element.tagNameEnd };
    const text = idAttr ? `id="${id}"` : ` id="${id}"`;
    scope.region.edits.push({ offset: at.start, deleteEnd: at.end, insert: () => [{ text, file: file.path, sourceLine: file.lines.positionAt(at.start).line }] });
  }
  const clip: ClipDraft = {
    id, autoId: !writtenId, kind, element, scope,
    authoredDuration: readNumber(ctx.sink, file, element, 'data-duration', { example: '2' }),
    trackIndex: readNumber(ctx.sink, file, element, 'data-track-index', { integer: true, example: '0' }) ?? 0,
    hasClipClass: hasClass(element, 'clip'),
    media: kind === 'video' || kind === 'audio' || kind === 'img' ? readMedia(ctx, scope, element, kind) : undefined,
    subComposition: undefined,
    startExpression: 0, localStart: 0, duration: undefined, durationSource: 'none', injectDuration: false,
  };
  // A timed element without class="clip" is the lint's timed_element_missing_clip_class (lint/rules/structure.ts).
  scope.clips.push(clip);
  ctx.clips.push(clip);
  return clip;
}

function mediaSource(element: SourceElement): SourceAttribute | undefined {
  return element.attrs.get('src') ?? element.children.find(child => child.tagName === 'source' && child.attrs.has('src'))?.attrs.get('src');
}

function readMedia(ctx: CollectContext, scope: Scope, element: SourceElement, kind: MediaDraft['kind']): MediaDraft {
  const file = scope.file;
  const srcAttr = mediaSource(element);
  const reference = srcAttr ? resolveMediaReference(ctx, file, element, srcAttr) : { kind: 'remote' as const };
  const volume = readNumber(ctx.sink, file, element, 'data-volume', { example: '1' });
  return {
    kind,
    src: srcAttr?.value ?? '',
    srcAttr,
    localPath: reference.kind === 'local' ? reference.path : undefined,
    exists: reference.kind === 'local' && reference.exists,
    mediaStart: readNumber(ctx.sink, file, element, 'data-media-start', { example: '0' }) ?? 0,
    playbackRate: normalizePlaybackRate(readNumber(ctx.sink, file, element, 'data-playback-rate', { example: '1' })),
    volume: volume ?? 1,
    loop: element.attrs.has('loop'),
    muted: element.attrs.has('muted'),
    sourceDuration: undefined,
    sourceHasAudio: undefined,
  };
}

/**
 * Resolves a local reference written in `file` against `baseFile`'s folder, reporting escapes from the
 * project and missing files on the value. Memoised per attribute so a file included twice reports once.
 */
export function resolveLocalReference(ctx: CollectContext, file: SourceFile, attr: SourceAttribute, baseFile: string, what: ReferenceKind, written = attr.value): LocalReference {
  const known = ctx.resolvedReferences.get(attr);
  if (known) return known;
  const resolved = resolveUncached(ctx, file, attr, baseFile, what, written);
  ctx.resolvedReferences.set(attr, resolved);
  return resolved;
}

/** What a reference points at: media (an <audio src> apart, as the reference splits them) or a sub-composition. */
type ReferenceKind = 'audio' | 'media' | 'composition';

/** The reference's codes for a local file that is not there. */
const MISSING_FILE_CODE = { audio: 'audio_src_not_found', media: 'missing_local_asset', composition: 'missing_or_empty_sub_composition' } as const;

function resolveUncached(ctx: CollectContext, file: SourceFile, attr: SourceAttribute, baseFile: string, what: ReferenceKind, written: string): LocalReference {
  if (!written.trim() || !isLocalReference(written)) return { kind: 'remote' };
  const missingCode = MISSING_FILE_CODE[what];
  const decoded = referencePath(written);
  if (decoded === undefined) {
    ctx.sink.atValue(file, attr, 'error', missingCode, `"${written}" has a malformed %-escape, so no file can match it. Fix the escape or write the path plainly.`);
    return { kind: 'outside' };
  }
  const containment = resolveInProject(ctx.projectRoot, baseFile, decoded);
  if (!containment.ok) {
    ctx.sink.atValue(file, attr, 'error', 'path-outside-project',
      `"${written}" points outside the project folder (${ctx.projectRoot}); the renderer serves only files inside it. Copy the file into the project and reference it from there.`,
      { path: containment.path });
    return { kind: 'outside' };
  }
  if (containment.linksOutside) {
    ctx.sink.atValue(file, attr, 'warning', 'symlink-outside-project',
      `"${written}" is reached through a symbolic link that leads outside the project folder (to ${containment.linksOutside}). It is followed, but the project no longer holds everything it renders: copy the files in to make it self-contained.`,
      { path: containment.path, target: containment.linksOutside });
  }
  ctx.dependencies.add(containment.path);
  let exists = false;
  try {
    exists = fs.statSync(containment.path).isFile();
  } catch {
    exists = false;
  }
  if (!exists) {
    const relative = path.relative(ctx.projectRoot, containment.path);
    const noun = what === 'composition' ? 'Sub-composition file' : 'Media file';
    const consequence = what === 'audio' ? ' The rendered video would be silent.' : what === 'media' ? ' The render would come out with missing visuals.' : '';
    ctx.sink.atValue(file, attr, 'error', missingCode,
      `${noun} not found: ${relative} (resolved from "${written}").${consequence} Check the path — it is relative to ${what === 'composition' ? 'the project folder' : 'the entry file'} — or add the file.`,
      { path: containment.path });
  }
  return { kind: 'local', path: containment.path, exists };
}

function resolveMediaReference(ctx: CollectContext, file: SourceFile, element: SourceElement, attr: SourceAttribute): LocalReference {
  // Once inlined, a sub-composition's URLs resolve against the entry page; the compiled page carries them
  // rebased (see subCompositionPaths.ts), so the file checked is the one the browser will load.
  const written = file.path === ctx.entryFile ? attr.value : rebaseSubCompositionUrl(ctx.entryFile, file.path, attr.value) ?? attr.value;
  return resolveLocalReference(ctx, file, attr, ctx.entryFile, element.tagName === 'audio' && element.attrs.get('src') === attr ? 'audio' : 'media', written);
}

function checkElement(ctx: CollectContext, scope: Scope, element: SourceElement): void {
  const file = scope.file;
  if (file.path !== ctx.entryFile) rebaseElement(ctx, scope, element);
  const idAttr = element.attrs.get('id');
  const id = idAttr?.value.trim();
  if (idAttr && id && element === scope.element && scope.host?.id === id) {
    // A sub-composition's root written with its host's id (the file opened alone needs it): the host keeps
    // the id, the inner root keeps it as its authored id, as the reference's compiler flattens it.
    replaceAttribute(scope, idAttr, `data-hf-authored-id="${htmlAttributeText(id)}"`);
  } else if (idAttr && id) {
    const owner = ctx.idOwners.get(id);
    if (!owner) {
      ctx.idOwners.set(id, { file: file.path, offset: idAttr.valueStart, line: file.lines.positionAt(idAttr.valueStart).line });
    } else if (owner.file !== file.path || owner.offset !== idAttr.valueStart) {
      const where = owner.file === file.path ? `line ${owner.line + 1}` : `${path.relative(ctx.projectRoot, owner.file)}:${owner.line + 1}`;
      ctx.sink.atValue(file, idAttr, 'error', 'duplicate-id',
        `Duplicate id "${id}" (first used on ${where}). Ids must be unique in the composition: clip references and the runtime find elements by id. Rename this one.`,
        { id });
    }
  }
  if (MEDIA_TAGS.has(element.tagName)) {
    const srcAttr = mediaSource(element);
    if (srcAttr) resolveMediaReference(ctx, file, element, srcAttr);
  }
  // A video that neither mutes nor declares its sound is the lint's video_missing_muted (lint/rules/media.ts).
  const preload = element.attrs.get('preload');
  if (preload && preload.value.trim().toLowerCase() === 'none' && (element.tagName === 'video' || element.tagName === 'audio')) {
    // preload="none" would keep the browser from loading frames the renderer seeks to.
    const start = /\s/.test(file.text[preload.start - 1] ?? '') ? preload.start - 1 : preload.start;
    scope.region.edits.push({ offset: start, deleteEnd: preload.end });
  }
  if (element.tagName === 'link' && /(^|\s)stylesheet(\s|$)/i.test(element.attrs.get('rel')?.value ?? '')) {
    addLocalDependency(ctx, element.attrs.get('href')?.value);
  }
  if (element.tagName === 'script') addLocalDependency(ctx, element.attrs.get('src')?.value);
}

/**
 * A sub-composition element inlined into the entry: its relative URLs rebased, its <style> scoped to the
 * instance, and (the inner root) sized to fill its host, as the reference's compiler inlines it.
 */
function rebaseElement(ctx: CollectContext, scope: Scope, element: SourceElement): void {
  const file = scope.file;
  const rebase = (url: string) => rebaseSubCompositionUrl(ctx.entryFile, file.path, url);
  for (const name of URL_ATTRIBUTES) {
    const attr = element.attrs.get(name);
    const rebased = attr && rebase(attr.value);
    if (attr && rebased !== undefined) replaceAttributeValue(scope, attr, rebased);
  }
  const styleAttr = element.attrs.get('style');
  const fill = element === scope.element ? innerRootFill(element) : undefined;
  if (styleAttr) {
    const rewritten = rewriteCssUrls(styleAttr.value, rebase);
    const value = fill ? `${rewritten.trim().replace(/;?$/, rewritten.trim() ? ';' : '')}${fill}` : rewritten;
    if (value !== styleAttr.value) replaceAttributeValue(scope, styleAttr, value);
  } else if (fill) {
    insertInTag(scope, element, ` style="${fill}"`);
  }
  if (element.tagName === 'style' && scope.host) {
    const { text, offset } = innerText(file, element);
    const scoped = scopeStylesheet(rewriteCssUrls(text, rebase), styleScope(scope));
    if (scoped !== text) {
      scope.region.edits.push({
        offset, deleteEnd: offset + text.length,
        insert: () => [{ text: scoped, file: file.path, sourceLine: file.lines.positionAt(offset).line }],
      });
    }
  }
}

/** The inner root fills its host: its data-width/height in pixels, else the host's whole box. */
function innerRootFill(element: SourceElement): string {
  const size = (name: string) => {
    const value = Number.parseFloat(element.attrs.get(name)?.value ?? '');
    return Number.isFinite(value) && value > 0 ? `${value}px` : '100%';
  };
  return `width:${size('data-width')};height:${size('data-height')}`;
}

function attributeSelector(name: string, value: string): string {
  return `[${name}="${value.replace(/["\\]/g, '\\$&')}"]`;
}

function styleScope(scope: Scope): { instance: string; box: string } {
  const instance = attributeSelector('id', scope.host!.id);
  const innerId = scope.element?.attrs.get('data-composition-id')?.value.trim();
  const box = innerId ? `${instance} ${attributeSelector('data-composition-id', innerId)}` : instance;
  return { instance, box };
}

function replaceAttributeValue(scope: Scope, attr: SourceAttribute, value: string): void {
  const file = scope.file;
  const quoted = /["']/.test(file.text[attr.valueStart - 1] ?? '') && attr.valueEnd > attr.valueStart - 1 && attr.end > attr.valueEnd;
  const text = quoted ? htmlAttributeText(value) : `"${htmlAttributeText(value)}"`;
  const line = file.lines.positionAt(attr.valueStart).line;
  if (attr.valueStart === attr.start) {
    // A bare attribute (`style`): write it whole.
    scope.region.edits.push({ offset: attr.start, deleteEnd: attr.end, insert: () => [{ text: `${attr.name}=${text}`, file: file.path, sourceLine: line }] });
    return;
  }
  scope.region.edits.push({ offset: attr.valueStart, deleteEnd: attr.valueEnd, insert: () => [{ text, file: file.path, sourceLine: line }] });
}

function replaceAttribute(scope: Scope, attr: SourceAttribute, text: string): void {
  const file = scope.file;
  scope.region.edits.push({ offset: attr.start, deleteEnd: attr.end, insert: () => [{ text, file: file.path, sourceLine: file.lines.positionAt(attr.start).line }] });
}

function insertInTag(scope: Scope, element: SourceElement, text: string): void {
  const file = scope.file;
  scope.region.edits.push({ offset: element.tagNameEnd, deleteEnd: element.tagNameEnd, insert: () => [{ text, file: file.path, sourceLine: file.lines.positionAt(element.tagNameEnd).line }] });
}

function addLocalDependency(ctx: CollectContext, reference: string | undefined): void {
  if (!reference || !isLocalReference(reference)) return;
  const decoded = referencePath(reference);
  if (decoded === undefined) return;
  const containment = resolveInProject(ctx.projectRoot, ctx.entryFile, decoded);
  if (containment.ok) ctx.dependencies.add(containment.path);
}

function hoistScript(ctx: CollectContext, scope: Scope, script: SourceElement): void {
  // A sub-composition's scripts need the page's libraries (GSAP is loaded at the end of the entry's body),
  // so they run after the entry's own scripts, in document order, from where they were written.
  const { region } = scope;
  const file = region.file;
  region.edits.push({
    offset: script.start,
    deleteEnd: script.end,
    insert: () => {
      ctx.hoistedScripts.push({ text: hoistedScriptText(ctx, scope, script), file: file.path, sourceLine: file.lines.positionAt(script.start).line });
      return [];
    },
  });
}

const CLASSIC_SCRIPT_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'text/ecmascript']);

/**
 * An inline classic script of a sub-composition runs in its own function scope with its instance's
 * document, window and gsap (runtime/scope.ts); the wrapper sits on the script's first and last lines,
 * so every line keeps its number. External and module scripts are hoisted as written.
 */
function hoistedScriptText(ctx: CollectContext, scope: Scope, script: SourceElement): string {
  const file = scope.file;
  const whole = file.text.slice(script.start, script.end);
  const type = (script.attrs.get('type')?.value ?? '').trim().toLowerCase();
  if (!scope.host || script.attrs.has('src') || !CLASSIC_SCRIPT_TYPES.has(type) || script.endTagStart === undefined) {
    if (script.attrs.has('src')) return rebaseScriptSrc(ctx, file, script, whole);
    return whole;
  }
  const { text: body } = innerText(file, script);
  const hostCompositionId = scope.host.element.attrs.get('data-composition-id')?.value.trim() || undefined;
  const authoredId = scope.element?.attrs.get('data-composition-id')?.value.trim() || undefined;
  const args = [scope.host.id, hostCompositionId ?? authoredId, authoredId].map(value => JSON.stringify(value ?? null).replace(/</g, '\\u003c')).join(', ');
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  // A last line with code (a trailing // comment) must not swallow the wrapper's end.
  const closing = (lastLine.trim() ? '\n' : '') + `}).apply(window, window.__hfScope ? window.__hfScope(${args}) : [document, window, window.gsap]);`;
  return file.text.slice(script.start, script.startTagEnd) + '(function (document, window, gsap) {' + body + closing + file.text.slice(script.endTagStart, script.end);
}

function rebaseScriptSrc(ctx: CollectContext, file: SourceFile, script: SourceElement, whole: string): string {
  const attr = script.attrs.get('src')!;
  const rebased = rebaseSubCompositionUrl(ctx.entryFile, file.path, attr.value);
  if (rebased === undefined || attr.valueStart === attr.start) return whole;
  const from = attr.valueStart - script.start;
  const to = attr.valueEnd - script.start;
  const quoted = /["']/.test(file.text[attr.valueStart - 1] ?? '');
  const value = quoted ? htmlAttributeText(rebased) : `"${htmlAttributeText(rebased)}"`;
  return whole.slice(0, from) + value + whole.slice(to);
}
