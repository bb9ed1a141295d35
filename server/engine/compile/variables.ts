// Composition variables: the declaration (`data-composition-variables`, a JSON array of {id, type, label,
// default} on <html> or the composition's root), a sub-composition host's per-instance values
// (`data-variable-values`), the script-free bindings (`data-var-text`, `data-var-src`) and the values the
// page will see (runtime/variables.ts applies them). Each problem is reported on the JSON entry, key or
// value that causes it, under the reference lint's codes (invalid_composition_variables_declaration,
// invalid_variable_values_json, unknown_variable_binding, unloadable_media_variable_default) so `check --json`
// lines up with its `lint --json`; where ours is finer (a mistyped default, a duplicate id) the message says
// which. The same value check serves the CLI's --variables (validateVariableValues).
import type { CompositionVariable, DiagnosticCode, Severity, VariableBinding, VariableValues } from '../model';
import type { DiagnosticSink } from './diagnostics';
import type { Scope } from './drafts';
import { JsonSyntaxError, jsonValue, memberOf, parseJsonNodes, type JsonNode } from './jsonNodes';
import type { SourceAttribute, SourceElement, SourceFile } from './parseHtml';
import { didYouMean, nearestName } from './diagnostics';
import { isSafeMediaUrl } from '../mediaUrl';

export const VARIABLE_TYPES = ['string', 'number', 'color', 'boolean', 'enum', 'font', 'image'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export const DECLARATION_ATTRIBUTE = 'data-composition-variables';
export const INSTANCE_VALUES_ATTRIBUTE = 'data-variable-values';
export const BINDING_ATTRIBUTES = ['data-var-text', 'data-var-src'] as const;

const DECLARATION_CODE = 'invalid_composition_variables_declaration';
const INSTANCE_VALUES_CODE = 'invalid_variable_values_json';

const DECLARATION_EXAMPLE = `'[{"id":"title","type":"string","label":"Title","default":"Hello"}]'`;

/** What is wrong with one value given for a variable (--variables, a batch row, data-variable-values). */
export type VariableValueProblem =
  | { kind: 'undeclared'; id: string; suggestion: string | undefined }
  | { kind: 'type-mismatch'; id: string; expected: string; actual: string }
  | { kind: 'not-an-option'; id: string; allowed: string[]; actual: string };

function isVariableType(type: unknown): type is VariableType {
  return typeof type === 'string' && (VARIABLE_TYPES as readonly string[]).includes(type);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one type rule, for defaults, instance values and render values alike (the reference's). */
export function checkVariableValue(variable: Pick<CompositionVariable, 'id' | 'type' | 'options'>, value: unknown): VariableValueProblem | undefined {
  const mismatch = (expected: string): VariableValueProblem => ({ kind: 'type-mismatch', id: variable.id, expected, actual: jsonTypeOf(value) });
  switch (variable.type) {
    case 'string':
    case 'color':
      return typeof value === 'string' ? undefined : mismatch(`a ${variable.type} (a JSON string)`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : mismatch('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch('true or false');
    case 'enum':
      if (typeof value !== 'string') return mismatch('one of its options (a JSON string)');
      if (variable.options && variable.options.length > 0 && !variable.options.includes(value)) {
        return { kind: 'not-an-option', id: variable.id, allowed: variable.options, actual: value };
      }
      return undefined;
    case 'font':
      return typeof value === 'string' || (isRecord(value) && typeof value.name === 'string') ? undefined : mismatch('a font family name, or {"name": …}');
    case 'image':
      return typeof value === 'string' || (isRecord(value) && typeof value.url === 'string') ? undefined : mismatch('an image URL, or {"url": …}');
    default:
      return undefined;
  }
}

/** Every problem of `values` against `declarations`: undeclared keys and mistyped values. */
export function validateVariableValues(values: Record<string, unknown>, declarations: readonly CompositionVariable[]): VariableValueProblem[] {
  const byId = new Map(declarations.map(variable => [variable.id, variable]));
  const problems: VariableValueProblem[] = [];
  for (const [id, value] of Object.entries(values)) {
    const variable = byId.get(id);
    const problem = variable ? checkVariableValue(variable, value) : { kind: 'undeclared' as const, id, suggestion: nearestName(id, byId.keys()) };
    if (problem) problems.push(problem);
  }
  return problems;
}

export function describeVariableProblem(problem: VariableValueProblem): string {
  switch (problem.kind) {
    case 'undeclared':
      return `"${problem.id}" is not a declared variable (data-composition-variables).${didYouMean(problem.suggestion)}`;
    case 'type-mismatch':
      return `"${problem.id}" must be ${problem.expected}, got ${problem.actual}.`;
    case 'not-an-option':
      return `"${problem.id}" must be one of ${problem.allowed.map(option => JSON.stringify(option)).join(', ')}, got ${JSON.stringify(problem.actual)}.`;
  }
}

/**
 * An attribute holding JSON, with source offsets for positions in its value: exact when the value is written
 * without character references (the usual single-quoted JSON), else the whole value.
 */
class JsonAttribute {
  private readonly verbatim: boolean;

  constructor(readonly file: SourceFile, readonly attr: SourceAttribute) {
    this.verbatim = file.text.slice(attr.valueStart, attr.valueEnd) === attr.value;
  }

  rangeOf(start: number, end: number): CompositionVariable['range'] {
    const { attr, file } = this;
    return this.verbatim ? file.lines.range(attr.valueStart + start, attr.valueStart + end) : file.lines.range(attr.valueStart, attr.valueEnd);
  }

  report(sink: DiagnosticSink, start: number, end: number, severity: Severity, code: DiagnosticCode, message: string, data?: Record<string, unknown>): void {
    const { attr } = this;
    if (!this.verbatim) return sink.atValue(this.file, attr, severity, code, message, data);
    sink.atOffsets(this.file, attr.valueStart + start, attr.valueStart + Math.max(start, end), severity, code, message, data);
  }

  /** The parsed value, or undefined after reporting where the JSON breaks. */
  parse(sink: DiagnosticSink, what: string, code: DiagnosticCode): JsonNode | undefined {
    try {
      return parseJsonNodes(this.attr.value);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      this.report(sink, error.start, error.end, 'error', code, `${what} is not valid JSON: ${error.message}.`);
      return undefined;
    }
  }
}

/**
 * The valid entries of one data-composition-variables; each bad one is reported where it is written.
 * `mediaBound`: the ids some data-var-src of the file binds, whose defaults become a src.
 */
export function readDeclarations(sink: DiagnosticSink, file: SourceFile, attr: SourceAttribute, mediaBound: ReadonlySet<string> = new Set()): CompositionVariable[] {
  const json = new JsonAttribute(file, attr);
  const root = json.parse(sink, DECLARATION_ATTRIBUTE, DECLARATION_CODE);
  if (!root) return [];
  if (root.kind !== 'array') {
    json.report(sink, root.start, root.end, 'error', DECLARATION_CODE, `${DECLARATION_ATTRIBUTE} must be a JSON array of declarations such as ${DECLARATION_EXAMPLE}.`);
    return [];
  }
  const declarations: CompositionVariable[] = [];
  const seen = new Set<string>();
  root.items.forEach((entry, index) => {
    const fail = (node: { start: number; end: number }, message: string, data?: Record<string, unknown>) =>
      json.report(sink, node.start, node.end, 'error', DECLARATION_CODE, message, data);
    if (entry.kind !== 'object') return fail(entry, `Entry ${index} of ${DECLARATION_ATTRIBUTE} must be an object {"id", "type", "label", "default"}.`);
    const id = memberOf(entry, 'id');
    if (!id || id.value.kind !== 'string' || !id.value.value.trim()) {
      return fail(id?.value ?? entry, `Entry ${index} of ${DECLARATION_ATTRIBUTE} needs an "id": a non-empty string the page reads the value by.`);
    }
    const name = id.value.value;
    if (seen.has(name)) return fail(id.value, `The variable "${name}" is declared twice; the page would read only one of them. Rename or remove one.`, { id: name });
    const type = memberOf(entry, 'type');
    if (!type) return fail(entry, `The variable "${name}" has no "type": write one of ${VARIABLE_TYPES.join(', ')}.`, { id: name });
    const typeName = type.value.kind === 'string' ? type.value.value : undefined;
    if (!isVariableType(typeName)) {
      return fail(type.value, `"${typeName ?? JSON.stringify(jsonValue(type.value))}" is not a variable type: write one of ${VARIABLE_TYPES.join(', ')}.${didYouMean(typeName === undefined ? undefined : nearestName(typeName, VARIABLE_TYPES))}`, { id: name });
    }
    const variable: CompositionVariable = { id: name, type: typeName, file: file.path, range: json.rangeOf(entry.start, entry.end) };
    const label = memberOf(entry, 'label');
    if (label?.value.kind === 'string') variable.label = label.value.value;
    if (typeName === 'enum') {
      const options = memberOf(entry, 'options');
      const values = options?.value.kind === 'array' ? options.value.items.map(item => enumOption(jsonValue(item))) : undefined;
      if (!options || !values || values.some(value => value === undefined)) {
        return fail(options?.value ?? entry, `The enum variable "${name}" needs "options": an array of strings or {"value", "label"} objects.`, { id: name });
      }
      variable.options = values as string[];
    }
    const fallback = memberOf(entry, 'default');
    if (!fallback) {
      // The reference calls this an error; here it stays a warning, as the page still reads the other variables.
      json.report(sink, entry.start, entry.end, 'warning', DECLARATION_CODE, `The variable "${name}" has no "default": the page reads nothing for it unless a render gives a value.`, { id: name });
    } else {
      const value = jsonValue(fallback.value);
      const problem = checkVariableValue(variable, value);
      if (problem) return fail(fallback.value, `The default of ${describeVariableProblem(problem)}`, { id: name });
      variable.default = value;
      const becomesSrc = typeName === 'image' || mediaBound.has(name);
      if (becomesSrc && typeof value === 'string' && value && !isSafeMediaUrl(value)) {
        json.report(sink, fallback.value.start, fallback.value.end, 'error', 'unloadable_media_variable_default',
          `The default of "${name}" is a URL the page refuses to put into a src (only relative, http(s), blob: and data:image/ URLs load), so an element bound to it keeps its written src. Copy the file into the project and give its relative path, e.g. "assets/${name}.png".`, { id: name });
      }
    }
    seen.add(name);
    declarations.push(variable);
  });
  return declarations;
}

function enumOption(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.value === 'string' ? value.value : undefined;
}

/** A host's data-variable-values: checked against the sub-composition's declarations, values kept as written. */
function readInstanceValues(sink: DiagnosticSink, file: SourceFile, attr: SourceAttribute, declarations: readonly CompositionVariable[]): Record<string, unknown> {
  const json = new JsonAttribute(file, attr);
  const root = json.parse(sink, INSTANCE_VALUES_ATTRIBUTE, INSTANCE_VALUES_CODE);
  if (!root) return {};
  if (root.kind !== 'object') {
    json.report(sink, root.start, root.end, 'error', INSTANCE_VALUES_CODE, `${INSTANCE_VALUES_ATTRIBUTE} must be a JSON object of values by variable id, such as '{"title":"Hi"}'.`);
    return {};
  }
  const byId = new Map(declarations.map(variable => [variable.id, variable]));
  const values: Record<string, unknown> = {};
  for (const member of root.members) {
    const value = jsonValue(member.value);
    values[member.key] = value;
    const variable = byId.get(member.key);
    if (!variable) {
      json.report(sink, member.keyStart, member.keyEnd, 'warning', INSTANCE_VALUES_CODE,
        `"${member.key}" is not declared by this sub-composition, so nothing in it reads the value.${didYouMean(nearestName(member.key, byId.keys()))}`, { id: member.key });
      continue;
    }
    const problem = checkVariableValue(variable, value);
    if (problem) json.report(sink, member.value.start, member.value.end, 'error', INSTANCE_VALUES_CODE, `This instance's value of ${describeVariableProblem(problem)}`, { id: member.key });
  }
  return values;
}

function declarationsOn(sink: DiagnosticSink, file: SourceFile, carriers: ReadonlyArray<SourceElement | undefined>): CompositionVariable[] {
  const byId = new Map<string, CompositionVariable>();
  let mediaBound: Set<string> | undefined;
  for (const carrier of new Set(carriers)) {
    const attr = carrier?.attrs.get(DECLARATION_ATTRIBUTE);
    if (!attr) continue;
    mediaBound ??= new Set(ownedElements(file.elements, undefined).flatMap(element => {
      const bound = element.attrs.get('data-var-src')?.value.trim();
      return bound ? [bound] : [];
    }));
    // A later carrier (the root after <html>) wins for an id both declare, as the page merges them.
    for (const variable of readDeclarations(sink, file, attr, mediaBound)) byId.set(variable.id, variable);
  }
  return [...byId.values()];
}

function defaultsOf(declarations: readonly CompositionVariable[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const variable of declarations) if ('default' in variable) values[variable.id] = variable.default;
  return values;
}

function isHost(element: SourceElement): boolean {
  return element.attrs.has('data-composition-id') || element.attrs.has('data-composition-src');
}

/** The elements a scope owns: its subtree, without the contents of hosts nested in it (their own scopes). */
function ownedElements(elements: readonly SourceElement[], scopeElement: SourceElement | undefined): SourceElement[] {
  const owned: SourceElement[] = [];
  const stack = [...elements].reverse();
  while (stack.length > 0) {
    const element = stack.pop()!;
    owned.push(element);
    if (element !== scopeElement && isHost(element) && scopeElement !== undefined) continue;
    for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i]);
  }
  return owned;
}

interface Instance {
  hostId: string | undefined;
  declarations: CompositionVariable[];
  values: Record<string, unknown>;
  /** The instance has its own table in the page (runtime/variables.ts); else it reads its parent's. */
  ownTable: boolean;
  parent: Instance | undefined;
}

export interface VariablesInput {
  entry: SourceFile;
  rootElement: SourceElement | undefined;
  scopes: readonly Scope[];
  /** A render's --variables: merged over the top-level composition's defaults. */
  overrides: Readonly<Record<string, unknown>> | undefined;
}

export interface VariablesResult {
  declarations: CompositionVariable[];
  values: VariableValues;
  bindings: VariableBinding[];
}

/** Reads every declaration, instance value and binding of the compiled composition. */
export function analyzeVariables(sink: DiagnosticSink, input: VariablesInput): VariablesResult {
  const { entry, rootElement, scopes } = input;
  const html = entry.elements.find(element => element.tagName === 'html');
  const rootDeclarations = declarationsOn(sink, entry, [html, rootElement]);
  const top: Instance = { hostId: undefined, declarations: rootDeclarations, values: { ...defaultsOf(rootDeclarations), ...input.overrides }, ownTable: true, parent: undefined };
  const instances = new Map<string, Instance>();
  const instanceOf = (scope: Scope): Instance => (scope.host ? instances.get(scope.host.id) ?? top : top);

  // Scopes are created parent first, so a host's parent instance exists when the host is read.
  for (const scope of scopes) {
    const host = scope.host;
    if (!host || instances.has(host.id)) continue;
    const sub = scopes.find(candidate => candidate.host === host && candidate.file !== host.scope.file);
    const carriers = sub ? [sub.file.elements.find(element => element.tagName === 'html'), sub.element] : [host.element];
    const declarations = declarationsOn(sink, sub?.file ?? host.scope.file, carriers);
    const valuesAttr = host.element.attrs.get(INSTANCE_VALUES_ATTRIBUTE);
    const given = valuesAttr ? readInstanceValues(sink, host.scope.file, valuesAttr, declarations) : {};
    const ownTable = declarations.length > 0 || valuesAttr !== undefined;
    instances.set(host.id, { hostId: host.id, declarations, values: { ...defaultsOf(declarations), ...given }, ownTable, parent: instanceOf(host.scope) });
  }

  const bindings: VariableBinding[] = [];
  // A file included by two hosts binds in each instance: one binding each, one diagnostic (sortDiagnostics).
  const seen = new Set<string>();
  const attrKeys = new Map<SourceAttribute, number>();
  for (const scope of scopes) {
    let instance = instanceOf(scope);
    while (!instance.ownTable && instance.parent) instance = instance.parent;
    const elements = scope.host ? (scope.element ? [scope.element] : []) : entry.elements;
    for (const element of ownedElements(elements, scope.element)) {
      // The host element itself belongs to the scope around it.
      if (scope.host && element === scope.host.element && element !== scope.element) continue;
      for (const attribute of BINDING_ATTRIBUTES) {
        const attr = element.attrs.get(attribute);
        if (!attr) continue;
        if (!attrKeys.has(attr)) attrKeys.set(attr, attrKeys.size);
        const key = `${attrKeys.get(attr)}\0${instance.hostId ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        bindings.push(readBinding(sink, scope.file, attr, attribute, instance));
      }
    }
  }
  const tables: VariableValues['instances'] = {};
  for (const instance of instances.values()) if (instance.ownTable && instance.hostId) tables[instance.hostId] = instance.values;
  return { declarations: rootDeclarations, values: { root: top.values, instances: tables }, bindings };
}

function readBinding(sink: DiagnosticSink, file: SourceFile, attr: SourceAttribute, attribute: VariableBinding['attribute'], instance: Instance): VariableBinding {
  const id = attr.value.trim();
  const declaration = instance.declarations.find(variable => variable.id === id);
  if (!declaration && !(id in instance.values)) {
    const where = instance.hostId ? 'this sub-composition' : 'the composition';
    sink.atValue(file, attr, 'warning', 'unknown_variable_binding',
      `${attribute}="${id}" names no variable ${where} declares, so the element keeps what is written. Declare it in ${DECLARATION_ATTRIBUTE}.${didYouMean(nearestName(id, instance.declarations.map(variable => variable.id)))}`,
      { id });
  }
  return {
    file: file.path, range: file.lines.range(attr.valueStart, attr.valueEnd), attribute, id,
    hostId: instance.hostId, declaration, value: instance.values[id],
  };
}
