// Structure rules: composition hosts, editable ids, the clip class, the timeline's one-row-per-element
// model, caption tracks, file size, and more than one root composition in a project folder.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_COMPOSITION_LINES } from '../../../limits';
import type { ClipDraft } from '../../drafts';
import { hasClass, type SourceElement } from '../../parseHtml';
import { roundTime } from '../../timing';
import { describeElement, elementId, type LintFile, type LintReporter } from '../context';

const NON_RENDERED = new Set(['script', 'style', 'template', 'noscript', 'link', 'meta']);
const UNTIMED_CLIP_CLASS_TAGS = new Set(['audio', 'img', 'video', 'script', 'style', 'template']);
const INLINE_TEXT = new Set(['br', 'wbr', 'b', 'i', 'u', 's', 'em', 'strong', 'small', 'sub', 'sup', 'mark', 'span', 'a', 'code', 'abbr']);
const OPAQUE = new Set(['svg', 'canvas', 'picture', 'video', 'audio', 'select', 'textarea', 'iframe', 'object']);
const MEDIA = new Set(['video', 'audio', 'img']);

const isHost = (element: SourceElement) => element.attrs.has('data-composition-src') || element.attrs.has('data-composition-id');

function isTimelineElement(element: SourceElement): boolean {
  if (NON_RENDERED.has(element.tagName)) return false;
  const { attrs } = element;
  return attrs.has('data-start') || attrs.has('data-track-index') || attrs.has('data-track') || attrs.has('data-composition-src') || attrs.has('data-composition-file');
}

export function lintStructure(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    const { attrs } = element;
    const src = attrs.get('data-composition-src');
    if (src && !attrs.get('data-composition-id')?.value.trim()) {
      report.atTagName(element, 'host_missing_composition_id',
        `Composition host for "${src.value}" is missing \`data-composition-id\`.`,
        'Set `data-composition-id` on every `data-composition-src` host element.', { elementId: elementId(element), src: src.value });
    }
    if (element !== lint.root && isTimelineElement(element) && !elementId(element)) {
      report.atTagName(element, 'studio_missing_editable_id',
        `${describeElement(element)} has no id, so Studio cannot use a stable edit target for its timeline and canvas controls.`,
        'Add a stable, human-readable id such as id="hero-title" to every timeline-visible element you want to edit.');
    }
    if (!UNTIMED_CLIP_CLASS_TAGS.has(element.tagName) && !isHost(element)
      && (attrs.has('data-start') || attrs.has('data-duration')) && !hasClass(element, 'clip')) {
      const classAttr = attrs.get('class');
      const message = `${describeElement(element)} has timing attributes but no class="clip": the runtime still hides it outside its time range, but Studio and the GSAP clip-ownership rules use .clip to recognise a clip.`;
      const hint = 'Add class="clip" to the element.';
      if (classAttr) report.atValue(classAttr, 'timed_element_missing_clip_class', message, hint, { elementId: elementId(element) });
      else report.atTagName(element, 'timed_element_missing_clip_class', message, hint, { elementId: elementId(element) });
    }
  }
  if (!lint.isSubComposition && lint.root) lintTimelineRows(report, lint.root);
  lintFileSize(report, lint);
}

/** The timeline's rows: the root's timed elements and hosts, not looking inside them. */
function timelineRows(root: SourceElement): SourceElement[] {
  const rows: SourceElement[] = [];
  const visit = (element: SourceElement) => {
    if (NON_RENDERED.has(element.tagName)) return;
    const { attrs } = element;
    const timed = attrs.has('data-start') || (attrs.has('data-track-index') && attrs.has('data-duration')) || MEDIA.has(element.tagName);
    if (isHost(element) || timed) rows.push(element);
    else element.children.forEach(visit);
  };
  root.children.forEach(visit);
  return rows;
}

function nestedStructure(element: SourceElement): SourceElement | undefined {
  if (OPAQUE.has(element.tagName)) return undefined;
  for (const child of element.children) {
    if (NON_RENDERED.has(child.tagName)) continue;
    if (!INLINE_TEXT.has(child.tagName)) return child;
    const deeper = nestedStructure(child);
    if (deeper) return deeper;
  }
  return undefined;
}

function lintTimelineRows(report: LintReporter, root: SourceElement): void {
  const rows = timelineRows(root);
  const captionLanes = new Set<string>();
  for (const row of rows) {
    if (!MEDIA.has(row.tagName) && !row.attrs.has('data-duration') && !row.attrs.has('data-end') && !isHost(row)) {
      report.atTagName(row, 'timeline_element_missing_timing',
        `${describeElement(row)} is a timeline element without data-duration, so the timeline cannot draw where it ends.`,
        `Add data-duration (in seconds) to ${describeElement(row)}.`, { elementId: elementId(row) });
    }
    const kind = row.attrs.get('data-track-kind')?.value.trim().toLowerCase();
    const lane = row.attrs.get('data-track-index')?.value ?? row.attrs.get('data-track')?.value;
    if (lane !== undefined && (kind === 'captions' || (!kind && isHost(row) && (row.attrs.get('data-composition-id')?.value === 'captions' || /(?:^|\s)caption[-_]/.test(row.attrs.get('class')?.value ?? ''))))) {
      captionLanes.add(lane.trim());
      if (captionLanes.size === 2) {
        report.atValue(row.attrs.get('data-track-index') ?? row.attrs.get('data-track')!, 'multiple_caption_tracks',
          'Captions are spread across more than one timeline track. Keep all captions on one track.', 'Give every caption element the same data-track-index.',
          { elementId: elementId(row) });
      }
    }
  }
  for (const row of rows) {
    const nested = isHost(row) ? undefined : nestedStructure(row);
    if (nested) {
      report.atTagName(row, 'nested_structure_needs_subcomposition',
        `${describeElement(row)} is a timeline element that contains nested ${describeElement(nested)}. The timeline shows one row per top-level element, and the root composition is built only from sub-compositions.`,
        `Move ${describeElement(row)} and its contents into a sub-composition file and mount it with data-composition-src.`,
        { elementId: elementId(row) });
    }
    const explicitKind = row.attrs.get('data-track-kind')?.value.trim().toLowerCase();
    const legacyCaptions = row.attrs.get('data-composition-id')?.value === 'captions' || /(?:^|\s)caption[-_]/.test(row.attrs.get('class')?.value ?? '');
    if (!explicitKind && isHost(row) && legacyCaptions) {
      report.atTagName(row, 'caption_track_kind_missing',
        `${describeElement(row)} looks like captions but is not marked as such, so the timeline cannot group it on the caption track.`,
        `Add data-track-kind="captions" to ${describeElement(row)}.`, { elementId: elementId(row) });
    }
  }
}

/** Lines of the file with each <style> counted as one (long stylesheets are not what makes a file hard to read). */
function structuralLineCount(text: string): number {
  return text.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '<style></style>').split(/\r\n|\r|\n/).length;
}

function lintFileSize(report: LintReporter, lint: LintFile): void {
  const lines = structuralLineCount(lint.file.text);
  if (lines <= MAX_COMPOSITION_LINES || !lint.root) return;
  report.atTagName(lint.root, 'composition_file_too_large',
    `This HTML composition file has ${lines} lines (more than ${MAX_COMPOSITION_LINES}). Smaller sub-compositions are easier to read, iterate on, and diff.`,
    lint.isSubComposition
      ? 'Split this sub-composition further into smaller .html files.'
      : 'Split coherent scenes or layers into separate .html files under compositions/ and mount them with data-composition-src.');
}

/** Other .html files beside the entry that also hold a composition: the runtime may take each for an entry. */
export function lintMultipleRoots(report: LintReporter, lint: LintFile): void {
  if (lint.isSubComposition || !lint.root) return;
  const folder = path.dirname(lint.file.path);
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter(name => name.endsWith('.html') && !name.startsWith('._') && name !== 'caption-skin.html').sort();
  } catch {
    return;
  }
  const roots = names.filter(name => {
    if (path.join(folder, name) === lint.file.path) return true;
    try {
      return /data-composition-id/i.test(fs.readFileSync(path.join(folder, name), 'utf8'));
    } catch {
      return false;
    }
  });
  if (roots.length < 2) return;
  report.atTagName(lint.root, 'multiple_root_compositions',
    `Multiple root-level HTML files with data-composition-id: ${roots.join(', ')}. The runtime may discover each as an entry point, causing duplicate audio playback.`,
    'A project should have exactly one root index.html with data-composition-id. Move the others under compositions/ or rename them.',
    { files: roots });
}

/** data-composition-id is the root's alone (a host names the composition it mounts, and is not counted). */
export function lintDuplicateCompositionIds(report: LintReporter, lint: LintFile): void {
  const byId = new Map<string, SourceElement[]>();
  for (const element of lint.elements) {
    if (element.attrs.has('data-composition-src')) continue;
    const id = element.attrs.get('data-composition-id')?.value.trim();
    if (!id) continue;
    const list = byId.get(id);
    if (list) list.push(element);
    else byId.set(id, [element]);
  }
  for (const [id, elements] of byId) {
    if (elements.length < 2) continue;
    // On the first (where the reference points), naming the others: the ones to remove.
    const others = elements.slice(1).map(element => `${describeElement(element)} on line ${lint.file.lines.positionAt(element.start).line + 1}`);
    report.atValue(elements[0].attrs.get('data-composition-id')!, 'duplicate_composition_id',
      `Composition id "${id}" is used by ${elements.length} elements (also ${others.join(', ')}). Each data-composition-id value must be unique within a composition file.`,
      'Keep data-composition-id on exactly one element, the composition root; remove it from metadata (a <meta> carrying the root\'s id) or duplicate hosts.',
      { elementId: elementId(elements[0]) });
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** The attribute names the reference has retired: data-layer (data-track-index) and data-end (data-duration). */
export function lintDeprecatedTiming(report: LintReporter, lint: LintFile): void {
  for (const element of lint.elements) {
    const { attrs } = element;
    const layer = attrs.get('data-layer');
    if (layer) {
      report.atAttribute(layer, 'deprecated_data_layer', `${describeElement(element)} uses data-layer instead of data-track-index.`,
        'Replace data-layer with data-track-index, the name Studio and the linter read.',
        { elementId: elementId(element), replace: { range: report.range(layer.start, layer.valueStart > layer.start + 'data-layer'.length ? layer.start + 'data-layer'.length : layer.end), text: attrs.has('data-track-index') ? '' : 'data-track-index' } });
    }
    const end = attrs.get('data-end');
    if (!end) continue;
    const endValue = end.value.trim();
    const start = attrs.get('data-start')?.value.trim() ?? '0';
    const duration = attrs.get('data-duration')?.value.trim();
    const canonicalEnd = duration !== undefined && NUMBER.test(duration) && NUMBER.test(start) ? Number(start) + Number(duration) : undefined;
    if (NUMBER.test(endValue) && canonicalEnd !== undefined && Math.abs(Number(endValue) - canonicalEnd) <= 1e-9) continue;
    const conflicting = NUMBER.test(endValue) && canonicalEnd !== undefined;
    // data-end → data-duration when the start is a number; a stale data-end beside data-duration just goes.
    const derived = !duration && NUMBER.test(endValue) && NUMBER.test(start) ? Number((Number(endValue) - Number(start)).toFixed(6)) : undefined;
    const replacement = duration !== undefined ? '' : derived !== undefined && derived >= 0 ? `data-duration="${derived}"` : undefined;
    report.atAttribute(end, 'deprecated_data_end',
      conflicting
        ? `${describeElement(element)} has data-end that disagrees with data-duration. Remove the stale data-end; the compiler derives the end from data-duration.`
        : `${describeElement(element)} uses data-end instead of data-duration.`,
      'Replace data-end with data-duration. The compiler derives the end from data-duration.',
      { elementId: elementId(element), ...(replacement !== undefined ? { replace: { range: report.range(end.start, end.end), text: replacement } } : {}) });
  }
}

/** A sub-composition slot this much shorter than the root still counts as filling it. */
const SLOT_END_TOLERANCE_S = 0.5;
/** A sub-composition starting this close to 0 is the scene that should fill the root. */
const SLOT_START_TOLERANCE_S = 0.5;

/**
 * A timed element inside a timed element whose window it never overlaps: the runtime hides the parent
 * outside its window, so the child never shows (a nested data-start counts from the composition's start).
 * Clips whose time is their own (audio, a global media start basis) are not bound by the parent.
 */
export function lintNestedClipsNeverVisible(report: LintReporter, lint: LintFile, clips: readonly ClipDraft[]): void {
  const clipOf = new Map(clips.filter(clip => clip.scope.file === lint.file).map(clip => [clip.element, clip]));
  const windowOf = (clip: ClipDraft) => clip.duration === undefined ? undefined : { start: clip.localStart, end: roundTime(clip.localStart + clip.duration) };
  for (const [element, clip] of clipOf) {
    if (element.tagName === 'audio' || element.attrs.get('data-hf-media-start-basis')?.value.trim() === 'global') continue;
    let parent: ClipDraft | undefined;
    for (let up = element.parent; up && up !== clip.scope.element; up = up.parent) {
      parent = clipOf.get(up);
      if (parent || isHost(up)) break;
    }
    // A host's content is its sub-composition's, timed from the host's start.
    if (!parent || parent.scope !== clip.scope || isHost(parent.element)) continue;
    const own = windowOf(clip);
    const shown = windowOf(parent);
    if (!own || !shown || (own.end > shown.start && own.start < shown.end)) continue;
    const where = element.attrs.get('data-start');
    const shows = `${shown.start}s to ${shown.end}s`;
    const message = `${describeElement(element)} plays from ${own.start}s to ${own.end}s, but it sits inside ${describeElement(parent.element)}, which only shows from ${shows}, so it never appears. A nested data-start counts from the composition's start, not from its parent's.`;
    const fixHint = `Give ${describeElement(element)} a data-start between ${shows} in composition time, or move it out of ${describeElement(parent.element)}.`;
    if (where) report.atValue(where, 'nested_clip_never_visible', message, fixHint, { elementId: elementId(element) });
    else report.atTagName(element, 'nested_clip_never_visible', message, fixHint, { elementId: elementId(element) });
  }
}

/** A sub-composition mounted at ~0 that ends before the root does, with nothing else reaching the end: its slot goes blank. */
export function lintSlotBlanksBeforeHost(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  const rootDuration = Number(root?.attrs.get('data-duration')?.value);
  if (!root || !Number.isFinite(rootDuration) || rootDuration <= 0) return;
  const timed = lint.elements.filter(element => element !== root && element.attrs.has('data-start')).map(element => {
    const start = Number(element.attrs.get('data-start')!.value) || 0;
    const duration = Number(element.attrs.get('data-duration')?.value);
    return { element, start, end: Number.isFinite(duration) && duration > 0 ? start + duration : Infinity };
  });
  const round = (n: number) => Math.round(n * 1000) / 1000;
  for (const slot of timed) {
    if (!slot.element.attrs.has('data-composition-src') || slot.start > SLOT_START_TOLERANCE_S || !Number.isFinite(slot.end)) continue;
    // A start relative to another clip ("intro") is not ~0: the reference reads it as 0 and reports a slot
    // that does not start there; ours resolves such starts elsewhere and stays silent here.
    if (!NUMBER.test(slot.element.attrs.get('data-start')!.value.trim())) continue;
    if (slot.end >= rootDuration - SLOT_END_TOLERANCE_S) continue;
    if (timed.some(other => other !== slot && other.end >= rootDuration - SLOT_END_TOLERANCE_S)) continue;
    const gap = round(rootDuration - slot.end);
    const fill = round(rootDuration - slot.start);
    const duration = slot.element.attrs.get('data-duration')!;
    report.atTagName(slot.element, 'subcomposition_blanks_before_host',
      `${describeElement(slot.element)} sub-composition ends at ${round(slot.end)}s but the composition runs to ${round(rootDuration)}s, so its slot will be blank for ~${gap}s.`,
      `data-duration is the slot's visible window: set it to ${fill} to fill the host window, or add another clip to cover the remaining ~${gap}s.`,
      { elementId: elementId(slot.element), replace: { range: report.range(duration.valueStart, duration.valueEnd), text: String(fill) } });
  }
}

/** The class tokens of a selector's leftmost compound (`.frame .title` → frame). */
function leftmostClasses(selector: string): string[] {
  const first = selector.trim().split(/[\s>+~]+/)[0] ?? '';
  return [...first.matchAll(/\.([\w-]+)/g)].map(match => match[1]);
}

/**
 * A sub-composition's rules are scoped to `[data-composition-id="…"] <selector>` at render, so a selector
 * starting with the root's own class names a descendant of the root, not the root.
 */
export function lintRootStyledByClass(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  const classAttr = root?.attrs.get('class');
  const compositionId = root?.attrs.get('data-composition-id')?.value.trim();
  if (!lint.isSubComposition || !root || !classAttr || !compositionId) return;
  const rootClasses = classAttr.value.split(/\s+/).filter(Boolean);
  const offenders: string[] = [];
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      if (rule.selector.startsWith('@')) continue;
      for (const selector of rule.selector.split(',').map(part => part.trim())) {
        if (leftmostClasses(selector).some(name => rootClasses.includes(name)) && !offenders.includes(selector)) offenders.push(selector);
      }
    }
  }
  if (offenders.length === 0) return;
  const example = offenders.slice(0, 3).join(', ');
  report.atValue(classAttr, 'subcomposition_root_styled_by_class',
    `Root element has class="${rootClasses.join(' ')}" and is styled by ${offenders.length} rule(s) keyed off that class (e.g. ${example}). At render every sub-composition rule is scoped to [data-composition-id="${compositionId}"] <selector>, so a selector whose leftmost part is the root's own class becomes a descendant selector that cannot match the scoped root itself.`,
    'Give the root id="root" and style it with `#root { … }` plus plain descendant selectors (`.kicker`, `#hero`): the runtime already scopes each sub-composition by data-composition-id.',
    { selector: example });
}

/** The reference warns from this many heavy overlays (about 40 made a capture go black for half the render). */
const HEAVY_OVERLAY_WARN_COUNT = 25;
const HEAVY_OVERLAY_CSS = /(?:filter\s*:[^;}]*\bblur\s*\()|(?:clip-path\s*:(?!\s*(?:none|inherit|initial|unset)\b)\s*[^;}]+)|(?:radial-gradient\s*\()/i;
const HEAVY_OVERLAY_EXEMPT = new Set(['audio', 'body', 'br', 'defs', 'head', 'hr', 'html', 'link', 'meta', 'script', 'source', 'style', 'template', 'title', 'use', 'video']);

/** Many elements with blur filters, clip-paths or radial gradients in one file: the capture layer gives up on them. */
export function lintHeavyOverlays(report: LintReporter, lint: LintFile): void {
  const classes = new Set<string>();
  const ids = new Set<string>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      if (rule.selector.startsWith('@') || !HEAVY_OVERLAY_CSS.test(rule.declarations.map(d => `${d.property}: ${d.value}`).join(';'))) continue;
      for (const selector of rule.selector.split(',')) {
        const first = selector.trim().split(/[\s>+~]+/)[0] ?? '';
        for (const name of leftmostClasses(selector)) classes.add(name);
        const id = /#([\w-]+)/.exec(first)?.[1];
        if (id) ids.add(id);
      }
    }
  }
  let count = 0;
  for (const element of lint.elements) {
    if (HEAVY_OVERLAY_EXEMPT.has(element.tagName) || element.attrs.has('data-composition-id') || element.attrs.has('data-composition-src')) continue;
    const style = element.attrs.get('style')?.value ?? '';
    if (/(?:^|;)\s*display\s*:\s*none\b/i.test(style)) continue;
    const id = elementId(element);
    if (HEAVY_OVERLAY_CSS.test(style) || (element.attrs.get('class')?.value ?? '').split(/\s+/).some(name => classes.has(name)) || (id !== undefined && ids.has(id))) count++;
  }
  if (count < HEAVY_OVERLAY_WARN_COUNT || !lint.root) return;
  report.atTagName(lint.root, 'composition_heavy_overlay_count_high',
    `This composition has ${count} elements carrying "heavy overlay" CSS (filter: blur, radial-gradient, or clip-path). With ~40 such elements (hidden ones included) the capture comes out solid black for the first half of the render; only display: none elements do not count.`,
    lint.isSubComposition
      ? 'Split this sub-composition further into per-transition mini-compositions, or give overlays inert for the whole clip display: none.'
      : 'Split scenes or transitions into separate .html files under compositions/, or give overlays inert for the whole clip display: none.');
}

const TIMED_MEDIA = new Set(['video', 'audio']);

/** The scripts build a GSAP timeline and assign one to window.__timelines (the runtime then knows the length). */
export function registersGsapTimeline(code: string): boolean {
  return /gsap\s*\.\s*timeline\s*\(/.test(code) && /window\.__timelines(?:\[\s*(?:["'][^"']+["']|[A-Za-z_$][\w$.]*)\s*\]|\.\s*[A-Za-z_$][\w$]*)\s*=\s*[A-Za-z_$]/.test(code);
}

/**
 * A root without data-duration and without a registered GSAP timeline (or another runtime that sets its own
 * length) is as long as its clips: said, with that length, so the author can write it down.
 */
export function lintDurationDerived(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  if (lint.isSubComposition || !root || root.attrs.has('data-duration')) return;
  const code = lint.scripts.map(script => script.code).join('\n');
  if (registersGsapTimeline(code)) return;
  const css = [...lint.styles.map(style => lint.file.text.slice(style.element.startTagEnd, style.element.endTagStart ?? style.element.end)), ...lint.elements.map(element => element.attrs.get('style')?.value ?? '')].join('\n');
  const otherRuntime = lint.elements.some(element => element.attrs.has('data-lottie-src')) || /lottie\.loadAnimation\b|__hfLottie\b|\bTHREE\.|\.animate\s*\(\s*[[{$A-Za-z_]/.test(code) || /\banimation(?:-name)?\s*:/.test(css);
  if (otherRuntime) return;
  let latest: number | undefined;
  let pending = 0;
  for (const element of lint.elements) {
    if (element === root || !element.attrs.has('data-start')) continue;
    const start = Number(element.attrs.get('data-start')!.value);
    if (!Number.isFinite(start)) continue;
    const duration = Number(element.attrs.get('data-duration')?.value ?? NaN);
    if (Number.isFinite(duration) && duration > 0) latest = Math.max(latest ?? 0, start + duration);
    else if (TIMED_MEDIA.has(element.tagName)) pending++;
  }
  if (latest === undefined) return;
  const seconds = Math.round(latest * 1000) / 1000;
  report.atTagName(root, 'root_composition_duration_derived',
    `Root composition has no data-duration and no GSAP timeline, so its length is taken from its clips: at least ${seconds}s${pending > 0 ? `, and ${pending} clip(s) whose length is only known at runtime` : ''}.`,
    'Add data-duration="<seconds>" to the root element to set the length yourself.', { duration: seconds });
}

/** <style> and </style> unpaired (outside scripts): one stylesheet swallows markup, or CSS shows as text. */
export function lintUnbalancedStyleTags(report: LintReporter, lint: LintFile): void {
  let depth = 0;
  let opens = 0;
  let closes = 0;
  let firstUnclosed: { start: number; end: number } | undefined;
  let extraCloser: { start: number; end: number } | undefined;
  // A "<style>" written inside an HTML comment is no tag (comments blanked, offsets kept).
  const text = lint.file.text.replace(/<!--[\s\S]*?(?:-->|$)/g, comment => ' '.repeat(comment.length));
  for (const match of text.matchAll(/<script\b[\s\S]*?<\/script[^>]*>|<style\b|<\/style\s*>/gi)) {
    const token = match[0].toLowerCase();
    if (token.startsWith('<script')) continue;
    if (token.startsWith('</style')) {
      closes++;
      if (depth === 0) extraCloser ??= { start: match.index, end: match.index + match[0].length };
      else depth--;
    } else {
      opens++;
      if (depth === 0) firstUnclosed = { start: match.index + 1, end: match.index + match[0].length };
      depth++;
    }
  }
  if (opens === closes) return;
  const at = opens > closes ? firstUnclosed : extraCloser ?? firstUnclosed;
  if (!at) return;
  report.atOffsets(at.start, at.end, 'unbalanced_style_tags',
    opens > closes
      ? 'A <style> block is never closed, so following markup is parsed as CSS and disappears from the frame.'
      : 'An extra </style> closes the stylesheet early, so trailing CSS renders as visible on-screen text.',
    'Keep <style> and </style> paired. One extra closer dumps CSS into the body.');
}

/** The project's index.html wrapped in <template>: only sub-compositions are; a root inside one never plays. */
export function lintRootInTemplate(report: LintReporter, lint: LintFile, projectRoot: string): void {
  if (lint.file.path !== path.join(projectRoot, 'index.html')) return;
  const template = /^\s*<template\b/i.exec(lint.file.text);
  if (!template) return;
  const start = template[0].toLowerCase().indexOf('<template') + 1;
  report.atOffsets(start, start + 'template'.length, 'standalone_composition_wrapped_in_template',
    'Root index.html is wrapped in a <template> tag. Only sub-compositions loaded via data-composition-src use <template> wrappers; the runtime cannot play a standalone composition inside a template.',
    'Remove the <template> wrapper: <!DOCTYPE html><html>…<div data-composition-id>…</div>…</html>.');
}

/** An id starting with a digit: `#1intro` is not a valid selector (querySelector and GSAP throw, CSS drops the rule). */
export function lintDigitIds(report: LintReporter, lint: LintFile): void {
  const digitIds = lint.elements.flatMap(element => {
    const attr = element.attrs.get('id');
    return attr && /^\d/.test(attr.value.trim()) ? [attr] : [];
  });
  if (digitIds.length === 0) return;
  const selectorText = [...lint.styles.flatMap(style => style.rules.map(rule => rule.selector)), ...lint.scripts.map(script => script.code)].join('\n');
  for (const attr of digitIds) {
    const id = attr.value.trim();
    const used = new RegExp(`#${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(selectorText);
    report.atOffsets(attr.valueStart, attr.valueEnd, 'id_requires_css_escape',
      used
        ? `id="${id}" starts with a digit, and the selector \`#${id}\` used in this composition is invalid: querySelector and GSAP throw a SyntaxError, and CSS drops the rule.`
        : `id="${id}" starts with a digit: a \`#${id}\` selector for it would be invalid (querySelector and GSAP throw, CSS drops the rule).`,
      `Rename the id to start with a letter (e.g. "s${id}"), or select it as [id="${id}"] / #\\3${id[0]} ${id.slice(1)}.`,
      { elementId: id }, used ? 'error' : 'warning');
  }
}
