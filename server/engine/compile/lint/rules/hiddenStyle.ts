// runtime_hidden_style_opacity: a rule like `[style*="visibility: hidden"] { opacity: 0 }` keys off the
// inline style the runtime writes to hide a native <video> while it paints the replacement frame, and the
// replacement copies the video's computed opacity: both go transparent. Hosts of sub-compositions
// ([data-composition-src] / [data-composition-file] in the same compound) are the safe use of that guard.
import type { LintFile, LintReporter } from '../context';

/** The inline style the runtime writes; an attribute-substring selector with a piece of it matches it. */
const RUNTIME_HIDDEN_STYLE = 'visibility: hidden !important;';

/** [start, end) of each top-level selector of a list (commas inside brackets, parentheses or quotes do not split). */
function selectorPieces(list: string): [number, number][] {
  const pieces: [number, number][] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  const push = (to: number) => {
    let start = from;
    let end = to;
    while (start < end && /\s/.test(list[start])) start++;
    while (end > start && /\s/.test(list[end - 1])) end--;
    if (end > start) pieces.push([start, end]);
  };
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      push(i);
      from = i + 1;
    }
  }
  push(list.length);
  return pieces;
}

/** The last compound of a selector (after its last combinator outside brackets and quotes). */
function subjectCompound(selector: string): string {
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (depth === 0 && /[\s>+~]/.test(ch)) start = i + 1;
  }
  return selector.slice(start);
}

const ATTRIBUTE = /\[\s*([\w-]+)\s*(?:([*^$~|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))\s*([iIsS])?\s*)?\]/g;

function aliasesRuntimeHiddenStyle(selector: string): boolean {
  const attributes = [...subjectCompound(selector).matchAll(ATTRIBUTE)];
  if (attributes.some(a => ['data-composition-src', 'data-composition-file'].includes(a[1].toLowerCase()))) return false;
  return attributes.some(a => {
    if (a[1].toLowerCase() !== 'style' || a[2] !== '*=') return false;
    const value = a[3] ?? a[4] ?? a[5] ?? '';
    const needle = a[6]?.toLowerCase() === 'i' ? value.toLowerCase() : value;
    return needle !== '' && (needle.includes('visibility') || needle.includes('hidden')) && RUNTIME_HIDDEN_STYLE.includes(needle);
  });
}

export function lintRuntimeHiddenStyle(report: LintReporter, lint: LintFile): void {
  const reported = new Set<string>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      if (!rule.selector.includes('style') || !rule.declarations.some(d => d.property === 'opacity' && Number(d.value.replace(/!important/i, '').trim()) === 0 && d.value.trim() !== '')) continue;
      for (const [from, to] of selectorPieces(rule.selector)) {
        const selector = rule.selector.slice(from, to);
        if (reported.has(selector) || !aliasesRuntimeHiddenStyle(selector)) continue;
        reported.add(selector);
        report.atOffsets(rule.selectorStart + from, rule.selectorStart + to, 'runtime_hidden_style_opacity',
          `Selector "${selector}" observes HyperFrames' runtime-owned hidden style and forces opacity to zero. The renderer hides each native video before copying its computed opacity to the visible replacement frame, so this rule makes both transparent.`,
          'Restrict the guard to sub-composition hosts, for example `[data-composition-src][style*="visibility: hidden"]` and `[data-composition-file][style*="visibility: hidden"]`. Do not derive arbitrary element or media opacity from runtime-owned inline visibility.',
          { selector });
      }
    }
  }
}
