// Small, forgiving scans of HTML text around the cursor (completion) and inside one opening tag (quick fixes).
// The document is often mid-edit and unparseable, so these work on characters, not on a parse tree.

export interface AttributeNameContext {
  kind: 'attribute-name';
  tagName: string;
  /** Attribute names already written in the tag. */
  present: Set<string>;
  /** Offset where the name being typed starts (the completion replaces from here). */
  wordStart: number;
}

export interface AttributeValueContext {
  kind: 'attribute-value';
  tagName: string;
  attribute: string;
  /** Offset of the first character of the value (after the quote). */
  valueStart: number;
}

export type TagContext = AttributeNameContext | AttributeValueContext;

const NAME_CHAR = /[^\s"'>/=<]/;

/** Offset of the `<` of the tag enclosing `offset`, if the cursor is inside an opening tag. */
function enclosingTagStart(text: string, offset: number): number | undefined {
  let quote: string | undefined;
  let tagStart: number | undefined;
  // Walk forward from the last '<' that could start a tag, tracking quotes, so a '>' inside a value is not an end.
  const scanFrom = Math.max(0, text.lastIndexOf('<', offset - 1));
  for (let i = scanFrom; i < offset; i++) {
    const c = text[i];
    if (tagStart === undefined) {
      if (c === '<' && /[a-zA-Z]/.test(text[i + 1] ?? '')) tagStart = i;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      tagStart = undefined;
    }
  }
  return tagStart;
}

/** Names of every attribute written in the opening tag starting at `tagStart`, except the one at `skipOffset`. */
function attributeNames(text: string, tagStart: number, skipOffset: number): Set<string> {
  const end = attributeInsertOffset(text, tagStart) ?? text.length;
  const names = new Set<string>();
  // Values are blanked out first so a quoted "a=b" is not read as an attribute.
  const tag = text.slice(tagStart, end).replace(/"[^"]*"|'[^']*'/g, match => ' '.repeat(match.length));
  for (const match of tag.matchAll(/\s([^\s"'>/=<]+)/g)) {
    const start = tagStart + match.index + 1;
    if (skipOffset >= start && skipOffset <= start + match[1].length) continue;
    names.add(match[1].toLowerCase());
  }
  return names;
}

export function tagContextAt(text: string, offset: number): TagContext | undefined {
  const context = tagContextBefore(text, offset);
  if (context?.kind === 'attribute-name') {
    const tagStart = enclosingTagStart(text, offset);
    if (tagStart !== undefined) context.present = attributeNames(text, tagStart, context.wordStart);
  }
  return context;
}

function tagContextBefore(text: string, offset: number): TagContext | undefined {
  const tagStart = enclosingTagStart(text, offset);
  if (tagStart === undefined) return undefined;
  const tagName = /^<([a-zA-Z][\w-]*)/.exec(text.slice(tagStart, offset))?.[1];
  if (!tagName || tagStart + 1 + tagName.length >= offset) return undefined;
  const present = new Set<string>();
  let i = tagStart + 1 + tagName.length;
  while (i < offset) {
    while (i < offset && /\s/.test(text[i])) i++;
    const nameStart = i;
    while (i < offset && NAME_CHAR.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    if (i >= offset) return { kind: 'attribute-name', tagName, present, wordStart: nameStart };
    if (name) present.add(name);
    while (i < offset && /\s/.test(text[i])) i++;
    if (text[i] !== '=') {
      if (i === nameStart) i++; // a stray character: step over it
      continue;
    }
    i++;
    while (i < offset && /\s/.test(text[i])) i++;
    if (i >= offset) return { kind: 'attribute-value', tagName, attribute: name, valueStart: offset };
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
    if (quote) {
      const close = text.indexOf(quote, i + 1);
      if (close === -1 || close >= offset) return { kind: 'attribute-value', tagName, attribute: name, valueStart: i + 1 };
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < offset && !/[\s>]/.test(text[i])) i++;
      if (i >= offset) return { kind: 'attribute-value', tagName, attribute: name, valueStart };
    }
  }
  return { kind: 'attribute-name', tagName, present, wordStart: offset };
}

/** Offset just after the last attribute of the opening tag starting at `tagStart`: where a new attribute goes. */
export function attributeInsertOffset(text: string, tagStart: number): number | undefined {
  let quote: string | undefined;
  for (let i = tagStart + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      let end = i;
      if (text[end - 1] === '/') end--;
      while (end > tagStart && /\s/.test(text[end - 1])) end--;
      return end;
    }
  }
  return undefined;
}

export interface TimelineCreation {
  variable: string;
  /** Offset just past the end of the line on which the creating statement ends. */
  lineEnd: number;
  /** The indentation of the creating line, reused for the inserted line. */
  indent: string;
}

/**
 * Finds `const|let|var <name> = gsap.timeline(...)` (optionally for a given variable) and the line its statement
 * ends on, following the call's parentheses across lines.
 */
export function findTimelineCreation(text: string, variable?: string): TimelineCreation | undefined {
  const pattern = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*gsap\s*\.\s*timeline\s*\(/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (variable && match[1] !== variable) continue;
    let depth = 1;
    let i = match.index + match[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    const newline = text.indexOf('\n', i);
    const lineEnd = newline === -1 ? text.length : newline;
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    return { variable: match[1], lineEnd, indent };
  }
  return undefined;
}

/** Splits a relative start ("intro + 0.5") into the referenced id's offsets within the value. */
export function relativeReferenceSpan(value: string): { start: number; end: number } | undefined {
  const match = /^(\s*)(.+?)(\s*[+-]\s*[\d.]+\s*)?$/.exec(value);
  if (!match) return undefined;
  const start = match[1].length;
  return { start, end: start + match[2].length };
}
