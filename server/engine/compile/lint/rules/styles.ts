// CSS rules: transitions on the browser clock, negative z-index behind an opaque root, and caption layouts
// that clip or break stacking. Each finding sits on the declaration it is about.
import type { SourceElement } from '../../parseHtml';
import { elementId, type LintFile, type LintReporter } from '../context';
import { scanDeclarations, type CssDeclarationAt } from '../stylesheet';

const TRANSITION_PROPERTY = /^(?:-webkit-)?transition(?:-[a-z][a-z-]*)?$/;
const TRANSITION_NONE = new Set(['transition', 'transition-property']);
const TRANSITION_TIME = new Set(['transition', 'transition-duration', 'transition-delay']);

function isSeekUnsafeTransition(declaration: CssDeclarationAt): boolean {
  if (!TRANSITION_PROPERTY.test(declaration.property)) return false;
  const name = declaration.property.replace(/^-webkit-/, '');
  const value = declaration.value.trim().toLowerCase();
  if (value === 'none' && TRANSITION_NONE.has(name)) return false;
  if (!TRANSITION_TIME.has(name)) return true;
  const times = value.match(/[+-]?(?:\d*\.)?\d+m?s\b/g) ?? [];
  return value.includes('var(') || times.some(time => Number.parseFloat(time) !== 0);
}

/** Declarations that give an element its own stacking context (so a negative z-index child stays visible). */
const STACKING_CONTEXT = /\b(isolation\s*:\s*isolate|transform\s*:\s*(?!none)|filter\s*:\s*(?!none)|opacity\s*:\s*0?\.\d|contain\s*:\s*(?:paint|strict|content)|will-change\s*:|mix-blend-mode\s*:\s*(?!normal)|z-index\s*:\s*-?\d)/i;
const NEGATIVE_Z_INDEX = /^-(\d+)$/;

function inlineStyle(element: SourceElement | undefined): string {
  return element?.attrs.get('style')?.value ?? '';
}

export function lintStyles(report: LintReporter, lint: LintFile): void {
  // Selectors (#id / .class) whose rule makes a stacking context.
  const stacking = new Set<string>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      const body = rule.declarations.map(d => `${d.property}: ${d.value}`).join(';');
      if (STACKING_CONTEXT.test(body)) for (const part of rule.selector.split(',')) stacking.add(part.trim());
    }
  }
  const formsStackingContext = (element: SourceElement | undefined): boolean => {
    if (!element) return false;
    const id = elementId(element);
    if (id && stacking.has(`#${id}`)) return true;
    if ((element.attrs.get('class')?.value ?? '').split(/\s+/).some(name => name && stacking.has(`.${name}`))) return true;
    return STACKING_CONTEXT.test(inlineStyle(element));
  };
  const contained = (selector: string): boolean => {
    if (!/^[.#][\w-]+$/.test(selector)) return false;
    const matched = lint.elements.filter(element => selector.startsWith('#')
      ? elementId(element) === selector.slice(1)
      : (element.attrs.get('class')?.value ?? '').split(/\s+/).includes(selector.slice(1)));
    return matched.length > 0 && matched.every(element => formsStackingContext(element.parent));
  };

  for (const style of lint.styles) {
    for (const rule of style.rules) {
      for (const declaration of rule.declarations) {
        if (isSeekUnsafeTransition(declaration)) reportTransition(report, declaration, { selector: rule.selector });
        const negative = declaration.property === 'z-index' ? NEGATIVE_Z_INDEX.exec(declaration.value.trim()) : null;
        if (negative && !contained(rule.selector)) reportNegativeZ(report, declaration, negative[1], rule.selector);
      }
      lintCaptionRule(report, rule.selector, rule.selectorStart, rule.selectorEnd, rule.declarations);
    }
  }
  for (const element of lint.elements) {
    const styleAttr = element.attrs.get('style');
    if (!styleAttr || !/transition|z-index/i.test(styleAttr.value)) continue;
    for (const declaration of scanDeclarations(styleAttr.value, styleAttr.valueStart)) {
      if (isSeekUnsafeTransition(declaration)) reportTransition(report, declaration, { elementId: elementId(element) });
      const negative = declaration.property === 'z-index' ? NEGATIVE_Z_INDEX.exec(declaration.value.trim()) : null;
      if (negative && !formsStackingContext(element.parent)) reportNegativeZ(report, declaration, negative[1], elementId(element) ? `#${elementId(element)}` : undefined);
    }
  }
}

function reportTransition(report: LintReporter, declaration: CssDeclarationAt, data: Record<string, unknown>): void {
  report.atOffsets(declaration.start, declaration.end, 'css_transition_used',
    `CSS declaration \`${declaration.property}: ${declaration.value}\` runs on the browser clock and cannot be seeked deterministically across render workers.`,
    'Keep the class or attribute swap for state; put the visual change on the paused GSAP timeline.', data);
}

function reportNegativeZ(report: LintReporter, declaration: CssDeclarationAt, level: string, selector: string | undefined): void {
  report.atOffsets(declaration.start, declaration.end, 'negative_z_index',
    `\`z-index: -${level}\` paints the element behind its nearest stacking context's own content; with no stacking-context ancestor that is the composition root, whose opaque background then hides it entirely.`,
    'Give the element\'s parent a stacking context (`isolation: isolate` is the cheapest), or express paint order through DOM order instead.',
    selector ? { selector } : undefined);
}

/** A selector ending in a caption element's class or id (the part right before its "{", as the reference reads it). */
const CAPTION_SELECTOR = /(?:\.caption[-_]?(?:group|container|text|line|word)|#caption[-_]?container)$/i;

function lintCaptionRule(report: LintReporter, selector: string, start: number, end: number, declarations: readonly CssDeclarationAt[]): void {
  if (!CAPTION_SELECTOR.test(selector)) return;
  const has = (property: string, value?: RegExp) => declarations.some(d => d.property === property && (!value || value.test(d.value)));
  if (has('white-space', /^nowrap$/i) && !declarations.some(d => d.property === 'max-width')) {
    report.atOffsets(start, end, 'caption_text_overflow_risk',
      `Caption selector "${selector}" has white-space: nowrap but no max-width: long phrases will clip off-screen.`,
      'Add max-width: 1600px (landscape) or max-width: 900px (portrait), keeping overflow visible so scaled emphasis words are not clipped.',
      { selector });
  }
  if (!/word/i.test(selector)) {
    const relative = declarations.find(d => d.property === 'position' && /^relative$/i.test(d.value));
    if (relative) {
      report.atOffsets(relative.start, relative.end, 'caption_container_relative_position',
        `Caption selector "${selector}" uses position: relative, which causes overflow and breaks caption stacking.`,
        'Use position: absolute for all caption elements.', { selector });
    }
  }
}
