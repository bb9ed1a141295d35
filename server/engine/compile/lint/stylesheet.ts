// CSS rules with their selectors and declarations, at file offsets, for the lint rules that judge a
// selector's declarations (transforms GSAP will overwrite, transitions, z-index, caption layout, fonts).
// Comments and strings are skipped; @media/@supports/@layer/@container blocks are entered; @keyframes
// frames are not rules anyone targets and are left out. (fonts/css.ts reads declarations for splicing
// fonts and has no notion of the rule they sit in.)
import { skipCssToken } from '../cssTokens';
import { memoByText } from '../textMemo';

export interface CssDeclarationAt {
  /** Lower-cased (custom properties as written). */
  property: string;
  value: string;
  /** The whole `property: value` (without the `;`). */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface CssRule {
  /** The selector list as written (trimmed), or the at-rule (`@font-face`). */
  selector: string;
  selectorStart: number;
  selectorEnd: number;
  declarations: CssDeclarationAt[];
}

/** The text with comments replaced by spaces (offsets kept). */
function blankCssComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, comment => comment.replace(/[^\n\r]/g, ' '));
}

function trimmedSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

const DECLARATION = /^(--[\w-]+|-?[A-Za-z][\w-]*)\s*:/;

function readDeclaration(text: string, from: number, to: number, offset: number): CssDeclarationAt | undefined {
  const [start, end] = trimmedSpan(text, from, to);
  const match = DECLARATION.exec(text.slice(start, end));
  if (!match) return undefined;
  const [valueStart, valueEnd] = trimmedSpan(text, start + match[0].length, end);
  const name = match[1];
  return {
    property: name.startsWith('--') ? name : name.toLowerCase(),
    value: text.slice(valueStart, valueEnd),
    start: offset + start, end: offset + end, valueStart: offset + valueStart, valueEnd: offset + valueEnd,
  };
}


interface OpenBlock {
  rule: CssRule | undefined;
  /** Rules inside are keyframe selectors, not element selectors. */
  keyframes: boolean;
}

const scanAtZero = memoByText((source: string) => scanStylesheetAt(source, 0));

function shifted(declaration: CssDeclarationAt, offset: number): CssDeclarationAt {
  return { ...declaration, start: declaration.start + offset, end: declaration.end + offset, valueStart: declaration.valueStart + offset, valueEnd: declaration.valueEnd + offset };
}

/** The rules of a stylesheet whose text starts at `offset` in its file (a stylesheet unchanged since the last compile is not rescanned). */
export function scanStylesheet(source: string, offset: number): CssRule[] {
  return scanAtZero(source).map(rule => ({
    selector: rule.selector, selectorStart: rule.selectorStart + offset, selectorEnd: rule.selectorEnd + offset,
    declarations: rule.declarations.map(declaration => shifted(declaration, offset)),
  }));
}

function scanStylesheetAt(source: string, offset: number): CssRule[] {
  const css = blankCssComments(source);
  const rules: CssRule[] = [];
  const stack: OpenBlock[] = [];
  let segmentStart = 0;
  let parens = 0;
  for (let i = 0; i < css.length; i++) {
    const char = css[i];
    if (char === '"' || char === "'") {
      i = skipCssToken(css, i) - 1;
      continue;
    }
    if (char === '(') parens++;
    else if (char === ')') parens = Math.max(0, parens - 1);
    if (parens > 0) continue;
    const current = stack[stack.length - 1];
    if (char === '{') {
      const [start, end] = trimmedSpan(css, segmentStart, i);
      const prelude = css.slice(start, end);
      const inKeyframes = current?.keyframes === true;
      const atRule = prelude.startsWith('@');
      let rule: CssRule | undefined;
      if ((!atRule && !inKeyframes && !current?.rule) || /^@font-face\b/i.test(prelude)) {
        rule = { selector: prelude, selectorStart: offset + start, selectorEnd: offset + end, declarations: [] };
        rules.push(rule);
      }
      stack.push({ rule, keyframes: /^@(-\w+-)?keyframes\b/i.test(prelude) });
      segmentStart = i + 1;
    } else if (char === ';' || char === '}') {
      if (current?.rule) {
        const declaration = readDeclaration(css, segmentStart, i, offset);
        if (declaration) current.rule.declarations.push(declaration);
      }
      if (char === '}') stack.pop();
      segmentStart = i + 1;
    }
  }
  return rules;
}

/** The declarations of a style attribute whose value starts at `offset`. */
export function scanDeclarations(source: string, offset: number): CssDeclarationAt[] {
  const css = blankCssComments(source);
  const out: CssDeclarationAt[] = [];
  let segmentStart = 0;
  let parens = 0;
  for (let i = 0; i <= css.length; i++) {
    const char = css[i];
    if (char === '"' || char === "'") {
      i = skipCssToken(css, i) - 1;
      continue;
    }
    if (char === '(') parens++;
    else if (char === ')') parens = Math.max(0, parens - 1);
    else if ((char === ';' && parens === 0) || i === css.length) {
      const declaration = readDeclaration(css, segmentStart, i, offset);
      if (declaration) out.push(declaration);
      segmentStart = i + 1;
    }
  }
  return out;
}

/** The simple `#id` / `.class` tokens of a selector list's subjects (the last compound of each selector). */
export function subjectTokens(selectorList: string): string[] {
  const tokens: string[] = [];
  for (const selector of selectorList.split(',')) {
    const compounds = selector.trim().split(/[\s>+~]+/).filter(Boolean);
    const last = compounds[compounds.length - 1];
    if (last) tokens.push(...(last.match(/[#.][\w-]+/g) ?? []));
  }
  return tokens;
}
