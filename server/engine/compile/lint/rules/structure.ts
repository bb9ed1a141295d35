// Structure rules: composition hosts, editable ids, the clip class, the timeline's one-row-per-element
// model, caption tracks, file size, and more than one root composition in a project folder.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_COMPOSITION_LINES } from '../../../limits';
import { hasClass, type SourceElement } from '../../parseHtml';
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
  for (const row of timelineRows(root)) {
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
