// Rules about the root's canvas and the document around it: a scaffold's html/body CSS or viewport meta
// left at another size, CSS zoom on the canvas, a canvas wider than the reference's inspection viewport,
// a root whose length nothing can tell, a blank index.html beside a real composition under compositions/,
// a start tag missing its ">" (the next element becomes attribute text), and the slideshow manifest.
import fs from 'node:fs';
import path from 'node:path';
import { parseSourceFileSync, type SourceElement } from '../../parseHtml';
import { compositionFiles } from '../compositionFiles';
import { type LintFile, type LintReporter } from '../context';
import { scanDeclarations, type CssDeclarationAt } from '../stylesheet';
import { registersGsapTimeline } from './structure';

/** The reference's check/snapshot/layout clamp their viewport to this (its render does not). */
const REFERENCE_INSPECTION_VIEWPORT_CAP = 4096;
const HTML_BODY_WIDTH_FIRST = /(html\s*,\s*body\s*\{[^}]*?width:\s*)(\d+)px([^}]*?height:\s*)(\d+)px/i;
const HTML_BODY_HEIGHT_FIRST = /(html\s*,\s*body\s*\{[^}]*?height:\s*)(\d+)px([^}]*?width:\s*)(\d+)px/i;
const VIEWPORT_META_SIZE = /(<meta[^>]*name=["']viewport["'][^>]*content=["']width=)(\d+)(,\s*height=)(\d+)/i;
const SLIDESHOW_TYPE = 'application/hyperframes-slideshow+json';

interface SizeAt { width: string; height: string; widthAt: number; heightAt: number }

function sizeIn(text: string, pattern: RegExp, widthFirst: boolean): SizeAt | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const first = match.index + match[1].length;
  // Both patterns end with the second number (and the CSS ones with its "px").
  const second = match.index + match[0].length - match[4].length - (match[0].endsWith('px') ? 2 : 0);
  return widthFirst
    ? { width: match[2], height: match[4], widthAt: first, heightAt: second }
    : { width: match[4], height: match[2], widthAt: second, heightAt: first };
}

/** The scaffold's other copies of the size (html/body CSS, viewport meta) left behind when data-width/height changed. */
export function lintRootDimensions(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  if (!root) return;
  const width = root.attrs.get('data-width');
  const height = root.attrs.get('data-height');
  if (!width?.value || !height?.value) return;
  const over = [width, height].filter(attr => Number.parseInt(attr.value, 10) > REFERENCE_INSPECTION_VIEWPORT_CAP);
  if (over.length > 0) {
    report.atValue(over[0], 'composition_exceeds_inspection_viewport_cap',
      `${over.map(attr => `${attr.name}=${Number.parseInt(attr.value, 10)}`).join(' and ')} exceeds the ${REFERENCE_INSPECTION_VIEWPORT_CAP}px viewport the reference's check, snapshot, compare and layout clamp to: the render is full size, but those tools see only the first ${REFERENCE_INSPECTION_VIEWPORT_CAP}px.`,
      `Verify the region past ${REFERENCE_INSPECTION_VIEWPORT_CAP}px from a render; if the large canvas is only there for resolution, author at the layout size and render with --output-resolution.`);
  }
  if (lint.isSubComposition) return;
  const text = lint.file.text;
  const css = sizeIn(text, HTML_BODY_WIDTH_FIRST, true) ?? sizeIn(text, HTML_BODY_HEIGHT_FIRST, false);
  const meta = sizeIn(text, VIEWPORT_META_SIZE, true);
  const differs = (size: SizeAt | undefined) => size !== undefined && (size.width !== width.value || size.height !== height.value);
  if (!differs(css) && !differs(meta)) return;
  const edits: Array<{ range: ReturnType<LintReporter['range']>; text: string }> = [];
  for (const size of [css, meta]) {
    if (!differs(size)) continue;
    if (size!.width !== width.value) edits.push({ range: report.range(size!.widthAt, size!.widthAt + size!.width.length), text: width.value });
    if (size!.height !== height.value) edits.push({ range: report.range(size!.heightAt, size!.heightAt + size!.height.length), text: height.value });
  }
  const declared = `Root composition declares data-width="${width.value}" data-height="${height.value}"`;
  const cssPart = differs(css) ? `html/body CSS is ${css!.width}x${css!.height}` : undefined;
  const metaPart = differs(meta) ? `the viewport meta is ${meta!.width}x${meta!.height}` : undefined;
  const at = differs(css) ? css! : meta!;
  const start = at.width !== width.value ? at.widthAt : at.heightAt;
  const length = (at.width !== width.value ? at.width : at.height).length;
  if (!cssPart) {
    report.atOffsets(start, start + length, 'root_dimensions_mismatch',
      `${declared}, but ${metaPart}. The viewport meta has no effect on capture (the viewport is sized from the root's data-width/data-height): stale metadata, not a clipping risk.`,
      'Update the meta viewport to match.', { edits });
    return;
  }
  report.atOffsets(start, start + length, 'root_dimensions_mismatch',
    `${declared}, but ${metaPart ? `${cssPart} and ${metaPart}` : cssPart}. The scaffolded body clips the composition at its old size.`,
    'Update the html/body CSS and the meta viewport to match.', { edits });
}

function rescalingZoom(declaration: CssDeclarationAt): string | undefined {
  if (declaration.property !== 'zoom') return undefined;
  const value = declaration.value.replace(/!\s*important\s*$/i, '').trim();
  return ['', 'normal', 'unset', 'initial', 'revert', '1', '1.0', '100%'].includes(value.toLowerCase()) ? undefined : value;
}

/** The last compound of a selector (the element it styles). */
function subjectOf(selector: string): string {
  const compounds = selector.trim().split(/\s*[\s>+~]\s*/).filter(Boolean);
  return compounds[compounds.length - 1] ?? '';
}

/** `zoom` on the canvas (the root, html or body) rescales what is painted inside a frame that keeps its size. */
export function lintCanvasZoom(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  if (!root) return;
  const rootId = root.attrs.get('id')?.value.trim();
  const rootClasses = (root.attrs.get('class')?.value ?? '').split(/\s+/).filter(Boolean);
  const targetsCanvas = (selector: string) => {
    const subject = subjectOf(selector);
    const type = /^[a-z][\w-]*|^\*|^:root/i.exec(subject)?.[0].toLowerCase();
    if (type === 'html' || type === 'body' || type === ':root' || (type === '*' && subject === '*')) return true;
    if (rootId && new RegExp(`#${rootId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(subject)) return true;
    return [...subject.matchAll(/\.([\w-]+)/g)].some(match => rootClasses.includes(match[1]));
  };
  const hits: Array<{ declaration: CssDeclarationAt; value: string; where: string }> = [];
  const html = lint.elements.find(element => element.tagName === 'html');
  const body = lint.elements.find(element => element.tagName === 'body');
  for (const [where, element] of [["the root element's inline style", root], ["<html>'s inline style", html], ["<body>'s inline style", body]] as const) {
    const style = element?.attrs.get('style');
    if (!style) continue;
    for (const declaration of scanDeclarations(style.value, style.valueStart)) {
      const value = rescalingZoom(declaration);
      if (value) hits.push({ declaration, value, where });
    }
  }
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      // The declarations first: a rule without a rescaling zoom needs no selector matching.
      const zooms = rule.declarations.filter(declaration => declaration.property === 'zoom');
      if (zooms.length === 0 || rule.selector.startsWith('@')) continue;
      const selector = rule.selector.split(',').map(part => part.trim()).find(targetsCanvas);
      if (!selector) continue;
      for (const declaration of zooms) {
        const value = rescalingZoom(declaration);
        if (value) hits.push({ declaration, value, where: `\`${selector}\`` });
      }
    }
  }
  const hit = hits[0];
  if (!hit) return;
  const enlarging = !hit.value.startsWith('-') && Number.parseFloat(hit.value) > (hit.value.includes('%') ? 100 : 1);
  report.atOffsets(hit.declaration.start, hit.declaration.end, 'root_zoom_rescales_a_fixed_canvas',
    `\`zoom: ${hit.value}\` on ${hit.where} rescales the painted composition inside a frame that does not rescale with it (the frame is sized from data-width/data-height in layout pixels), so `
      + (enlarging ? 'content past the frame\'s edge renders zero pixels.' : 'the composition paints into part of the frame and the rest of every frame is dead space.'),
    'Author the composition at its real size (data-width/data-height and the root\'s CSS size) and drop the canvas-level `zoom`; to scale the output, render with --output-resolution. `zoom` on descendants is fine.');
}

/** The root's length when the runtime cannot infer one: a Three.js scene, or an infinite CSS animation (compile/index.ts says the rest). */
export function lintMissingDurationSource(report: LintReporter, lint: LintFile): void {
  const root = lint.root;
  if (lint.isSubComposition || !root || root.attrs.has('data-duration')) return;
  const code = lint.scripts.map(script => script.code).join('\n');
  if (registersGsapTimeline(code)) return;
  const css = [...lint.styles.map(style => lint.file.text.slice(style.element.startTagEnd, style.element.endTagStart ?? style.element.end)),
    ...lint.elements.map(element => element.attrs.get('style')?.value ?? '')].join('\n').replace(/\/\*[\s\S]*?\*\//g, '');
  const usesLottie = lint.elements.some(element => element.attrs.has('data-lottie-src')) || /lottie\.loadAnimation\b|__hfLottie\b/.test(code);
  const usesWaapi = /\.animate\s*\(\s*[[{$A-Za-z_]/.test(code);
  if (/\bTHREE\./.test(code)) {
    report.atTagName(root, 'root_composition_missing_duration_source',
      'Root composition uses Three.js with no data-duration: the runtime cannot find a Three.js scene\'s length, so the render has zero duration.',
      'Add data-duration="<seconds>" to the root element.');
  } else if (/\banimation(?:-iteration-count)?\s*:[^;{}]*(?<![\w-])infinite(?![\w-])/.test(css) && !usesLottie && !usesWaapi) {
    report.atTagName(root, 'root_composition_missing_duration_source',
      'Root composition has a CSS animation with animation-iteration-count: infinite and no data-duration, so its intended length is ambiguous (with no finite animation beside it the render has zero duration).',
      'Add data-duration="<seconds>" to the root element with the intended length.');
  }
}

const RENDERABLE_SKIP = new Set(['script', 'style', 'link', 'meta', 'template']);
const TIMED_CONTENT = new Set(['video', 'audio', 'img', 'svg', 'canvas']);

function descendants(element: SourceElement): SourceElement[] {
  const out: SourceElement[] = [];
  const visit = (list: readonly SourceElement[]) => {
    for (const child of list) {
      out.push(child);
      if (child.tagName !== 'template') visit(child.children);
    }
  };
  visit(element.children);
  return out;
}

/** The first data-composition-id element inside <body> (the whole document when it writes no <body>), outside any <template>. */
function bodyComposition(elements: readonly SourceElement[]): SourceElement | undefined {
  const hasBody = (list: readonly SourceElement[]): boolean => list.some(element => element.tagName === 'body' || hasBody(element.children));
  const visit = (list: readonly SourceElement[], underBody: boolean): SourceElement | undefined => {
    for (const element of list) {
      if (element.tagName === 'template') continue;
      if (underBody && element.attrs.has('data-composition-id')) return element;
      const found = visit(element.children, underBody || element.tagName === 'body');
      if (found) return found;
    }
    return undefined;
  };
  return visit(elements, !hasBody(elements));
}

/** index.html renders nothing while a file under compositions/ holds a whole timed composition: every default command opens the blank one. */
export function lintBlankRoot(report: LintReporter, lint: LintFile, projectRoot: string): void {
  if (lint.isSubComposition || lint.file.path !== path.join(projectRoot, 'index.html')) return;
  const root = bodyComposition(lint.file.elements);
  if (!root || descendants(root).some(element => !RENDERABLE_SKIP.has(element.tagName))) return;
  const standalone: string[] = [];
  for (const file of compositionFiles(projectRoot)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const composition = bodyComposition(parseSourceFileSync(file, text).elements);
    if (!composition) continue;
    const timed = descendants(composition).some(element => !element.attrs.has('data-composition-src')
      && (TIMED_CONTENT.has(element.tagName) || element.attrs.has('data-start') || element.attrs.has('data-end') || (element.attrs.get('class')?.value ?? '').split(/\s+/).includes('clip')));
    if (timed) standalone.push(path.relative(projectRoot, file).split(path.sep).join('/'));
  }
  if (standalone.length === 0) return;
  report.atTagName(root, 'blank_root_with_standalone_composition',
    `The default index.html composition has no renderable content, but ${standalone.join(', ')} holds a standalone timed composition: check, preview and render open index.html, so they capture only its background.`,
    `Move the composition into index.html, or mount it from index.html with data-composition-src; if the separate file is intentional, check or render it explicitly (${standalone[0]}).`,
    { suggestedComposition: standalone[0] });
}

/** A start tag without its ">": the parser reads the next tag as attributes (`<span`), and that element never exists. */
export function lintUnclosedTags(report: LintReporter, lint: LintFile): void {
  const { text } = lint.file;
  for (const element of lint.elements) {
    for (const attr of element.attrs.values()) {
      if (!attr.name.includes('<')) continue;
      const bogus = attr.start + attr.name.indexOf('<');
      let insertAt = bogus;
      while (insertAt > element.tagNameEnd && /\s/.test(text[insertAt - 1])) insertAt--;
      report.atOffsets(bogus, attr.end, 'unclosed_tag_swallowed_element',
        `<${element.tagName}> is missing its closing \`>\` before the next \`<\`, so the following element is swallowed as attribute text and never becomes a real node.`,
        'Close the previous tag with `>` before opening the next element.',
        { replace: { range: report.range(insertAt, insertAt), text: '>' } });
      break;
    }
  }
}

interface Scene { start: number; duration: number }
interface SlideRef { sceneId: string; startTime?: number; endTime?: number; fragments?: number[]; hotspots?: Array<{ id: string; target: string }> }
interface SlideSequence { id: string; label: string; slides: SlideRef[] }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalNumber = (v: unknown) => v === undefined || typeof v === 'number';

function isSlideRef(v: unknown): v is SlideRef {
  if (!isRecord(v) || typeof v.sceneId !== 'string') return false;
  if (v.fragments !== undefined && !(Array.isArray(v.fragments) && v.fragments.every(n => typeof n === 'number'))) return false;
  if (v.hotspots !== undefined && !(Array.isArray(v.hotspots) && v.hotspots.every(h => isRecord(h) && typeof h.id === 'string' && typeof h.label === 'string' && typeof h.target === 'string'))) return false;
  return (v.autoplay === undefined || typeof v.autoplay === 'boolean') && optionalNumber(v.startTime) && optionalNumber(v.endTime);
}

function isManifest(v: unknown): v is { slides: SlideRef[]; slideSequences?: SlideSequence[] } {
  if (!isRecord(v) || !Array.isArray(v.slides) || !v.slides.every(isSlideRef)) return false;
  return v.slideSequences === undefined || (Array.isArray(v.slideSequences)
    && v.slideSequences.every(s => isRecord(s) && typeof s.id === 'string' && typeof s.label === 'string' && Array.isArray(s.slides) && s.slides.every(isSlideRef)));
}

/** Scenes a slide can name: timed data-composition-id elements that are not the main, caption or ambient layer. */
function scenesOf(lint: LintFile): Map<string, Scene> {
  const scenes = new Map<string, Scene>();
  for (const element of lint.elements) {
    const id = element.attrs.get('data-composition-id')?.value.trim();
    const lower = id?.toLowerCase() ?? '';
    if (!id || lower === 'main' || lower.includes('caption') || lower.includes('ambient') || scenes.has(id)) continue;
    const start = Number(element.attrs.get('data-start')?.value ?? NaN);
    if (!element.attrs.has('data-start') || !Number.isFinite(start)) continue;
    let duration = Number(element.attrs.get('data-duration')?.value ?? NaN);
    if (!Number.isFinite(duration)) duration = Number(element.attrs.get('data-end')?.value ?? element.attrs.get('data-hf-authored-end')?.value ?? NaN) - start;
    if (Number.isFinite(duration) && duration > 0) scenes.set(id, { start, duration });
  }
  return scenes;
}

/** The slideshow island (<script type="application/hyperframes-slideshow+json">): valid, and every slide resolvable. */
export function lintSlideshow(report: LintReporter, lint: LintFile): void {
  const island = lint.elements.find(element => element.tagName === 'script' && element.attrs.get('type')?.value.trim().toLowerCase() === SLIDESHOW_TYPE);
  if (!island || island.endTagStart === undefined) return;
  const raw = lint.file.text.slice(island.startTagEnd, island.endTagStart);
  if (!raw.trim()) return;
  const contentStart = island.startTagEnd + raw.search(/\S/);
  const contentEnd = island.startTagEnd + raw.trimEnd().length;
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw);
  } catch (error) {
    report.atOffsets(contentStart, contentEnd, 'slideshow_invalid', `The slideshow island is not valid JSON: ${(error as Error).message}.`,
      `Make the <script type="${SLIDESHOW_TYPE}"> block valid JSON matching the SlideshowManifest schema.`);
    return;
  }
  if (!isManifest(manifest)) {
    report.atOffsets(contentStart, contentEnd, 'slideshow_invalid', 'The slideshow island is not a valid SlideshowManifest (a `slides` array of { sceneId, … }).',
      `Make the <script type="${SLIDESHOW_TYPE}"> block match the SlideshowManifest schema.`);
    return;
  }
  const scenes = scenesOf(lint);
  /** On the slide's "sceneId" value in the island when it can be found, else the island's tag. */
  const at = (sceneId: string | undefined, message: string) => {
    const escaped = sceneId?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = escaped ? new RegExp(`"sceneId"\\s*:\\s*"(${escaped})"`).exec(raw) : null;
    const start = found ? island.startTagEnd + found.index + found[0].length - found[1].length - 1 : island.tagNameStart;
    const end = found ? start + found[1].length : island.tagNameEnd;
    report.atOffsets(start, end, 'slideshow_unresolved_ref', `Slideshow manifest error: ${message}.`,
      'Make every sceneId in the slideshow island match the data-composition-id of a timed scene element, or give the slide explicit startTime/endTime.');
  };
  const resolve = (ref: SlideRef) => {
    const scene = scenes.get(ref.sceneId);
    let start: number;
    let end: number;
    if (ref.startTime !== undefined && ref.endTime !== undefined) {
      start = ref.startTime;
      end = ref.endTime;
      if (end <= start) at(ref.sceneId, `slide "${ref.sceneId}" has endTime (${end}) <= startTime (${start})`);
    } else if (!scene) {
      if (ref.startTime === undefined && ref.endTime === undefined) at(ref.sceneId, `slide references unresolved sceneId "${ref.sceneId}"`);
      else at(ref.sceneId, `slide "${ref.sceneId}" sets ${ref.startTime === undefined ? 'endTime' : 'startTime'} but ${ref.startTime === undefined ? 'startTime' : 'endTime'} cannot be resolved (no scene "${ref.sceneId}")`);
      start = end = ref.startTime ?? ref.endTime ?? 0;
    } else {
      start = ref.startTime ?? scene.start;
      end = ref.endTime ?? scene.start + scene.duration;
    }
    for (const fragment of new Set(ref.fragments ?? [])) {
      if (fragment < start || fragment > end) at(ref.sceneId, `slide "${ref.sceneId}" fragment ${fragment} is outside range [${start}, ${end}]`);
    }
    return { ref, start, end };
  };
  const sequences = new Map<string, number>();
  const resolvedSequences = [];
  for (const sequence of manifest.slideSequences ?? []) {
    if (sequences.has(sequence.id)) at(undefined, `duplicate slideSequence id "${sequence.id}": only the last definition is kept`);
    sequences.set(sequence.id, sequence.slides.length);
    resolvedSequences.push(...sequence.slides.map(resolve));
  }
  const slides = manifest.slides.map(resolve);
  for (const { ref } of [...slides, ...resolvedSequences]) {
    for (const hotspot of ref.hotspots ?? []) {
      const length = sequences.get(hotspot.target);
      if (length === undefined) at(ref.sceneId, `hotspot "${hotspot.id}" targets unknown sequence "${hotspot.target}"`);
      else if (length === 0) at(ref.sceneId, `hotspot "${hotspot.id}" targets empty sequence "${hotspot.target}"`);
    }
  }
  const ordered = [...slides].sort((a, b) => a.start - b.start);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].start < ordered[i - 1].end) at(ordered[i].ref.sceneId, `main-line slides "${ordered[i - 1].ref.sceneId}" and "${ordered[i].ref.sceneId}" overlap`);
  }
}
