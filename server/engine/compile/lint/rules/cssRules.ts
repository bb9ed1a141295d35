// Stylesheet rules: CSS the browser cannot parse (an unclosed block, string or comment, a stray "}"), a
// selector that needs an id inside itself, a position override written with [id=…] or :where(#…) (which a
// class rule outranks), and CSS scoped to a composition id no element of the file has.
import { type LintFile, type LintReporter } from '../context';
import type { CssRule } from '../stylesheet';
import { memoByText } from '../../textMemo';

const POSITION_PROPERTIES = new Set(['left', 'top', 'right', 'bottom', 'inset']);
const SCOPED_COMPOSITION = /\[data-composition-id=["']([^"']+)["']\]/g;

interface CssSyntaxError { at: number; length: number; message: string }

/** The first error a CSS parser stops at (postcss's wording), in a stylesheet's text; offsets into it. */
/** Memoised per stylesheet text (boxed: the memo does not keep an undefined). */
const syntaxErrorOf = memoByText(css => ({ error: findCssSyntaxError(css) }));

function findCssSyntaxError(css: string): CssSyntaxError | undefined {
  const open: number[] = [];
  let parens: number[] = [];
  for (let i = 0; i < css.length; i++) {
    const char = css[i];
    if (char === '/' && css[i + 1] === '*') {
      const close = css.indexOf('*/', i + 2);
      if (close < 0) return { at: i, length: 2, message: 'Unclosed comment' };
      i = close + 1;
    } else if (char === '"' || char === "'") {
      let j = i + 1;
      for (; j < css.length && css[j] !== char; j++) {
        if (css[j] === '\\') j++;
        else if (css[j] === '\n') break;
      }
      if (j >= css.length || css[j] !== char) return { at: i, length: 1, message: 'Unclosed string' };
      i = j;
    } else if (char === '(') {
      parens.push(i);
    } else if (char === ')') {
      parens.pop();
    } else if (char === '{') {
      if (parens.length > 0) return { at: parens[parens.length - 1], length: 1, message: 'Unclosed bracket' };
      open.push(i);
    } else if (char === '}') {
      if (parens.length > 0) return { at: parens[parens.length - 1], length: 1, message: 'Unclosed bracket' };
      if (open.length === 0) return { at: i, length: 1, message: 'Unexpected }' };
      open.pop();
      parens = [];
    }
  }
  if (parens.length > 0) return { at: parens[parens.length - 1], length: 1, message: 'Unclosed bracket' };
  if (open.length > 0) return { at: open[open.length - 1], length: 1, message: 'Unclosed block' };
  return undefined;
}

/** Splits a selector into its compounds at combinators outside (), [] and strings. */
function compoundsOf(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[\s>+~]/.test(char)) {
      if (current) out.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current) out.push(current);
  return out;
}

/** Ids a compound requires: its own `#id`s, and an id every option of an :is()/:where() names (options without combinators). */
function requiredIds(compound: string): string[] {
  const own = [...compound.replace(/\([^()]*\)/g, '()').matchAll(/#(-?[A-Za-z_][\w-]*)/g)].map(match => match[1]);
  for (const pseudo of compound.matchAll(/:(?:is|where)\(([^()]*)\)/gi)) {
    const options = pseudo[1].split(',').map(option => option.trim());
    if (options.length === 0 || options.some(option => compoundsOf(option).length !== 1)) continue;
    const sets = options.map(option => new Set([...option.matchAll(/#(-?[A-Za-z_][\w-]*)/g)].map(match => match[1])));
    own.push(...[...sets[0]].filter(id => sets.every(set => set.has(id))));
  }
  return own;
}

function repeatedDescendantId(selector: string): string | undefined {
  const firstCompound = new Map<string, number>();
  const compounds = compoundsOf(selector);
  for (let index = 0; index < compounds.length; index++) {
    for (const id of requiredIds(compounds[index])) {
      const first = firstCompound.get(id);
      if (first !== undefined && first !== index) return id;
      firstCompound.set(id, index);
    }
  }
  return undefined;
}

/** `#id`, escaped as CSS needs it (a leading digit, odd characters). */
function cssIdSelector(id: string): string {
  return `#${id.replace(/[^a-zA-Z0-9_-]|^-?\d/g, match => Array.from(match, char => `\\${char.codePointAt(0)!.toString(16)} `).join(''))}`;
}

/** The id of an `[id="…"]` or `:where(#…)` in the subject compound that has no real `#id`, with where it is written. */
function weakId(selector: string): { id: string; token: string } | undefined {
  const compounds = compoundsOf(selector);
  const subject = compounds[compounds.length - 1] ?? '';
  if (/#[\w-]/.test(subject.replace(/\([^()]*\)/g, '()'))) return undefined;
  let found: { id: string; token: string } | undefined;
  for (const match of subject.matchAll(/\[\s*id\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\]\s]+))\s*\]|:where\(([^()]*)\)/gi)) {
    const id = match[1] ?? match[2] ?? match[3] ?? /#(-?[A-Za-z_][\w-]*)/.exec(match[4] ?? '')?.[1];
    if (id) found = { id, token: match[0] };
  }
  return found;
}

function selectorsOf(rule: CssRule): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let offset = 0;
  for (const part of rule.selector.split(',')) {
    const lead = part.length - part.trimStart().length;
    if (part.trim()) out.push({ text: part.trim(), start: rule.selectorStart + offset + lead });
    offset += part.length + 1;
  }
  return out;
}

export function lintCssRules(report: LintReporter, lint: LintFile): void {
  const compositionIds = new Set(lint.elements.map(element => element.attrs.get('data-composition-id')?.value.trim()).filter(Boolean));
  const reportedRepeated = new Set<string>();
  const reportedScopes = new Set<string>();
  const reportedWeak = new Set<string>();
  for (const style of lint.styles) {
    const start = style.element.startTagEnd;
    const css = lint.file.text.slice(start, style.element.endTagStart ?? style.element.end);
    const { error } = syntaxErrorOf(css);
    if (error) {
      report.atOffsets(start + error.at, start + error.at + error.length, 'css_parse_error', `CSS parse error: ${error.message}.`,
        'Fix the stylesheet: the browser drops the rest of the broken rule, and the reference\'s lint reads no rule of this stylesheet.');
      continue;
    }
    for (const rule of style.rules) {
      if (rule.selector.startsWith('@')) continue;
      const positions = rule.declarations.filter(d => POSITION_PROPERTIES.has(d.property) && !/!\s*important\s*$/i.test(d.value)).map(d => d.property);
      for (const selector of selectorsOf(rule)) {
        // Cheap tests first: most selectors name no id twice, set no position through [id=…], and scope to no composition.
        const repeated = selector.text.indexOf('#') !== selector.text.lastIndexOf('#') ? repeatedDescendantId(selector.text) : undefined;
        if (repeated && !reportedRepeated.has(repeated)) {
          reportedRepeated.add(repeated);
          const doubled = new RegExp(`#${repeated}\\s+#${repeated}(?![\\w-])`).exec(selector.text);
          report.atOffsets(selector.start, selector.start + selector.text.length, 'repeated_id_descendant_selector',
            `Selector "${selector.text}" requires #${repeated} to be nested inside another #${repeated}: ids are unique, so it cannot match.`,
            `Remove the duplicate ancestor: change \`#${repeated} #${repeated}\` to \`#${repeated}\`.`,
            doubled ? { selector: selector.text, replace: { range: report.range(selector.start + doubled.index, selector.start + doubled.index + doubled[0].length), text: `#${repeated}` } } : { selector: selector.text });
        }
        const weak = positions.length > 0 && /\[\s*id\s*=|:where\(/i.test(selector.text) && !reportedWeak.has(selector.text) ? weakId(selector.text) : undefined;
        if (weak) {
          reportedWeak.add(selector.text);
          const tokenAt = selector.start + selector.text.lastIndexOf(weak.token);
          report.atOffsets(selector.start, selector.start + selector.text.length, 'id_override_reduced_specificity',
            `Selector "${selector.text}" sets ${positions.join('/')} through [id=...] or :where(#id), which has class-level or zero specificity: a compound class rule (".parent .row") on the same element silently wins over this override.`,
            `Use \`${cssIdSelector(weak.id)}\` instead: id specificity beats any selector built only from classes.`,
            weak.token.startsWith('[') ? { selector: selector.text, replace: { range: report.range(tokenAt, tokenAt + weak.token.length), text: cssIdSelector(weak.id) } } : { selector: selector.text });
        }
        if (!selector.text.includes('[data-composition-id')) continue;
        for (const match of selector.text.matchAll(SCOPED_COMPOSITION)) {
          const id = match[1];
          if (compositionIds.has(id) || reportedScopes.has(id)) continue;
          reportedScopes.add(id);
          const at = selector.start + match.index;
          report.atOffsets(at, at + match[0].length, 'scoped_css_missing_wrapper',
            `Scoped CSS targets composition "${id}", but no element in this file has data-composition-id="${id}".`,
            'Keep the matching composition wrapper, or scope the CSS to a wrapper that exists.', { selector: `[data-composition-id="${id}"]` });
        }
      }
    }
  }
}
