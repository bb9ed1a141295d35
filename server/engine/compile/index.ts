// The compile stage: HTML in, composition model + static diagnostics + the page the browser loads out.
// Pure and fast (no browser): the language server runs it on every change. The only outside work is
// reading sub-composition files and ffprobe for media written without data-duration (cached).
import path from 'node:path';
import { frameCount, type Composition } from '../model';
import { findProjectRoot } from '../project';
import { RenderCancelledError, StageError } from '../errors';
import { type Logger, silentLogger } from '../logger';
import type { CompileInput, CompileResult } from './types';
import { ToolNotFoundError } from '../tools';
import { toClip, toMedia, toSubComposition, attributeRanges } from './assemble';
import { collectScope, createScope, type CollectContext } from './collect';
import { DiagnosticSink, reportParseErrors } from './diagnostics';
import type { Chunk, ClipDraft, Region } from './drafts';
import { buildLineMap, emitRegion } from './emit';
import { analyzeFonts, applyDeterministicFonts } from './fonts';
import { probeMediaFiles } from './mediaProbe';
import { parseSourceFile, type SourceElement, type SourceFile } from './parseHtml';
import { readRoot } from './root';
import { analyzeScripts } from './scripts';
import { applyRuleSettings, mergeRuleSettings, projectRuleSettings, runLint } from './lint';
import { localVideos, reportHevcVideos, reportMediaStartPastEof, videosWithMediaStart } from './lint/rules/mediaEof';
import { loadSubCompositions, sourceReader } from './subCompositions';
import { checkClipsInsideComposition, resolveTiming, roundTime } from './timing';
import { analyzeVariables } from './variables';

export { mapCompiledLine } from './emit';
export { LineIndex, offsetAt, positionAt } from './sourceText';

/**
 * Runtimes whose length only the browser knows (the in-page runtime infers it: anime.js, Lottie, CSS/WAAPI
 * animations, a page-provided window.__hf): without a written duration the static check cannot say "0 s";
 * the probe does, on save, when it is.
 */
const SELF_TIMED_PAGE = /\banime\b|\blottie|dotlottie|window\.__hf\b|@keyframes|\banimate\s*\(/i;

/** Cheap test for "is this HTML a composition?" (the language server's gate before compiling). */
export function isCompositionDocument(text: string): boolean {
  return /\bdata-composition-id\b/.test(text);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RenderCancelledError('compile');
}

export async function compile(input: CompileInput): Promise<CompileResult> {
  const started = performance.now();
  const logger = input.logger ?? silentLogger;
  const entryFile = path.resolve(input.entryFile);
  const projectRoot = findProjectRoot(entryFile);
  const read = sourceReader(input.readOverlay);
  throwIfAborted(input.signal);

  let entryText: string;
  try {
    entryText = await read(entryFile);
  } catch (error) {
    throw new StageError('compile', `Cannot read the composition ${entryFile}: ${(error as Error).message}`, 'entry-unreadable', [], { cause: error });
  }
  const entry = await parseSourceFile(entryFile, entryText);
  const sink = new DiagnosticSink();
  const root = readRoot(sink, entry, input.fps);
  const entryRegion: Region = { file: entry, start: 0, end: entryText.length, edits: [] };
  const ctx: CollectContext = {
    sink, projectRoot, entryFile, entryRegion, scopes: [], clips: [], pendingHosts: [], compositionIds: new Set(),
    dependencies: new Set([entryFile]), hoistedScripts: [], idOwners: new Map(), resolvedReferences: new WeakMap(), nextAutoId: 0,
  };
  const rootScope = createScope(ctx, { compositionId: root.id, element: root.element, file: entry, region: entryRegion, host: undefined, depth: 0, ancestry: [entryFile] });
  // Without a root there is nothing to hang clips on; still read them so the rest of the checks run.
  collectScope(ctx, rootScope, root.template?.templateContent ?? entry.elements, root.element === undefined);
  if (root.template) unwrapTemplate(entryRegion, root.template);
  const fragment = isFragment(entry);
  if (fragment) entryRegion.edits.push(fragmentPrefix(entry));
  await loadSubCompositions(ctx, read, input.signal);
  for (const file of new Set(ctx.scopes.map(scope => scope.file))) reportParseErrors(sink, file);
  const variables = analyzeVariables(sink, { entry, rootElement: root.element, scopes: ctx.scopes, overrides: input.variables });
  const fonts = analyzeFonts(sink, [...new Set([entryRegion, ...ctx.scopes.map(scope => scope.region)])]);

  if (input.probeMedia !== false) await probeClipMedia(sink, ctx.clips, input, logger);
  throwIfAborted(input.signal);

  const times = resolveTiming(sink, ctx.scopes, {
    rootDuration: root.duration,
    resolvedDurations: input.resolvedDurations,
    allClipIds: new Set(ctx.clips.map(clip => clip.id)),
  });
  if (root.duration !== undefined) checkClipsInsideComposition(sink, ctx.clips, times, root.duration);
  const scriptFacts = analyzeScripts(sink, ctx.scopes, ctx.compositionIds);
  const entryIsSubComposition = root.template !== undefined || input.asSubComposition === true;
  runLint(sink, { entry, entryIsSubComposition, scopes: ctx.scopes, clips: ctx.clips, compositionIds: ctx.compositionIds, projectRoot });

  const clips = ctx.clips.map(draft => toClip(draft, times));
  const latestEnd = clips.reduce<number | undefined>((latest, clip) => clip.end === undefined ? latest : Math.max(latest ?? 0, clip.end), undefined);
  const duration = root.duration ?? latestEnd;
  const durationSource: Composition['durationSource'] = root.duration !== undefined ? 'attribute' : latestEnd !== undefined ? 'clips' : 'none';
  // The reference's root_composition_missing_duration_source (an error it reports, advisory: the render is 0 s, not
  // refused); the lint reports its other cases (Three.js, an infinite CSS animation) and this stays silent then.
  if (root.element && !entryIsSubComposition && duration === undefined && !scriptFacts.usesTimelines && !SELF_TIMED_PAGE.test(entryText)
    && !sink.diagnostics.some(d => d.code === 'root_composition_missing_duration_source')) {
    sink.atTagName(entry, root.element, 'error', 'root_composition_missing_duration_source',
      'Root composition has no data-duration, no clip with an end and no registered timeline: it would render 0 seconds ("Composition has zero duration").'
      + ' Add data-duration="<seconds>" to the root element, or register a paused GSAP timeline on window.__timelines.');
  }

  for (const draft of ctx.clips) if (draft.injectDuration && draft.duration !== undefined) injectDuration(draft, draft.duration);
  entryRegion.edits.push(hoistedScriptsSlot(ctx, entry));
  // After the hoisted scripts, which a fragment's slot also puts at the end of its text (one offset keeps push order).
  if (fragment) entryRegion.edits.push(fragmentSuffix(entry));
  const chunks = emitRegion(entryRegion);

  const composition: Composition = {
    entryFile,
    projectRoot,
    id: root.id,
    width: root.width,
    height: root.height,
    fps: root.fps,
    duration,
    durationSource,
    frameCount: duration === undefined ? 0 : frameCount(duration, root.fps),
    rootTagRange: root.element ? entry.lines.range(root.element.start, root.element.startTagEnd) : undefined,
    rootAttributeRanges: root.element ? attributeRanges(entry, root.element) : {},
    clips,
    media: ctx.clips.map(toMedia).filter(media => media !== undefined),
    subCompositions: ctx.clips.map(toSubComposition).filter(sub => sub !== undefined),
    variables: variables.declarations,
    variableValues: variables.values,
    variableBindings: variables.bindings,
    dependencies: [...ctx.dependencies],
    fonts,
    compiledHtml: '',
  };
  // The page with deterministic fonts is parsed again to make; only the probe, the preview and the render read it, not the
  // diagnostics of a keystroke: made on first read.
  lazyPage(composition, entryFile, chunks.map(chunk => chunk.text).join(''));
  const compileMs = performance.now() - started;
  logger.debug(`compile ${entryFile}: ${clips.length} clips, ${ctx.scopes.length} compositions, ${compileMs.toFixed(1)} ms`);
  return { composition, diagnostics: applyRuleSettings(sortDiagnostics(sink, entryFile), mergeRuleSettings(projectRuleSettings(projectRoot), input.lintRules)), compileMs, lineMap: buildLineMap(chunks) };
}

function lazyPage(composition: Composition, entryFile: string, page: string): void {
  let made: string | undefined;
  Object.defineProperty(composition, 'compiledHtml', {
    enumerable: true,
    configurable: true,
    get: () => (made ??= applyDeterministicFonts(entryFile, page)),
    set: (value: string) => { made = value; },
  });
}

function injectDuration(draft: ClipDraft, seconds: number): void {
  const { element, scope } = draft;
  const file = scope.file;
  const text = ` data-duration="${roundTime(seconds)}"`;
  scope.region.edits.push({
    offset: element.tagNameEnd,
    deleteEnd: element.tagNameEnd,
    insert: () => [{ text, file: file.path, sourceLine: file.lines.positionAt(element.tagNameEnd).line }],
  });
}

/** Drops a template's tags (keeping its content) so a sub-composition compiled on its own is live. */
function unwrapTemplate(region: Region, template: SourceElement): void {
  region.edits.push({ offset: template.start, deleteEnd: template.startTagEnd });
  if (template.endTagStart !== undefined) region.edits.push({ offset: template.endTagStart, deleteEnd: template.end });
}

/** An entry written as a bare fragment (no doctype, no <html>): a browser would lay it out with body's 8 px margin. */
function isFragment(file: SourceFile): boolean {
  return !/^\s*(<!--[\s\S]*?-->\s*)*<(!doctype|html)\b/i.test(file.text) && !file.elements.some(element => element.tagName === 'html');
}

/**
 * The document the reference wraps a fragment in: no margins or padding, black, content-box free; the prefix
 * sits on the fragment's first line so every line keeps its number.
 */
export const FRAGMENT_DOCUMENT_PREFIX = '<!DOCTYPE html><html><head><meta charset="UTF-8"><style>*{margin:0;padding:0;box-sizing:border-box;text-rendering:geometricPrecision}body{overflow:hidden;background:#000;font-family:"Inter",sans-serif}</style></head><body style="margin:0;overflow:hidden">';
const FRAGMENT_DOCUMENT_SUFFIX = '</body></html>';

function fragmentPrefix(file: SourceFile): Region['edits'][number] {
  return { offset: 0, deleteEnd: 0, insert: () => [{ text: FRAGMENT_DOCUMENT_PREFIX, file: file.path, sourceLine: 0 }] };
}

function fragmentSuffix(file: SourceFile): Region['edits'][number] {
  const end = file.text.length;
  return { offset: end, deleteEnd: end, insert: () => [{ text: FRAGMENT_DOCUMENT_SUFFIX, file: file.path, sourceLine: file.lines.positionAt(end).line }] };
}

/** Where sub-composition scripts land: before the entry's </body> (or at its end), one per line. */
function hoistedScriptsSlot(ctx: CollectContext, entry: SourceFile): Region['edits'][number] {
  const offset = entry.bodyEndTagStart ?? entry.text.length;
  return {
    offset,
    deleteEnd: offset,
    insert: () => ctx.hoistedScripts.flatMap((script): Chunk[] => [script, { text: '\n', file: script.file, sourceLine: script.sourceLine }]),
  };
}

async function probeClipMedia(sink: DiagnosticSink, clips: readonly ClipDraft[], input: Pick<CompileInput, 'ffmpegPath' | 'signal'>, logger: Logger): Promise<void> {
  const { signal } = input;
  const needing = clips.filter(clip => clip.media && clip.media.kind !== 'img' && clip.media.exists && clip.media.localPath
    && clip.authoredDuration === undefined && !clip.media.loop);
  // Videos whose data-media-start may be past their file's end (the lint's video_media_start_at_or_past_eof) are measured too.
  const withMediaStart = videosWithMediaStart(clips);
  // And every local video, for its codec (the lint's hevc_preview_codec); each file is probed once per change of it.
  const videos = localVideos(clips);
  if (needing.length === 0 && withMediaStart.length === 0 && videos.length === 0) return;
  let outcomes: Awaited<ReturnType<typeof probeMediaFiles>>;
  try {
    outcomes = await probeMediaFiles([...needing, ...withMediaStart, ...videos].map(clip => clip.media!.localPath!), { ffmpegPath: input.ffmpegPath }, signal);
  } catch (error) {
    if (!(error instanceof ToolNotFoundError)) throw error;
    logger.warn(error.message);
    for (const clip of needing) {
      sink.atValue(clip.scope.file, clip.media!.srcAttr!, 'warning', 'unreadable-media-file',
        `The length of this media cannot be measured: ${error.message} Or write data-duration="<seconds>" on the element.`);
    }
    return;
  }
  for (const clip of needing) {
    const media = clip.media!;
    const outcome = outcomes.get(media.localPath!);
    if (!outcome) continue;
    if (outcome.ok) {
      media.sourceDuration = outcome.facts.duration;
      media.sourceHasAudio = outcome.facts.hasAudio;
    } else {
      sink.atValue(clip.scope.file, media.srcAttr!, 'warning', 'unreadable-media-file',
        `ffprobe cannot read this file (${outcome.reason}), so its length is unknown. Check that it is a valid ${media.kind} file, or write data-duration="<seconds>".`);
    }
  }
  reportMediaStartPastEof(sink, withMediaStart, outcomes);
  reportHevcVideos(sink, videos, outcomes);
}

/** One diagnostic per (file, range, code, message) — a file included twice reports once — entry first, then by position. */
function sortDiagnostics(sink: DiagnosticSink, entryFile: string): CompileResult['diagnostics'] {
  const unique = new Map<string, CompileResult['diagnostics'][number]>();
  for (const diagnostic of sink.diagnostics) {
    const { file, range, code, message } = diagnostic;
    const key = `${file}\0${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}\0${code}\0${message}`;
    if (!unique.has(key)) unique.set(key, diagnostic);
  }
  return [...unique.values()].sort((a, b) =>
    (a.file === entryFile ? 0 : 1) - (b.file === entryFile ? 0 : 1)
    || a.file.localeCompare(b.file)
    || a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character);
}
