// Which elements of a lint file a selector from a script names, for the rules that must know what a
// `document.querySelector("…")` reaches (a <video>, a <path> without d). Only simple compounds are read; a
// selector with combinators or pseudo-classes is not guessed at (the rule stays silent).
import type { SourceElement } from '../parseHtml';
import { elementId } from './context';

/** Elements a selector list of simple compounds (`video`, `#a`, `.b`, `audio.c`) matches; undefined when it has combinators or other parts. */
export function matchSimple(selector: string, elements: readonly SourceElement[]): SourceElement[] | undefined {
  const matched: SourceElement[] = [];
  for (const part of selector.split(',')) {
    const compound = /^([a-z][\w-]*)?((?:[#.][\w-]+)*)$/i.exec(part.trim());
    if (!compound || (!compound[1] && !compound[2])) return undefined;
    const tag = compound[1]?.toLowerCase();
    const tokens = compound[2].match(/[#.][\w-]+/g) ?? [];
    for (const element of elements) {
      if (tag && element.tagName !== tag) continue;
      const classes = new Set((element.attrs.get('class')?.value ?? '').split(/\s+/));
      if (tokens.every(token => (token[0] === '#' ? elementId(element) === token.slice(1) : classes.has(token.slice(1))))) matched.push(element);
    }
  }
  return matched;
}

