// Inline scripts parsed into a syntax tree (acorn) for the lint rules that must know what the code means
// rather than what it looks like: which call builds a timeline, which function is a tween's value, which
// element a variable holds. A script is parsed once per text (the language server relints on every
// keystroke and most scripts have not changed); offsets are into the script text, as LintScript's are.
import { parse, type AnyNode, type AssignmentExpression, type CallExpression, type Expression, type Node, type ObjectExpression, type Program, type Property, type SpreadElement, type Super, type VariableDeclarator } from 'acorn';
import { memoByText } from '../textMemo';
import type { LintFile, LintScript } from './context';

export interface ScriptSyntaxError {
  /** acorn's message without its "(line:column)" suffix (the range says where). */
  message: string;
  offset: number;
}

export interface ParsedScript {
  program: Program | undefined;
  error: ScriptSyntaxError | undefined;
}

/** The text each program was parsed from: acorn's nodes hold offsets only. */
const parsedTexts = new WeakMap<Program, string>();

export function programText(program: Program): string {
  return parsedTexts.get(program) ?? '';
}

function parseAs(sourceType: 'script' | 'module'): (text: string) => ParsedScript {
  return memoByText(text => {
    try {
      const program = parse(text, { ecmaVersion: 'latest', sourceType, allowReturnOutsideFunction: true, allowHashBang: true });
      parsedTexts.set(program, text);
      return { program, error: undefined };
    } catch (error) {
      const pos = (error as { pos?: unknown }).pos;
      const message = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error);
      return { program: undefined, error: { message, offset: typeof pos === 'number' ? pos : 0 } };
    }
  });
}

const parseClassic = parseAs('script');
const parseModule = parseAs('module');

export function isModuleScript(script: LintScript): boolean {
  return (script.element.attrs.get('type')?.value ?? '').trim().toLowerCase() === 'module';
}

/** The script's own text (comments kept: acorn reads them; the offsets are the same as `script.code`'s). */
export function scriptText(lint: LintFile, script: LintScript): string {
  return lint.file.text.slice(script.offset, script.offset + script.code.length);
}

export function parseScript(lint: LintFile, script: LintScript): ParsedScript {
  const text = scriptText(lint, script);
  return isModuleScript(script) ? parseModule(text) : parseClassic(text);
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The keys of each node type that can hold child nodes: those whose value is an object, an array or null on the
 * first node of that type seen (an ESTree key is either always a primitive or always a node, list or null).
 * Read once per type, so the walk does not enumerate every key of every node.
 */
const CHILD_KEYS = new Map<string, string[]>();

function childKeys(node: AnyNode): string[] {
  let keys = CHILD_KEYS.get(node.type);
  if (!keys) {
    const record = node as unknown as Record<string, unknown>;
    keys = Object.keys(record).filter(key => key !== 'loc' && key !== 'range' && (record[key] === null || typeof record[key] === 'object'));
    CHILD_KEYS.set(node.type, keys);
  }
  return keys;
}

/** Every node under `root`, depth first in source order, with its ancestors (outermost first). */
export function walk(root: Node, visit: (node: AnyNode, ancestors: readonly AnyNode[]) => void): void {
  const ancestors: AnyNode[] = [];
  const enter = (node: AnyNode) => {
    visit(node, ancestors);
    ancestors.push(node);
    const record = node as unknown as Record<string, unknown>;
    for (const key of childKeys(node)) {
      const value = record[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) enter(item);
      } else if (isNode(value)) {
        enter(value);
      }
    }
    ancestors.pop();
  };
  enter(root as AnyNode);
}

/** `a.b` / `a?.b` / `a["b"]`: the member's name, when it is written as a name or a string. */
export function memberName(node: AnyNode | Super | null | undefined): string | undefined {
  if (node?.type !== 'MemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return stringValue(node.property);
}

/** A string literal's value, or a template literal's without interpolation. */
export function stringValue(node: AnyNode | Super | null | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function isIdentifier(node: AnyNode | Super | null | undefined, name?: string): boolean {
  return node?.type === 'Identifier' && (name === undefined || node.name === name);
}

/** `gsap.timeline(...)`. */
export function isGsapTimelineCall(node: AnyNode | null | undefined): node is CallExpression {
  return node?.type === 'CallExpression' && node.callee.type === 'MemberExpression' && isIdentifier(node.callee.object, 'gsap') && memberName(node.callee) === 'timeline';
}

type FunctionNode = Extract<AnyNode, { type: 'ArrowFunctionExpression' | 'FunctionExpression' | 'FunctionDeclaration' }>;

/** The nodes the rules look at, gathered in one walk of the program (source order), with each node's parent. */
export interface ProgramIndex {
  calls: CallExpression[];
  declarators: VariableDeclarator[];
  assignments: AssignmentExpression[];
  objects: ObjectExpression[];
  functions: FunctionNode[];
  parents: Map<AnyNode, AnyNode>;
  /** Names bound to `gsap.timeline(...)`. */
  timelines: Set<string>;
  tweens: TweenCallNode[];
}

export function isFunctionNode(node: AnyNode | null | undefined): node is FunctionNode {
  return node?.type === 'ArrowFunctionExpression' || node?.type === 'FunctionExpression' || node?.type === 'FunctionDeclaration';
}

/** The functions around `node`, innermost last. */
export function enclosingFunctions(index: ProgramIndex, node: AnyNode): FunctionNode[] {
  const scopes: FunctionNode[] = [];
  for (let at = index.parents.get(node); at; at = index.parents.get(at)) if (isFunctionNode(at)) scopes.unshift(at);
  return scopes;
}

export type TweenMethod = 'to' | 'from' | 'fromTo' | 'set';
const TWEEN_METHODS = new Set<string>(['to', 'from', 'fromTo', 'set']);

export interface TweenCallNode {
  call: CallExpression;
  method: TweenMethod;
  /** Chained off a timeline name (`tl.to(...).from(...)`), not `gsap.to(...)`. */
  onTimeline: boolean;
  /** The vars objects written as literals: the "to" vars (and the "from" vars of a fromTo). */
  vars: ObjectExpression | undefined;
  fromVars: ObjectExpression | undefined;
}

/** The identifier a call chain starts from: `tl` of `tl.to(a).from(b)`. */
function chainRoot(node: Expression | Super): Expression | Super {
  let current = node;
  while (current.type === 'CallExpression' && current.callee.type === 'MemberExpression') current = current.callee.object;
  return current;
}

function objectArg(arg: Expression | SpreadElement | undefined): ObjectExpression | undefined {
  return arg?.type === 'ObjectExpression' ? arg : undefined;
}

/** Every `tl.to/from/fromTo/set(...)` on a timeline name and `gsap.to/…(...)` among `calls`, source order. */
function tweenCallsAmong(calls: readonly CallExpression[], timelines: ReadonlySet<string>): TweenCallNode[] {
  const tweens: TweenCallNode[] = [];
  for (const node of calls) {
    if (node.callee.type !== 'MemberExpression') continue;
    const method = memberName(node.callee);
    if (!method || !TWEEN_METHODS.has(method)) continue;
    const root = chainRoot(node.callee.object);
    if (root.type !== 'Identifier' || (root.name !== 'gsap' && !timelines.has(root.name))) continue;
    // `gsap.timeline().to(...)` chains on a timeline too.
    const onTimeline = root.name !== 'gsap' || node.callee.object.type === 'CallExpression';
    const varsIndex = method === 'fromTo' ? 2 : 1;
    tweens.push({
      call: node, method: method as TweenMethod, onTimeline,
      vars: objectArg(node.arguments[varsIndex]), fromVars: method === 'fromTo' ? objectArg(node.arguments[1]) : undefined,
    });
  }
  return tweens;
}

/** A property's key as written (`opacity`, `"opacity"`), undefined for computed keys. */
export function propertyKey(property: Property | SpreadElement): string | undefined {
  if (property.type !== 'Property' || property.computed) return undefined;
  return property.key.type === 'Identifier' ? property.key.name : stringValue(property.key);
}

export function properties(object: ObjectExpression | undefined): Property[] {
  return (object?.properties ?? []).filter((p): p is Property => p.type === 'Property');
}

/** `document.getElementById("x")` → "#x", `document.querySelector(".a")` → ".a" (also on window.document). */
export function documentLookup(node: AnyNode | Super | null | undefined): string | undefined {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
  const receiver = node.callee.object;
  const isDocument = isIdentifier(receiver, 'document') || (receiver.type === 'MemberExpression' && isIdentifier(receiver.object, 'window') && memberName(receiver) === 'document');
  if (!isDocument) return undefined;
  const method = memberName(node.callee);
  const value = stringValue(node.arguments[0]);
  if (value === undefined || !value.trim()) return undefined;
  if (method === 'getElementById') return `#${value}`;
  if (method === 'querySelector') return value;
  return undefined;
}

/** The program's index, built once per parsed program. */
export const programIndex = memoByProgram((program: Program): ProgramIndex => {
  const index: ProgramIndex = { calls: [], declarators: [], assignments: [], objects: [], functions: [], parents: new Map(), timelines: new Set(), tweens: [] };
  walk(program, (node, ancestors) => {
    const parent = ancestors.at(-1);
    if (parent) index.parents.set(node, parent);
    switch (node.type) {
      case 'CallExpression': index.calls.push(node); break;
      case 'VariableDeclarator':
        index.declarators.push(node);
        if (node.id.type === 'Identifier' && isGsapTimelineCall(node.init)) index.timelines.add(node.id.name);
        break;
      case 'AssignmentExpression':
        index.assignments.push(node);
        if (node.left.type === 'Identifier' && isGsapTimelineCall(node.right)) index.timelines.add(node.left.name);
        break;
      case 'ObjectExpression': index.objects.push(node); break;
      case 'ArrowFunctionExpression': case 'FunctionExpression': case 'FunctionDeclaration': index.functions.push(node); break;
      default: break;
    }
  });
  index.tweens = tweenCallsAmong(index.calls, index.timelines);
  return index;
});

/** `analyze` remembered per parsed program: a rule's reading of an unchanged script is not redone on each keystroke. */
export function memoByProgram<T>(analyze: (program: Program) => T): (program: Program) => T {
  const cache = new WeakMap<Program, T>();
  return program => {
    if (cache.has(program)) return cache.get(program)!;
    const value = analyze(program);
    cache.set(program, value);
    return value;
  };
}

/** Variables bound to a document lookup: `const v = document.getElementById("a")` → v ↦ "#a" (and `const w = v`). */
export function lookupBindings(index: ProgramIndex): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const node of index.declarators) {
    if (node.id.type !== 'Identifier' || !node.init) continue;
    const selector = documentLookup(node.init) ?? (node.init.type === 'Identifier' ? bindings.get(node.init.name) : undefined);
    if (selector) bindings.set(node.id.name, selector);
  }
  return bindings;
}
