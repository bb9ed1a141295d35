// Deterministic fonts, in the compile stage so the language server, the preview and the render see one
// page (the reference does it at compile time too: producer/src/services/deterministicFonts.ts).
// - A font-family (or a custom property holding one) whose first family is generic gets Inter in front,
//   since a generic draws whatever the machine has.
// - Every family the page asks for that is bundled, or aliased to a bundled family (Arial → Inter), gets
//   @font-face rules for the bundled faces, served by the file server from the extension's own assets,
//   unless the composition declares that family itself.
// - Google Fonts links and @imports are dropped (no network at render time; the preview must not draw
//   what the render cannot); a family they name that is not bundled is a warning on the URL.
// Like the reference, it reads the page's <style> elements and style attributes; linked stylesheets are
// left as they are.
// The same reading runs twice: on the composition's own files, for diagnostics and the hover (source
// ranges), and on the compiled page, which it rewrites (after sub-compositions are inlined and scoped, so it
// sees what the browser will). The rewrite keeps every line break, so the compiled page's line map stays exact.
import type { FontFamilyResolution, FontFamilyUse } from '../../model';
import { DiagnosticSink } from '../diagnostics';
import type { Region } from '../drafts';
import { parseSourceFileSync, type SourceElement, type SourceFile } from '../parseHtml';
import {
  BUNDLED_FAMILIES, BUNDLED_FONT_URL_PREFIX, DETERMINISTIC_PRIMARY_FAMILY, bundledFaceFileName, classifyFamily, type BundledFamily,
} from './catalog';
import { leadingVariable, scanCss, splitFamilies, type CssScan } from './css';
import { googleFontsFamilies, isGoogleFontsUrl } from './googleFonts';

/** One piece of CSS the page carries: a <style> element's text or a style attribute's value. */
interface CssSource {
  region: Region;
  /** Offset of the CSS in its file. */
  base: number;
  css: string;
  scan: CssScan;
  /** An unquoted style attribute: an inserted space would end it. */
  unquoted: boolean;
}

interface FontContext {
  sink: DiagnosticSink;
  sources: CssSource[];
  /** Normalised names of the families the composition declares with @font-face. */
  declaredFaces: Set<string>;
  /** Custom property → the last place it is defined. */
  variables: Map<string, { source: CssSource; valueStart: number; valueEnd: number }>;
  /** Normalised name → the name as first written: the families that get bundled faces. */
  requested: Map<string, string>;
  /** `${file}\0${normalised name}` already reported, so a family used many times is reported once per file. */
  reported: Set<string>;
  uses: Map<string, FontFamilyUse>;
  /** Changes to the text read (meaningful when it is the compiled page), in no particular order. */
  splices: Splice[];
}

interface Splice {
  offset: number;
  deleteEnd: number;
  text: string;
}

export function normalizeFamily(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

function bundledNames(): string {
  return [...BUNDLED_FAMILIES.values()].map(family => family.name).join(', ');
}

/** The elements of `region` (template content included: a sub-composition's region is one). */
function regionElements(region: Region): SourceElement[] {
  const found: SourceElement[] = [];
  const visit = (elements: readonly SourceElement[]): void => {
    for (const element of elements) {
      if (element.end <= region.start || element.start >= region.end) continue;
      if (element.start >= region.start && element.end <= region.end) found.push(element);
      visit(element.children);
      if (element.templateContent) visit(element.templateContent);
    }
  };
  visit(region.file.elements);
  return found;
}

/** Drops [start, end) but keeps its line breaks. */
function removal(file: SourceFile, start: number, end: number): Splice {
  return { offset: start, deleteEnd: end, text: file.text.slice(start, end).replace(/[^\r\n]/g, '') };
}

function readSources(regions: readonly Region[]): { sources: CssSource[]; links: { region: Region; element: SourceElement }[] } {
  const sources: CssSource[] = [];
  const links: { region: Region; element: SourceElement }[] = [];
  for (const region of regions) {
    const text = region.file.text;
    for (const element of regionElements(region)) {
      if (element.tagName === 'style' && element.endTagStart !== undefined) {
        const css = text.slice(element.startTagEnd, element.endTagStart);
        sources.push({ region, base: element.startTagEnd, css, scan: scanCss(css, 'stylesheet'), unquoted: false });
      }
      const style = element.attrs.get('style');
      if (style && style.valueEnd > style.valueStart) {
        const css = text.slice(style.valueStart, style.valueEnd);
        const unquoted = text[style.valueStart - 1] !== '"' && text[style.valueStart - 1] !== "'";
        sources.push({ region, base: style.valueStart, css, scan: scanCss(css, 'declarations'), unquoted });
      }
      if (element.tagName === 'link' && isGoogleFontsUrl(element.attrs.get('href')?.value ?? '')) links.push({ region, element });
    }
  }
  return { sources, links };
}

/** Google Fonts stylesheets (a <link> or an @import): dropped, and each family they name resolved. */
function resolveGoogleFonts(ctx: FontContext, links: { region: Region; element: SourceElement }[]): void {
  const consider = (region: Region, href: string, hrefStart: number, hrefEnd: number): void => {
    for (const family of googleFontsFamilies(href)) {
      const normalized = normalizeFamily(family);
      if (ctx.declaredFaces.has(normalized)) continue;
      const { kind, bundled } = classifyFamily(normalized);
      ctx.reported.add(`${region.file.path}\0${normalized}`);
      if (bundled) {
        if (!ctx.requested.has(normalized)) ctx.requested.set(normalized, family);
        if (kind === 'alias') {
          ctx.sink.atOffsets(region.file, hrefStart, hrefEnd, 'info', 'font-substituted',
            `Google Fonts family "${family}" is drawn with the bundled ${bundled.name}, as HyperFrames renders it (Google Fonts are not loaded: renders do not depend on the network).`,
            { family, font: bundled.name });
        }
        continue;
      }
      ctx.sink.atOffsets(region.file, hrefStart, hrefEnd, 'warning', 'google-font-unavailable',
        `Google Fonts family "${family}" is not bundled, and the page does not load Google Fonts (renders do not depend on the network), so its text falls back to the next family. Put the font files in the project and declare them with @font-face, or use a bundled family: ${bundledNames()}.`,
        { family });
    }
  };
  for (const { region, element } of links) {
    const href = element.attrs.get('href')!;
    ctx.splices.push(removal(region.file, element.start, element.end));
    if (/(^|\s)stylesheet(\s|$)/i.test(element.attrs.get('rel')?.value ?? '')) consider(region, href.value, href.valueStart, href.valueEnd);
  }
  for (const source of ctx.sources) {
    for (const rule of source.scan.imports) {
      if (!isGoogleFontsUrl(rule.url)) continue;
      ctx.splices.push(removal(source.region.file, source.base + rule.start, source.base + rule.end));
      consider(source.region, rule.url, source.base + rule.urlStart, source.base + rule.urlEnd);
    }
  }
}

function resolution(ctx: FontContext, name: string, range: FontFamilyResolution['range']): FontFamilyResolution {
  const normalized = normalizeFamily(name);
  if (ctx.declaredFaces.has(normalized)) return { name, range, source: 'font-face' };
  const { kind, bundled } = classifyFamily(normalized);
  if (bundled) return { name, range, source: kind === 'alias' ? 'alias' : 'bundled', font: bundled.name, weights: bundled.weights };
  if (kind === 'generic' || kind === 'keyword') return { name, range, source: kind };
  return { name, range, source: 'system' };
}

/** One font-family list: Inter in front of a generic, families requested, the first one reported when it is not what it says. */
function resolveFamilyList(ctx: FontContext, source: CssSource, valueStart: number, valueEnd: number, isFontFamily: boolean): void {
  const { region, base, css } = source;
  const file = region.file;
  const pieces = splitFamilies(css, valueStart, valueEnd);
  const first = pieces[0];
  if (!first) return;
  const firstKind = classifyFamily(normalizeFamily(first.name)).kind;
  // A custom property is only touched when it plainly holds a family list that starts with a generic.
  if (!isFontFamily && firstKind !== 'generic') return;
  const key = `${file.path}\0${base + valueStart}`;
  if (ctx.uses.has(key)) return;
  let addedPrimary: string | undefined;
  if (firstKind === 'generic') {
    addedPrimary = DETERMINISTIC_PRIMARY_FAMILY;
    const offset = base + valueStart;
    ctx.splices.push({ offset, deleteEnd: offset, text: source.unquoted ? `${addedPrimary},` : `${addedPrimary}, ` });
    if (!ctx.requested.has(normalizeFamily(addedPrimary))) ctx.requested.set(normalizeFamily(addedPrimary), addedPrimary);
  }
  const families: FontFamilyResolution[] = [];
  for (const piece of pieces) {
    if (piece.name.includes('(')) continue;
    const resolved = resolution(ctx, piece.name, file.lines.range(base + piece.start, base + piece.end));
    families.push(resolved);
    const normalized = normalizeFamily(piece.name);
    if ((resolved.source === 'bundled' || resolved.source === 'alias') && !ctx.requested.has(normalized)) ctx.requested.set(normalized, piece.name);
  }
  // Families a leading var(--x) stands for are requested too (the reference resolves `font-family: var(--font)`).
  const variable = isFontFamily ? leadingVariable(css.slice(valueStart, valueEnd)) : undefined;
  const definition = variable === undefined ? undefined : ctx.variables.get(variable);
  if (definition) resolveFamilyList(ctx, definition.source, definition.valueStart, definition.valueEnd, true);
  ctx.uses.set(key, { file: file.path, range: file.lines.range(base + valueStart, base + valueEnd), addedPrimary, families });
  if (!first.name.includes('(')) reportPrimary(ctx, file, families[0], base + first.start, base + first.end);
}

function reportPrimary(ctx: FontContext, file: SourceFile, primary: FontFamilyResolution, start: number, end: number): void {
  if ((primary.source !== 'alias' && primary.source !== 'system')) return;
  const key = `${file.path}\0${normalizeFamily(primary.name)}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  if (primary.source === 'alias') {
    ctx.sink.atOffsets(file, start, end, 'info', 'font-substituted',
      `"${primary.name}" is drawn with the bundled ${primary.font}, as HyperFrames renders it, so the video looks the same on every machine. Declare "${primary.name}" with @font-face to use its own files.`,
      { family: primary.name, font: primary.font });
  } else {
    ctx.sink.atOffsets(file, start, end, 'info', 'font-not-bundled',
      `"${primary.name}" is not bundled and not declared with @font-face here: it is drawn with the machine's own "${primary.name}" if installed, else the next family, so renders differ between machines. Put the font files in the project and declare them with @font-face.`,
      { family: primary.name });
  }
}

function faceRules(name: string, family: BundledFamily): string {
  return family.weights.map(weight =>
    `@font-face{font-family:"${name.replace(/["\\]/g, '\\$&')}";src:url("${BUNDLED_FONT_URL_PREFIX}${bundledFaceFileName(family, weight)}") format("woff2");font-style:normal;font-weight:${weight};font-display:block}`,
  ).join('');
}

/** Where the injected <style> goes: first in <head>, as the reference puts it. */
function headInsertionOffset(entry: SourceFile): number {
  let head: SourceElement | undefined;
  let html: SourceElement | undefined;
  for (const element of entry.elements) {
    if (element.tagName === 'html') {
      html = element;
      head = element.children.find(child => child.tagName === 'head');
    } else if (element.tagName === 'head') head = element;
  }
  if (head) return head.startTagEnd;
  if (html) return html.startTagEnd;
  return /^\s*<!doctype[^>]*>/i.exec(entry.text)?.[0].length ?? 0;
}

function readFonts(sink: DiagnosticSink, regions: readonly Region[]): FontContext {
  const { sources, links } = readSources(regions);
  const ctx: FontContext = {
    sink, sources, declaredFaces: new Set(), variables: new Map(), requested: new Map(), reported: new Set(), uses: new Map(), splices: [],
  };
  for (const source of sources) {
    for (const declaration of source.scan.declarations) {
      if (declaration.inFontFace && declaration.property === 'font-family') {
        for (const piece of splitFamilies(source.css, declaration.valueStart, declaration.valueEnd)) ctx.declaredFaces.add(normalizeFamily(piece.name));
      } else if (declaration.property.startsWith('--')) {
        ctx.variables.set(declaration.property, { source, valueStart: declaration.valueStart, valueEnd: declaration.valueEnd });
      }
    }
  }
  resolveGoogleFonts(ctx, links);
  for (const source of sources) {
    for (const declaration of source.scan.declarations) {
      if (declaration.inFontFace) continue;
      if (declaration.property === 'font-family') resolveFamilyList(ctx, source, declaration.valueStart, declaration.valueEnd, true);
      else if (declaration.property.startsWith('--')) resolveFamilyList(ctx, source, declaration.valueStart, declaration.valueEnd, false);
    }
  }
  return ctx;
}

/**
 * What every font-family of the composition's own files resolves to, with the diagnostics about them.
 * `regions` are every stretch of source the compiled page is made of.
 */
export function analyzeFonts(sink: DiagnosticSink, regions: readonly Region[]): FontFamilyUse[] {
  return [...readFonts(sink, regions).uses.values()];
}

/** The compiled page with deterministic fonts (see the top of this file); its lines stay where they were. Called after the compile parsed its sources. */
export function applyDeterministicFonts(pagePath: string, html: string): string {
  const page = parseSourceFileSync(pagePath, html);
  const ctx = readFonts(new DiagnosticSink(), [{ file: page, start: 0, end: html.length, edits: [] }]);
  const rules: string[] = [];
  for (const [normalized, name] of ctx.requested) {
    if (ctx.declaredFaces.has(normalized)) continue;
    const bundled = classifyFamily(normalized).bundled;
    if (bundled) rules.push(faceRules(name, bundled));
  }
  // Subpixel glyph positioning everywhere: headless-shell resolves `text-rendering: auto` to integer advances,
  // full Chrome to fractional ones, which moves line breaks. The reference injects the same rule.
  rules.push('html,body,*{text-rendering:geometricPrecision}');
  const head = headInsertionOffset(page);
  ctx.splices.push({ offset: head, deleteEnd: head, text: `<style data-hf-fonts>${rules.join('')}</style>` });
  // Stable sort: the <style> goes after any insertion at the same offset; overlapping splices cannot occur
  // (each one is inside a different declaration, link or @import).
  const splices = [...ctx.splices].sort((a, b) => a.offset - b.offset);
  let out = '';
  let cursor = 0;
  for (const splice of splices) {
    if (splice.offset < cursor) continue;
    out += html.slice(cursor, splice.offset) + splice.text;
    cursor = splice.deleteEnd;
  }
  return out + html.slice(cursor);
}
