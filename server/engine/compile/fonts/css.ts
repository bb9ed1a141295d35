// Just enough CSS reading for fonts: the declarations of a stylesheet or a style attribute with their
// offsets (so the compile stage can splice into the author's text instead of re-serialising it), whether
// each sits inside @font-face, and the stylesheet's @import rules. Comments, strings, escapes and
// parentheses are skipped as the CSS tokenizer would; nested rules (CSS nesting, @media, @keyframes) are
// walked like any block.
import { skipCssToken } from '../cssTokens';

export interface CssDeclaration {
  /** Lower-cased, except custom properties (`--name`), which are case-sensitive. */
  property: string;
  /** The value without surrounding whitespace and without `!important`. */
  valueStart: number;
  valueEnd: number;
  inFontFace: boolean;
}

export interface CssImport {
  /** The whole `@import …;` statement. */
  start: number;
  end: number;
  url: string;
  urlStart: number;
  urlEnd: number;
}

export interface CssScan {
  declarations: CssDeclaration[];
  imports: CssImport[];
}


/** First offset in [from, to) that is neither whitespace nor inside a comment. */
function skipTrivia(css: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    if (/\s/.test(css[i])) i++;
    else if (css[i] === '/' && css[i + 1] === '*') i = skipCssToken(css, i);
    else break;
  }
  return Math.min(i, to);
}

function trimEnd(css: string, from: number, to: number): number {
  let end = to;
  while (end > from && /\s/.test(css[end - 1])) end--;
  return end;
}

const DECLARATION_START = /^(--[A-Za-z0-9_-]+|-?[A-Za-z][A-Za-z0-9-]*)\s*:/;
const IMPORTANT = /!\s*important\s*$/i;
const IMPORT_URL = /^@import\s+(?:url\(\s*(["']?)([^"')\s]*)\1\s*\)|(["'])([^"']*)\3)/i;

/**
 * `mode` says what the text is: a stylesheet (rules at the top level) or a declaration list (a style
 * attribute's value). Offsets are into `css`.
 */
export function scanCss(css: string, mode: 'stylesheet' | 'declarations'): CssScan {
  const declarations: CssDeclaration[] = [];
  const imports: CssImport[] = [];
  // One entry per open block: whether it is an @font-face block.
  const blocks: boolean[] = [];
  let segmentStart = 0;
  let parens = 0;

  const endSegment = (end: number, terminator: number): void => {
    const start = skipTrivia(css, segmentStart, end);
    const text = css.slice(start, end);
    if (blocks.length === 0 && mode === 'stylesheet') {
      const match = IMPORT_URL.exec(text);
      if (match) {
        const url = match[2] ?? match[4] ?? '';
        const urlStart = start + match[0].lastIndexOf(url, match[0].length - 1);
        imports.push({ start, end: Math.min(css.length, terminator + 1), url, urlStart, urlEnd: urlStart + url.length });
      }
      return;
    }
    const match = DECLARATION_START.exec(text);
    if (!match) return;
    const name = match[1];
    const valueStart = skipTrivia(css, start + match[0].length, end);
    let valueEnd = trimEnd(css, valueStart, end);
    const important = IMPORTANT.exec(css.slice(valueStart, valueEnd));
    if (important) valueEnd = trimEnd(css, valueStart, valueStart + important.index);
    declarations.push({
      property: name.startsWith('--') ? name : name.toLowerCase(),
      valueStart, valueEnd, inFontFace: blocks.includes(true),
    });
  };

  for (let i = 0; i < css.length;) {
    const skipped = skipCssToken(css, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = css[i];
    if (char === '(') parens++;
    else if (char === ')') parens = Math.max(0, parens - 1);
    else if (parens === 0 && char === '{') {
      blocks.push(/^@font-face\b/i.test(css.slice(skipTrivia(css, segmentStart, i), i)));
      segmentStart = i + 1;
    } else if (parens === 0 && (char === ';' || char === '}')) {
      endSegment(i, i);
      if (char === '}') blocks.pop();
      segmentStart = i + 1;
    }
    i++;
  }
  endSegment(css.length, css.length);
  return { declarations, imports };
}

export interface FamilyPiece {
  /** Unquoted, entities decoded, inner whitespace collapsed; case as written. */
  name: string;
  /** Offsets of the piece as written (with its quotes). */
  start: number;
  end: number;
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#34;': '"', '&apos;': "'", '&#39;': "'", '&amp;': '&' };

/** Splits a font-family value at its top-level commas (a comma in quotes or in var(…) does not split). */
export function splitFamilies(css: string, valueStart: number, valueEnd: number): FamilyPiece[] {
  const pieces: FamilyPiece[] = [];
  let pieceStart = valueStart;
  let parens = 0;
  const take = (end: number): void => {
    const start = skipTrivia(css, pieceStart, end);
    const stop = trimEnd(css, start, end);
    if (stop <= start) return;
    const written = css.slice(start, stop).replace(/&(?:quot|#34|apos|#39|amp);/g, entity => ENTITIES[entity]);
    const unquoted = /^(["']).*\1$/s.test(written) ? written.slice(1, -1) : written;
    pieces.push({ name: unquoted.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim(), start, end: stop });
  };
  for (let i = valueStart; i < valueEnd;) {
    const skipped = skipCssToken(css, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = css[i];
    if (char === '(') parens++;
    else if (char === ')') parens = Math.max(0, parens - 1);
    else if (char === ',' && parens === 0) {
      take(i);
      pieceStart = i + 1;
    }
    i++;
  }
  take(valueEnd);
  return pieces;
}

/** The custom property a value starts with (`var(--font, …)` → `--font`). */
export function leadingVariable(value: string): string | undefined {
  return /^\s*var\(\s*(--[A-Za-z0-9_-]+)/.exec(value)?.[1];
}
