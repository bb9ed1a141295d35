// Texture Mask Text rules: the `hf-texture-text` base class and its material classes (`hf-texture-lava`, …)
// go together, a material class needs the CSS that gives it a mask image, a drop shadow on textured text is
// drawn through the mask (it belongs on a wrapper), and a mask image file must exist.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceElement } from '../../parseHtml';
import { elementId, type LintFile, type LintReporter } from '../context';
import { scanDeclarations, type CssDeclarationAt } from '../stylesheet';

const TEXTURE_BASE_CLASS = 'hf-texture-text';
const TEXTURE_CLASS_PREFIX = 'hf-texture-';
const DROP_SHADOW_MESSAGE = 'Drop shadow is applied directly to textured text: it is drawn through the texture mask.';
const DROP_SHADOW_HINT = `Wrap the textured text and put \`filter: drop-shadow(...)\` on the wrapper, not on the \`${TEXTURE_BASE_CLASS}\` element.`;
const MASK_IMAGE_URL = /\b(?:-webkit-)?mask-image\s*:[^;{}]*?url\(\s*(?:"([^"]+)"|'([^']+)'|([^"')\s]+))\s*\)/gi;

const isMaterialClass = (name: string) => name.startsWith(TEXTURE_CLASS_PREFIX) && name !== TEXTURE_BASE_CLASS;
const classesIn = (selector: string) => [...new Set([...selector.matchAll(/\.([A-Za-z_][\w-]*)/g)].map(match => match[1]))];
const isMaskImage = (declaration: CssDeclarationAt) => declaration.property === 'mask-image' || declaration.property === '-webkit-mask-image';
const isDropShadow = (declaration: CssDeclarationAt) => declaration.property === 'filter' && /\bdrop-shadow\s*\(/i.test(declaration.value);

interface DropShadowRule {
  selector: string;
  declaration: CssDeclarationAt;
  /** Names the base class or a defined material class itself (reported once, whatever uses it). */
  direct: boolean;
}

/** `tag.a.b` (classes, an optional type) matching the element: the only indirect selectors judged. */
function simpleSelectorMatches(selector: string, element: SourceElement, classes: readonly string[]): boolean {
  if (!/^(?:[A-Za-z][\w-]*)?(?:\.[A-Za-z_][\w-]*)+$/.test(selector)) return false;
  const type = /^[A-Za-z][\w-]*/.exec(selector)?.[0];
  if (type && type.toLowerCase() !== element.tagName) return false;
  return classesIn(selector).every(name => classes.includes(name));
}

/** Offsets of `name` as a whole token inside a class attribute's value. */
function classTokenAt(element: SourceElement, name: string): [number, number] | undefined {
  const attr = element.attrs.get('class');
  if (!attr) return undefined;
  const match = new RegExp(`(^|\\s)(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?=\\s|$)`).exec(attr.value);
  return match ? [attr.valueStart + match.index + match[1].length, attr.valueStart + match.index + match[0].length] : undefined;
}

export function lintTextures(report: LintReporter, lint: LintFile): void {
  const defined = new Set<string>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      if (rule.declarations.some(isMaskImage)) for (const name of classesIn(rule.selector)) if (isMaterialClass(name)) defined.add(name);
    }
  }
  const dropShadows: DropShadowRule[] = [];
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      const declaration = rule.declarations.find(isDropShadow);
      if (!declaration) continue;
      for (const part of rule.selector.split(',')) {
        const selector = part.trim();
        const direct = /\.hf-texture-text\b/.test(selector) || classesIn(selector).some(name => isMaterialClass(name) && defined.has(name));
        dropShadows.push({ selector, declaration, direct });
      }
    }
  }
  const reported = new Set<number>();
  const shadowAt = (declaration: CssDeclarationAt, data: Record<string, unknown>) => {
    if (reported.has(declaration.start)) return;
    reported.add(declaration.start);
    report.atOffsets(declaration.start, declaration.end, 'texture_drop_shadow_on_text', DROP_SHADOW_MESSAGE, DROP_SHADOW_HINT, data);
  };
  for (const rule of dropShadows) if (rule.direct) shadowAt(rule.declaration, { selector: rule.selector });
  // A stylesheet linked from outside may define the materials: an unknown one is only judged without such a link.
  const linksStylesheet = lint.elements.some(element => element.tagName === 'link' && /\bstylesheet\b/i.test(element.attrs.get('rel')?.value ?? ''));
  for (const element of lint.elements) {
    if (element.tagName === 'style' || element.tagName === 'script') continue;
    const classAttr = element.attrs.get('class');
    const classes = (classAttr?.value ?? '').split(/\s+/).filter(Boolean);
    if (!classAttr || classes.length === 0) continue;
    const id = elementId(element);
    const hasBase = classes.includes(TEXTURE_BASE_CLASS);
    const materials = classes.filter(isMaterialClass);
    const style = element.attrs.get('style');
    const inline = hasBase && style ? scanDeclarations(style.value, style.valueStart) : [];
    if (materials.length > 0 && !hasBase) {
      report.atValue(classAttr, 'texture_class_missing_base',
        `Texture material class \`${materials[0]}\` is used without \`${TEXTURE_BASE_CLASS}\`.`,
        `Add \`${TEXTURE_BASE_CLASS}\` beside the material class: \`class="${TEXTURE_BASE_CLASS} ${materials[0]}"\`.`,
        { elementId: id, replace: { range: report.range(classAttr.valueStart, classAttr.valueStart), text: `${TEXTURE_BASE_CLASS} ` } });
    }
    if (hasBase && materials.length === 0 && !inline.some(isMaskImage)) {
      report.atValue(classAttr, 'texture_text_missing_mask',
        `\`${TEXTURE_BASE_CLASS}\` is used without a texture material class or a mask image of its own.`,
        'Add a material class such as `hf-texture-lava`, or set `mask-image` and `-webkit-mask-image` on the element.', { elementId: id });
    }
    if (!linksStylesheet) {
      for (const material of materials) {
        if (defined.has(material)) continue;
        const [start, end] = classTokenAt(element, material) ?? [classAttr.valueStart, classAttr.valueEnd];
        report.atOffsets(start, end, 'texture_class_unknown',
          `Texture material class \`${material}\` is not defined by this file's CSS (no rule gives it a mask-image).`,
          'Paste the Texture Mask Text component\'s <style> block into the composition, or fix the class name.', { elementId: id });
      }
    }
    if (!hasBase) continue;
    for (const rule of dropShadows) if (!rule.direct && simpleSelectorMatches(rule.selector, element, classes)) shadowAt(rule.declaration, { selector: rule.selector, elementId: id });
    const inlineShadow = inline.find(isDropShadow);
    if (inlineShadow) shadowAt(inlineShadow, { elementId: id });
  }
}

/** A local mask image that is not in the project (remote, data: and placeholder URLs are not judged). */
export function lintTextureMaskFiles(report: LintReporter, lint: LintFile, projectRoot: string): void {
  const sources: Array<{ text: string; offset: number }> = lint.styles.map(style => {
    const start = style.element.startTagEnd;
    return { text: lint.file.text.slice(start, style.element.endTagStart ?? style.element.end), offset: start };
  });
  for (const element of lint.elements) {
    const style = element.attrs.get('style');
    if (style && /mask-image/i.test(style.value)) sources.push({ text: style.value, offset: style.valueStart });
  }
  // One finding per missing file (mask-image and -webkit-mask-image usually name the same one): on its first URL.
  const reported = new Set<string>();
  for (const { text, offset } of sources) {
    if (!/mask-image/i.test(text)) continue;
    for (const match of text.matchAll(MASK_IMAGE_URL)) {
      const written = match[1] ?? match[2] ?? match[3] ?? '';
      const url = written.replace(/[?#].*$/, '').trim();
      if (!url || /^(?:[a-z][a-z\d+.-]*:|\/\/)/i.test(url) || /[{}$]|__[A-Z_]+__/.test(url)) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(url);
      } catch {
        decoded = url;
      }
      // As the page resolves it: beside the file, or (a sub-composition's CSS is spliced into the root's page) from the project root.
      const candidates = decoded.startsWith('/') ? [path.join(projectRoot, decoded)] : [path.resolve(path.dirname(lint.file.path), decoded), path.resolve(projectRoot, decoded)];
      if (reported.has(url) || candidates.some(candidate => fs.existsSync(candidate))) continue;
      reported.add(url);
      const start = offset + match.index + match[0].lastIndexOf(written);
      report.atOffsets(start, start + written.length, 'texture_mask_asset_not_found',
        `CSS mask-image references a file not found in the project: ${written}.`,
        `Add "${written}" to the project, or point the mask-image URL at an existing texture mask.`);
    }
  }
}
