// Sub-compositions: a host's data-composition-src names a file whose markup is wrapped in <template>.
// Each is read (editor overlay first), parsed with its own positions, walked as its own scope and
// spliced into the host at emit time. Nested hosts are followed level by level until none are left.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_COMPOSITION_FILE_BYTES, MAX_SUB_COMPOSITION_DEPTH } from '../limits';
import { RenderCancelledError } from '../errors';
import { readNumber } from './attributes';
import { collectScope, createScope, resolveLocalReference, type CollectContext } from './collect';
import type { ClipDraft, Region } from './drafts';
import { emitRegion } from './emit';
import { parseSourceFile, walkElements, type SourceElement, type SourceFile } from './parseHtml';
import { START_OF_FILE } from './sourceText';

export type ReadSource = (absolutePath: string) => Promise<string>;

export class SourceTooLargeError extends Error {
  constructor(readonly file: string, readonly bytes: number) {
    super(`${file} is ${bytes} bytes, more than the ${MAX_COMPOSITION_FILE_BYTES} bytes a composition file may have.`);
    this.name = 'SourceTooLargeError';
  }
}

/** Reads a composition file: the editor's unsaved text wins over the disk. */
export function sourceReader(readOverlay: ((absolutePath: string) => string | undefined) | undefined): ReadSource {
  return async absolutePath => {
    const overlay = readOverlay?.(absolutePath);
    if (overlay !== undefined) return overlay;
    const stat = await fs.promises.stat(absolutePath);
    if (stat.size > MAX_COMPOSITION_FILE_BYTES) throw new SourceTooLargeError(absolutePath, stat.size);
    return fs.promises.readFile(absolutePath, 'utf8');
  };
}

/** Loads every pending host's file, then the hosts those files hold, until none are left. */
export async function loadSubCompositions(ctx: CollectContext, read: ReadSource, signal: AbortSignal | undefined): Promise<void> {
  const parsed = new Map<string, Promise<SourceFile | undefined>>();
  while (ctx.pendingHosts.length > 0) {
    if (signal?.aborted) throw new RenderCancelledError('compile');
    const batch = ctx.pendingHosts.splice(0);
    const files = await Promise.all(batch.map(host => openHostFile(ctx, host, read, parsed)));
    batch.forEach((host, i) => {
      const file = files[i];
      if (file) attachSubComposition(ctx, host, file);
    });
  }
}

function openHostFile(ctx: CollectContext, host: ClipDraft, read: ReadSource, parsed: Map<string, Promise<SourceFile | undefined>>): Promise<SourceFile | undefined> {
  const sub = host.subComposition!;
  const hostFile = host.scope.file;
  // data-composition-src resolves from the project root, wherever the host is written.
  const reference = resolveLocalReference(ctx, hostFile, sub.srcAttr, path.join(ctx.projectRoot, 'index.html'), 'composition');
  if (reference.kind !== 'local') return Promise.resolve(undefined);
  sub.path = reference.path;
  if (!reference.exists) return Promise.resolve(undefined);
  const { ancestry } = host.scope;
  if (ancestry.includes(reference.path)) {
    const chain = [...ancestry, reference.path].map(file => path.relative(ctx.projectRoot, file)).join(' → ');
    ctx.sink.atValue(hostFile, sub.srcAttr, 'error', 'cyclic-composition',
      `Sub-composition cycle: ${chain}. A composition cannot include itself; remove one of these data-composition-src references.`);
    return Promise.resolve(undefined);
  }
  if (ancestry.length > MAX_SUB_COMPOSITION_DEPTH) {
    ctx.sink.atValue(hostFile, sub.srcAttr, 'error', 'cyclic-composition',
      `Sub-compositions are nested more than ${MAX_SUB_COMPOSITION_DEPTH} deep here; flatten the nesting.`);
    return Promise.resolve(undefined);
  }
  ctx.dependencies.add(reference.path);
  let file = parsed.get(reference.path);
  if (!file) {
    file = readAndParse(ctx, host, reference.path, read);
    parsed.set(reference.path, file);
  }
  return file;
}

async function readAndParse(ctx: CollectContext, host: ClipDraft, filePath: string, read: ReadSource): Promise<SourceFile | undefined> {
  try {
    return await parseSourceFile(filePath, await read(filePath));
  } catch (error) {
    const reason = error instanceof SourceTooLargeError ? error.message : `it cannot be read (${(error as Error).message})`;
    ctx.sink.atValue(host.scope.file, host.subComposition!.srcAttr, 'error', 'missing_or_empty_sub_composition',
      `Sub-composition ${path.relative(ctx.projectRoot, filePath)}: ${reason}.`);
    return undefined;
  }
}

function findTemplate(file: SourceFile): SourceElement | undefined {
  let template: SourceElement | undefined;
  walkElements(file.elements, element => {
    if (template) return false;
    if (element.tagName === 'template') template = element;
    return template === undefined;
  });
  return template;
}

function attachSubComposition(ctx: CollectContext, host: ClipDraft, file: SourceFile): void {
  const sub = host.subComposition!;
  const template = findTemplate(file);
  if (!template?.templateContent) {
    ctx.sink.add(file.path, START_OF_FILE, 'error', 'missing_or_empty_sub_composition',
      'A sub-composition file must wrap its markup, <style> and <script> in <template>…</template>; nothing outside it is inlined.');
    return;
  }
  let innerRoot: SourceElement | undefined;
  walkElements(template.templateContent, element => {
    if (innerRoot) return false;
    if (element.attrs.has('data-composition-id')) innerRoot = element;
    return innerRoot === undefined;
  });
  const region: Region = { file, start: template.startTagEnd, end: template.endTagStart ?? template.end, edits: [] };
  sub.innerCompositionId = innerRoot?.attrs.get('data-composition-id')?.value.trim() || undefined;
  const scope = createScope(ctx, {
    compositionId: sub.innerCompositionId ?? hostCompositionId(host),
    element: innerRoot, file, region, host, depth: host.scope.depth + 1, ancestry: [...host.scope.ancestry, file.path],
  });
  if (innerRoot) {
    sub.innerDuration = readNumber(ctx.sink, file, innerRoot, 'data-duration', { example: '5' })
      ?? readNumber(ctx.sink, file, innerRoot, 'data-composition-duration', { example: '5' });
  }
  collectScope(ctx, scope, template.templateContent, true);
  const element = host.element;
  if (innerRoot) copyInnerSize(host, innerRoot, file);
  const at = element.endTagStart ?? element.startTagEnd;
  host.scope.region.edits.push({ offset: at, deleteEnd: at, insert: () => emitRegion(region) });
}

/** A host without data-width/height takes its sub-composition's (the runtime lays out timed clips by them). */
function copyInnerSize(host: ClipDraft, innerRoot: SourceElement, file: SourceFile): void {
  const hostFile = host.scope.file;
  const at = host.element.tagNameEnd;
  const missing = ['data-width', 'data-height']
    .filter(name => !host.element.attrs.has(name) && innerRoot.attrs.has(name))
    .map(name => ` ${name}="${innerRoot.attrs.get(name)!.value.replace(/[^\d.]/g, '')}"`);
  if (missing.length === 0 || file.path === hostFile.path && host.element === innerRoot) return;
  host.scope.region.edits.push({
    offset: at, deleteEnd: at, insert: () => [{ text: missing.join(''), file: hostFile.path, sourceLine: hostFile.lines.positionAt(at).line }],
  });
}

function hostCompositionId(host: ClipDraft): string | undefined {
  return host.element.attrs.get('data-composition-id')?.value.trim() || undefined;
}
