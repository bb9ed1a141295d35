// JSON with positions: what an attribute holding JSON (data-composition-variables, data-variable-values)
// needs so a diagnostic lands on the offending entry, key or value instead of on the whole attribute.
// Strict JSON (RFC 8259) only, like JSON.parse: the page reads the attribute with JSON.parse.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

/** Where the text stops being JSON: [start, end) of the offending token (end > start unless at the end of the text). */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;
const WORD = /[^\s,:[\]{}"]+/y;

export function parseJsonNodes(text: string): JsonNode {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /[ \t\n\r]/.test(text[at])) at++;
  };
  const fail = (what: string): never => {
    if (at >= text.length) throw new JsonSyntaxError(`unexpected end of JSON (${what})`, text.length, text.length);
    WORD.lastIndex = at;
    const word = WORD.exec(text);
    const end = word && word.index === at ? at + word[0].length : at + 1;
    throw new JsonSyntaxError(`unexpected ${JSON.stringify(text.slice(at, end))} (${what})`, at, end);
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (!found || found.index !== at) return undefined;
    at += found[0].length;
    return found[0];
  };
  const value = (): JsonNode => {
    skipSpace();
    const start = at;
    const c = text[at];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') {
      const raw = match(STRING) ?? fail('a string is not closed or has a bad escape');
      return { kind: 'string', start, end: at, value: JSON.parse(raw) as string };
    }
    const literal = match(LITERAL);
    if (literal) return literal === 'null' ? { kind: 'null', start, end: at } : { kind: 'boolean', start, end: at, value: literal === 'true' };
    const number = match(NUMBER);
    if (number) return { kind: 'number', start, end: at, value: Number(number) };
    return fail('a value was expected');
  };
  const object = (): JsonNode => {
    const start = at++;
    const members: JsonMember[] = [];
    skipSpace();
    if (text[at] === '}') return { kind: 'object', start, end: ++at, members };
    for (;;) {
      skipSpace();
      const keyStart = at;
      if (text[at] !== '"') fail('a "quoted" key was expected');
      const key = JSON.parse(match(STRING) ?? fail('a key is not closed or has a bad escape')) as string;
      const keyEnd = at;
      skipSpace();
      if (text[at] !== ':') fail('":" was expected after the key');
      at++;
      members.push({ key, keyStart, keyEnd, value: value() });
      skipSpace();
      if (text[at] === ',') { at++; continue; }
      if (text[at] === '}') return { kind: 'object', start, end: ++at, members };
      fail('"," or "}" was expected');
    }
  };
  const array = (): JsonNode => {
    const start = at++;
    const items: JsonNode[] = [];
    skipSpace();
    if (text[at] === ']') return { kind: 'array', start, end: ++at, items };
    for (;;) {
      items.push(value());
      skipSpace();
      if (text[at] === ',') { at++; continue; }
      if (text[at] === ']') return { kind: 'array', start, end: ++at, items };
      fail('"," or "]" was expected');
    }
  };
  const root = value();
  skipSpace();
  if (at < text.length) fail('the JSON should end here');
  return root;
}

/** The plain value of a node (what JSON.parse gives). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': return Object.fromEntries(node.members.map(member => [member.key, jsonValue(member.value)]));
    case 'array': return node.items.map(jsonValue);
    case 'null': return null;
    default: return node.value;
  }
}

/** The member JSON.parse keeps for `key` (the last one written). */
export function memberOf(node: JsonNode, key: string): JsonMember | undefined {
  if (node.kind !== 'object') return undefined;
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i].key === key) return node.members[i];
  return undefined;
}
