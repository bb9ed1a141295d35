// Scoping a sub-composition's <style> to its own instance, as the reference's compiler scopes it: once
// inlined into the entry page, `.title { … }` in scene A must not restyle scene B's `.title`, and a
// sub-composition's `html`, `body` and `:root` rules style its own box, never the host page. Every rule's
// subject is constrained to the instance (`:where(<scope>, <scope> *)`, which adds no specificity), bare
// document selectors are mapped to the composition's box, and @keyframes / @font-face stay global.
// The rewrite never adds or removes a line, so the compiled page's line map stays exact.
import { skipCssToken } from './cssTokens';

/** At-rules whose block holds rules to scope; any other at-rule block (keyframes, font-face, page…) is copied. */
const GROUPING_AT_RULES = new Set(['media', 'supports', 'layer', 'container', 'document', '-moz-document', 'scope', 'starting-style']);
const DOCUMENT_SELECTORS = new Set(['html', 'body', ':root']);
const LEGACY_PSEUDO_ELEMENTS = /^:(before|after|first-line|first-letter)\b/i;

export interface CssScope {
  /** Selector of the element the instance lives in (the host). */
  instance: string;
  /** Selector of the composition's own box (its inner root when it has one, else the host). */
  box: string;
}


/** Index just after the `}` closing the block whose `{` is at `open`. */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length;) {
    const skipped = skipCssToken(css, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) return i + 1;
    i++;
  }
  return css.length;
}

export function scopeStylesheet(css: string, scope: CssScope): string {
  return scopeRules(css, 0, css.length, scope);
}

function scopeRules(css: string, from: number, to: number, scope: CssScope): string {
  let out = '';
  let preludeStart = from;
  let i = from;
  while (i < to) {
    const skipped = skipCssToken(css, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = css[i];
    if (char === ';') {
      // A statement at-rule (@import, @charset, @layer a, b;) or stray text: copied.
      out += css.slice(preludeStart, i + 1);
      preludeStart = ++i;
      continue;
    }
    if (char === '}') {
      // Unbalanced close: copy the rest untouched rather than guess.
      return out + css.slice(preludeStart, to);
    }
    if (char !== '{') {
      i++;
      continue;
    }
    const prelude = css.slice(preludeStart, i);
    const end = Math.min(blockEnd(css, i), to);
    const atRule = /^\s*@(-?[\w-]+)/.exec(stripComments(prelude));
    if (atRule) {
      const name = atRule[1].toLowerCase();
      out += prelude + (GROUPING_AT_RULES.has(name) ? '{' + scopeRules(css, i + 1, end - 1, scope) + '}' : css.slice(i, end));
    } else {
      out += scopeSelectorList(prelude, scope) + css.slice(i, end);
    }
    preludeStart = i = end;
  }
  return out + css.slice(preludeStart, to);
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
}

/** Splits at top-level commas, keeping every character (whitespace and comments included). */
function splitSelectorList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length;) {
    const skipped = skipCssToken(list, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = list[i];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  parts.push(list.slice(start));
  return parts;
}

function scopeSelectorList(list: string, scope: CssScope): string {
  return splitSelectorList(list).map(selector => scopeSelector(selector, scope)).join(',');
}

function scopeSelector(selector: string, scope: CssScope): string {
  // Comments before the selector belong to the text around it; one inside it is left alone.
  const leading = /^(\s|\/\*[\s\S]*?\*\/)*/.exec(selector)![0];
  const trailing = /\s*$/.exec(selector.slice(leading.length))![0];
  const body = selector.slice(leading.length, selector.length - trailing.length);
  if (!body || body.includes('/*')) return selector;
  if (DOCUMENT_SELECTORS.has(body.toLowerCase())) return leading + scope.box + trailing;
  if (body === '*') return selector;
  const at = subjectInsertionPoint(body);
  return leading + body.slice(0, at) + `:where(${scope.instance}, ${scope.instance} *)` + body.slice(at) + trailing;
}

/** Where the subject compound ends: before its pseudo-element (`::before`, `:after`), else the end. */
function subjectInsertionPoint(selector: string): number {
  let depth = 0;
  let lastCompoundStart = 0;
  let pseudoElement = -1;
  for (let i = 0; i < selector.length;) {
    const skipped = skipCssToken(selector, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = selector[i];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (/\s/.test(char) || char === '>' || char === '+' || char === '~')) {
      lastCompoundStart = i + 1;
      pseudoElement = -1;
    } else if (depth === 0 && char === ':' && pseudoElement < 0 && i >= lastCompoundStart) {
      if (selector[i + 1] === ':' || LEGACY_PSEUDO_ELEMENTS.test(selector.slice(i))) pseudoElement = i;
    }
    i++;
  }
  return pseudoElement >= 0 ? pseudoElement : selector.length;
}
