// Timing resolution: each clip's duration, then its start (a number, or the end of another clip of the same
// composition plus an offset) in dependency order, then absolute times (a sub-composition's clips are
// offset by its host's start). Unknown and cyclic references are reported on the data-start value.
import { CLIP_END_TOLERANCE_S, TIME_EPSILON_S } from '../limits';
import { readStart, type StartExpression } from './attributes';
import { didYouMean, nearestName, type DiagnosticSink } from './diagnostics';
import type { ClipDraft, Scope } from './drafts';

/** Resolved times are rounded to the microsecond so "4.5 - 4" is 0.5, not 0.5000000000000001. */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

export interface TimingOptions {
  /** The root's written duration, if any: looping media without data-duration run to it. */
  rootDuration: number | undefined;
  resolvedDurations: Record<string, number> | undefined;
  /** Every clip id in the composition, to tell "not in this composition" from "does not exist". */
  allClipIds: ReadonlySet<string>;
}

export interface ResolvedTimes {
  /** Absolute start of each clip (root time). */
  start: Map<ClipDraft, number>;
  /** Start of each scope's own time (its host's absolute start; 0 for the root). */
  scopeOffset: Map<Scope, number>;
}

function authoredOrKnownDuration(clip: ClipDraft, options: TimingOptions): void {
  if (clip.authoredDuration !== undefined) {
    clip.duration = clip.authoredDuration;
    clip.durationSource = 'attribute';
    return;
  }
  const resolved = options.resolvedDurations?.[clip.id];
  if (clip.kind === 'composition' && resolved !== undefined && Number.isFinite(resolved) && resolved >= 0) {
    clip.duration = roundTime(resolved);
    clip.durationSource = 'browser';
    clip.injectDuration = true;
    return;
  }
  if (clip.subComposition?.innerDuration !== undefined) {
    clip.duration = clip.subComposition.innerDuration;
    clip.durationSource = 'sub-composition';
    clip.injectDuration = true;
    return;
  }
  const media = clip.media;
  if (media && !media.loop && media.sourceDuration !== undefined) {
    clip.duration = roundTime(Math.max(0, media.sourceDuration - media.mediaStart) / media.playbackRate);
    clip.durationSource = 'media-probe';
    clip.injectDuration = true;
  }
}

export function resolveTiming(sink: DiagnosticSink, scopes: readonly Scope[], options: TimingOptions): ResolvedTimes {
  const times: ResolvedTimes = { start: new Map(), scopeOffset: new Map() };
  for (const scope of scopes) {
    const offset = scope.host ? times.start.get(scope.host) ?? 0 : 0;
    times.scopeOffset.set(scope, offset);
    for (const clip of scope.clips) authoredOrKnownDuration(clip, options);
    resolveScopeStarts(sink, scope, options);
    for (const clip of scope.clips) {
      const start = roundTime(offset + clip.localStart);
      times.start.set(clip, start);
      if (clip.media?.loop && clip.duration === undefined && options.rootDuration !== undefined) {
        // A looping source has no length of its own: it plays until the composition ends.
        clip.duration = roundTime(Math.max(0, options.rootDuration - start));
        clip.durationSource = 'composition-end';
      }
    }
  }
  return times;
}

function resolveScopeStarts(sink: DiagnosticSink, scope: Scope, options: TimingOptions): void {
  const byId = new Map<string, ClipDraft>();
  for (const clip of scope.clips) if (!byId.has(clip.id)) byId.set(clip.id, clip);
  const ids = new Set(byId.keys());
  const expressions = new Map<ClipDraft, StartExpression | undefined>();
  for (const clip of scope.clips) {
    const expression = readStart(sink, scope.file, clip.element, ids);
    expressions.set(clip, expression);
    if (expression) clip.startExpression = expression.kind === 'absolute' ? expression.seconds : expression.relative;
  }

  const cyclic = new Set<ClipDraft>();
  const finalize = (clip: ClipDraft): void => {
    const expression = expressions.get(clip);
    if (!expression || cyclic.has(clip)) {
      clip.localStart = 0;
      return;
    }
    if (expression.kind === 'absolute') {
      clip.localStart = expression.seconds;
      return;
    }
    const ref = byId.get(expression.relative.ref);
    if (!ref) {
      reportUnknownReference(sink, scope, clip, expression.relative.ref, ids, options.allClipIds);
      clip.localStart = 0;
      return;
    }
    // A reference whose length is unknown yet (an unresolved sub-composition) counts from its start;
    // the probe's recompile fills the length in.
    clip.localStart = roundTime(ref.localStart + (ref.duration ?? 0) + expression.relative.offset);
  };

  // Depth-first over "starts after" edges with an explicit stack: chains of thousands of clips are normal.
  const state = new Map<ClipDraft, 'visiting' | 'done'>();
  for (const first of scope.clips) {
    if (state.has(first)) continue;
    const path: ClipDraft[] = [first];
    state.set(first, 'visiting');
    while (path.length > 0) {
      const clip = path[path.length - 1];
      const expression = expressions.get(clip);
      const ref = expression?.kind === 'relative' ? byId.get(expression.relative.ref) : undefined;
      if (ref && !cyclic.has(clip)) {
        const refState = state.get(ref);
        if (refState === undefined) {
          state.set(ref, 'visiting');
          path.push(ref);
          continue;
        }
        if (refState === 'visiting') reportCycle(sink, scope, path.slice(path.indexOf(ref)), cyclic);
      }
      finalize(clip);
      state.set(clip, 'done');
      path.pop();
    }
  }
}

/** How many clip ids an invalid data-start's message lists. */
const MAX_IDS_LISTED = 5;

function reportUnknownReference(sink: DiagnosticSink, scope: Scope, clip: ClipDraft, ref: string, ids: ReadonlySet<string>, allClipIds: ReadonlySet<string>): void {
  const attr = clip.element.attrs.get('data-start')!;
  const candidates = [...ids].filter(id => id !== clip.id);
  const suggestion = nearestName(ref, candidates);
  if (suggestion === undefined && !allClipIds.has(ref)) {
    // Letters that are no id anywhere and near none ("abc") are a bad value, not a reference to fix.
    const named = candidates.length ? ` Clips of this composition: ${candidates.slice(0, MAX_IDS_LISTED).map(id => `"${id}"`).join(', ')}${candidates.length > MAX_IDS_LISTED ? ', …' : ''}.` : '';
    sink.atValue(scope.file, attr, 'error', 'invalid-number',
      `data-start="${attr.value}" is neither a number of seconds nor the id of a clip. Write seconds (data-start="1.5") or a clip's id (data-start="intro", data-start="intro + 0.5").${named}`,
      { attribute: 'data-start', ref });
    return;
  }
  const message = allClipIds.has(ref)
    ? `data-start refers to "${ref}", which is a clip of another composition; a relative start can only name a clip of the same composition.${didYouMean(suggestion)}`
    : `data-start refers to "${ref}", but no clip in this composition has that id.${didYouMean(suggestion)} Use an existing clip id or a number of seconds.`;
  sink.atValue(scope.file, attr, 'error', 'unknown-start-reference', message, suggestion === undefined ? { ref } : { ref, suggestion });
}

function reportCycle(sink: DiagnosticSink, scope: Scope, cycle: readonly ClipDraft[], cyclic: Set<ClipDraft>): void {
  const chain = [...cycle, cycle[0]].map(clip => clip.id).join(' → ');
  for (const clip of cycle) {
    if (cyclic.has(clip)) continue;
    cyclic.add(clip);
    sink.atValue(scope.file, clip.element.attrs.get('data-start')!, 'error', 'cyclic-start-reference',
      `Clip "${clip.id}" has a cyclic start: ${chain}. Give one of these clips a numeric data-start.`, { cycle: cycle.map(c => c.id) });
  }
}

/** Warns about clips that start before 0, start after, or end after the root's written duration. */
export function checkClipsInsideComposition(sink: DiagnosticSink, clips: readonly ClipDraft[], times: ResolvedTimes, rootDuration: number): void {
  for (const clip of clips) {
    const start = times.start.get(clip) ?? 0;
    const end = clip.duration === undefined ? undefined : roundTime(start + clip.duration);
    const file = clip.scope.file;
    const startAttr = clip.element.attrs.get('data-start');
    const durationAttr = clip.element.attrs.get('data-duration');
    const place = (attr: typeof startAttr, message: string, code: 'clip-outside-composition' | 'clip_ends_past_root_duration' = 'clip-outside-composition'): void => {
      if (attr) sink.atValue(file, attr, 'warning', code, message, { clipId: clip.id, start, end, compositionDuration: rootDuration });
      else sink.atTagName(file, clip.element, 'warning', code, message, { clipId: clip.id, start, end, compositionDuration: rootDuration });
    };
    if (start < -TIME_EPSILON_S) {
      place(startAttr, `Clip "${clip.id}" starts at ${start}s, before the composition starts; the part before 0s is never shown. Start it at 0 or later.`);
    } else if (start >= rootDuration - TIME_EPSILON_S) {
      place(startAttr, `Clip "${clip.id}" starts at ${start}s, when the composition (${rootDuration}s) has already ended: it is never shown. Start it earlier or lengthen the root's data-duration.`);
    } else if (end !== undefined && end > rootDuration + CLIP_END_TOLERANCE_S) {
      // The reference's lint says this one (clip_ends_past_root_duration): said once, under its code.
      place(durationAttr ?? startAttr, `Clip "${clip.id}" runs from ${start}s to ${end}s, past the root composition's data-duration of ${rootDuration}s, so it is cut off in previews, posters and renders. Shorten its data-duration or lengthen the root's data-duration to ${end}.`, 'clip_ends_past_root_duration');
    }
  }
}
