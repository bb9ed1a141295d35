// HTML parsing with source positions. parse5 builds the tree exactly as a browser would (so what we call
// a clip is what the page will have); this module flattens it into `SourceElement`s that carry the offsets
// every diagnostic and every splice needs. It never throws on malformed input: parse5 recovers like a browser.
import type { DefaultTreeAdapterTypes } from 'parse5' with { 'resolution-mode': 'import' };
import { LineIndex } from './sourceText';

type Parse5 = typeof import('parse5', { with: { 'resolution-mode': 'import' } });
type P5Node = DefaultTreeAdapterTypes.Node;
type P5Element = DefaultTreeAdapterTypes.Element;

// parse5 is ESM-only and this package compiles to CommonJS: load it once, lazily, through import().
let parse5Module: Promise<Parse5> | undefined;
/** parse5 once loaded (it is ESM-only, so the first parse waits for it). */
let parse5Loaded: Parse5 | undefined;
function loadParse5(): Promise<Parse5> {
  parse5Module ??= import('parse5').then(module => (parse5Loaded = module));
  return parse5Module;
}

export interface SourceAttribute {
  name: string;
  value: string;
  /** The whole attribute as written (`name="value"`). */
  start: number;
  end: number;
  /** The value without its quotes; for a bare attribute (`muted`) the name. */
  valueStart: number;
  valueEnd: number;
}

export interface SourceElement {
  tagName: string;
  attrs: Map<string, SourceAttribute>;
  /** Offsets of the tag name in the opening tag (diagnostics for a missing attribute go here). */
  tagNameStart: number;
  tagNameEnd: number;
  start: number;
  /** Offset just after the opening tag's ">". */
  startTagEnd: number;
  /** Offset of the closing tag's "<", when the source has one. */
  endTagStart: number | undefined;
  end: number;
  parent: SourceElement | undefined;
  children: SourceElement[];
  /** For <template>: the elements of its content (kept apart: a template's content is inert). */
  templateContent: SourceElement[] | undefined;
}

/** An HTML parse error; most (missing doctype, `<div/>`, …) are harmless and only a few are reported. */
export interface SourceParseError {
  code: string;
  start: number;
  end: number;
}

export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
  /** Top-level elements (html, or the located elements of a document that omits it). */
  elements: SourceElement[];
  /** Offset of "</body>" when written; sub-composition scripts are hoisted before it. */
  bodyEndTagStart: number | undefined;
  parseErrors: SourceParseError[];
}

export async function parseSourceFile(filePath: string, text: string): Promise<SourceFile> {
  return parseWith(await loadParse5(), filePath, text);
}

/** The same, for a caller that has already parsed a file (so parse5 is loaded): a compile's later passes. */
export function parseSourceFileSync(filePath: string, text: string): SourceFile {
  if (!parse5Loaded) throw new Error('parseSourceFileSync before any parseSourceFile: parse5 is not loaded yet');
  return parseWith(parse5Loaded, filePath, text);
}

function parseWith({ parse }: Parse5, filePath: string, text: string): SourceFile {
  const parseErrors: SourceParseError[] = [];
  const document = parse(text, {
    sourceCodeLocationInfo: true,
    onParseError: error => {
      parseErrors.push({ code: error.code, start: error.startOffset, end: Math.max(error.endOffset, error.startOffset) });
    },
  });
  const file: SourceFile = { path: filePath, text, lines: new LineIndex(text), elements: [], bodyEndTagStart: undefined, parseErrors };
  file.elements = convertChildren(file, document, undefined);
  return file;
}

function isElement(node: P5Node): node is P5Element {
  return 'tagName' in node;
}

function convertChildren(file: SourceFile, node: P5Node, parent: SourceElement | undefined): SourceElement[] {
  const out: SourceElement[] = [];
  if (!('childNodes' in node)) return out;
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    const converted = convertElement(file, child, parent);
    // Elements the parser implied (html/head/body not written) have no location: keep their children.
    if (converted) out.push(converted);
    else out.push(...convertChildren(file, child, parent));
  }
  return out;
}

function convertElement(file: SourceFile, node: P5Element, parent: SourceElement | undefined): SourceElement | undefined {
  const location = node.sourceCodeLocation;
  if (node.tagName === 'body' && location?.endTag) file.bodyEndTagStart = location.endTag.startOffset;
  if (!location) return undefined;
  const startTag = location.startTag ?? location;
  const attrs = new Map<string, SourceAttribute>();
  for (const attr of node.attrs) {
    const attrLocation = location.attrs?.[attr.name];
    if (!attrLocation) continue;
    attrs.set(attr.name, locateAttribute(file.text, attr.name, attr.value, attrLocation.startOffset, attrLocation.endOffset));
  }
  const tagNameStart = startTag.startOffset + 1;
  const element: SourceElement = {
    tagName: node.tagName,
    attrs,
    tagNameStart,
    tagNameEnd: tagNameStart + node.tagName.length,
    start: location.startOffset,
    startTagEnd: startTag.endOffset,
    endTagStart: location.endTag?.startOffset,
    end: location.endOffset,
    parent,
    children: [],
    templateContent: undefined,
  };
  element.children = convertChildren(file, node, element);
  if (node.tagName === 'template' && 'content' in node) {
    element.templateContent = convertChildren(file, (node as DefaultTreeAdapterTypes.Template).content, element);
  }
  return element;
}

/** parse5 locates `name="value"` as a whole; diagnostics want the value inside its quotes. */
function locateAttribute(text: string, name: string, value: string, start: number, end: number): SourceAttribute {
  const equals = text.indexOf('=', start + name.length);
  if (equals < 0 || equals >= end) return { name, value, start, end, valueStart: start, valueEnd: end };
  let valueStart = equals + 1;
  while (valueStart < end && /\s/.test(text[valueStart])) valueStart++;
  let valueEnd = end;
  const quote = text[valueStart];
  if (quote === '"' || quote === "'") {
    valueStart++;
    if (valueEnd > valueStart && text[valueEnd - 1] === quote) valueEnd--;
  }
  return { name, value, start, end, valueStart, valueEnd };
}

/** Pre-order walk; `visit` returns false to skip an element's children. Template content is not entered. */
export function walkElements(elements: readonly SourceElement[], visit: (element: SourceElement) => boolean | void): void {
  const stack = [...elements].reverse();
  while (stack.length > 0) {
    const element = stack.pop()!;
    if (visit(element) === false) continue;
    for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i]);
  }
}

/** The text between an element's tags (a script's source), with the offset where it starts. */
export function innerText(file: SourceFile, element: SourceElement): { text: string; offset: number } {
  const end = element.endTagStart ?? element.end;
  return { text: file.text.slice(element.startTagEnd, Math.max(element.startTagEnd, end)), offset: element.startTagEnd };
}

export function hasClass(element: SourceElement, className: string): boolean {
  const value = element.attrs.get('class')?.value;
  return value !== undefined && value.split(/\s+/).includes(className);
}
