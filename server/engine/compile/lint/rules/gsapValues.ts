// GSAP rules about the values a tween reads when it starts, which each render worker resolves on its own:
// function-valued vars that measure the page or misuse their (index, target) parameters, timeline
// callbacks that reach DOM measurement (callbacks re-fire on every seek), and colour values naming a CSS
// variable nothing defines. Read from the script's syntax tree (scriptAst.ts), memoised per script text.
import type { AnyNode, Node, Program } from 'acorn';
import type { LintFile, LintReporter, LintScript } from '../context';
import { isFunctionNode, memberName, memoByProgram, parseScript, programIndex, programText, properties, propertyKey, scriptText, stringValue, walk, type TweenCallNode } from '../scriptAst';

/** Geometry that depends on the transforms GSAP itself writes (so on the worker's own seek order). */
const TRANSFORM_SENSITIVE_READ = /\.getBoundingClientRect\s*\(|\bgetComputedStyle\s*\(|\bgsap\.getProperty\s*\(/;
/** Layout reads that transforms do not change (deterministic while the layout itself does not animate). */
const TRANSFORM_INVARIANT_READ = /\.(?:getTotalLength|getBBox)\s*\(|\.(?:offsetWidth|offsetHeight|clientWidth|clientHeight)\b/;
const DOM_MEASUREMENT = /\.(?:getBoundingClientRect|getTotalLength|getBBox)\s*\(|\bgetComputedStyle\s*\(|\.(?:offsetWidth|offsetHeight|clientWidth|clientHeight)\b/;
/** Methods a number has: `(i) => i.toFixed(2)` is fine. */
const NUMBER_METHODS = new Set(['toFixed', 'toString', 'toPrecision', 'toExponential', 'toLocaleString', 'valueOf']);
const CALLBACK_KEYS = /^on(?:Start|Update|Complete|Repeat|ReverseComplete|Interrupt|Overwrite)$/;
/** Vars that configure the tween (a function there is a callback, an ease or a stagger, not a value read at init). */
const NOT_VALUES = new Set(['duration', 'ease', 'delay', 'stagger', 'yoyo', 'repeat', 'repeatDelay', 'snap', 'overwrite', 'immediateRender', 'yoyoEase', 'callbackScope']);

interface Finding {
  code: 'gsap_function_value_hazard' | 'gsap_callback_dom_measurement';
  start: number;
  end: number;
  message: string;
  hint: string;
  /** Only where the rule's severity depends on the finding. */
  severity?: 'error' | 'warning';
}

export function lintGsapValues(report: LintReporter, lint: LintFile): void {
  const definedVariables = cssVariablesDefined(lint);
  for (const script of lint.scripts) {
    if (!/gsap/.test(script.code)) continue;
    const { program } = parseScript(lint, script);
    if (!program) continue;
    const text = scriptText(lint, script);
    const findings = /gsap\s*\.\s*timeline/.test(script.code) ? [...functionValueHazards(program), ...callbackMeasurements(program)] : [];
    for (const found of findings) report.atOffsets(script.offset + found.start, script.offset + found.end, found.code, found.message, found.hint, undefined, found.severity);
    lintUndefinedCssVariables(report, script, program, text, definedVariables);
  }
}

function targetLabel(call: TweenCallNode, text: string): string {
  const target = call.call.arguments[0];
  return target ? stringValue(target) ?? text.slice(target.start, target.end) : '';
}

const functionValueHazards = memoByProgram((program: Program): Finding[] => [...scanFunctionValues(program)]);

function* scanFunctionValues(program: Program): Generator<Finding> {
  const text = programText(program);
  for (const call of programIndex(program).tweens) {
    if (!call.onTimeline) continue;
    for (const property of [...properties(call.vars), ...properties(call.fromVars)]) {
      const fn = property.value;
      const key = propertyKey(property);
      if (!isFunctionNode(fn) || !key || NOT_VALUES.has(key) || /^on[A-Z]/.test(key)) continue;
      const body = text.slice(fn.body.start, fn.body.end);
      const sensitive = TRANSFORM_SENSITIVE_READ.test(body);
      const invariant = TRANSFORM_INVARIANT_READ.test(body);
      const firstParam = fn.params[0]?.type === 'Identifier' ? fn.params[0].name : undefined;
      const badMember = firstParam ? memberOnParameter(fn.body, firstParam) : undefined;
      if (!sensitive && !invariant && !badMember) continue;
      const reason = sensitive
        ? 'reads transform-sensitive geometry, so its result depends on the worker\'s own seek order'
        : badMember
          ? `accesses .${badMember} on its first parameter. GSAP function values receive (index, target, targets), so the first parameter is a NUMBER and this throws at tween init`
          : 'measures layout at tween init, which is deterministic across cold render workers only while the measured layout never animates';
      yield {
        code: 'gsap_function_value_hazard', start: property.key.start, end: property.key.end, severity: sensitive || badMember ? 'error' : 'warning',
        message: `Function-valued tween var for ${key} on "${targetLabel(call, text)}" ${reason}. Each render worker initializes tweens independently.`,
        hint: badMember
          ? 'Use the SECOND parameter for the element: (index, target) => ..., or index arithmetic like (i) => i * 20.'
          : 'Compute the value once at build time (before the timeline is registered) and pass a constant, or derive it from fixed composition coordinates.',
      };
    }
  }
}

/** The first `param.member` in `body` that is not a number method called on it. */
function memberOnParameter(body: Node, param: string): string | undefined {
  let found: string | undefined;
  walk(body, (node, ancestors) => {
    if (found || node.type !== 'MemberExpression' || node.computed || node.object.type !== 'Identifier' || node.object.name !== param) return;
    const name = memberName(node);
    const parent = ancestors.at(-1);
    if (!name || (parent?.type === 'CallExpression' && parent.callee === node && NUMBER_METHODS.has(name))) return;
    found = name;
  });
  return found;
}

const callbackMeasurements = memoByProgram((program: Program): Finding[] => {
  const text = programText(program);
  const index = programIndex(program);
  const timelines = index.timelines;
  // Named functions (declared, or a const bound to a function) whose body measures, directly or through another.
  const bodies = new Map<string, string>();
  for (const node of index.functions) if (node.type === 'FunctionDeclaration' && node.id) bodies.set(node.id.name, text.slice(node.body.start, node.body.end));
  for (const node of index.declarators) if (node.id.type === 'Identifier' && isFunctionNode(node.init)) bodies.set(node.id.name, text.slice(node.init.body.start, node.init.body.end));
  const measuring = new Set([...bodies].filter(([, body]) => DOM_MEASUREMENT.test(body)).map(([name]) => name));
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, body] of bodies) {
      if (!measuring.has(name) && [...measuring].some(m => new RegExp(`\\b${m.replace(/\$/g, '\\$')}\\s*\\(`).test(body))) {
        measuring.add(name);
        grew = true;
      }
    }
  }
  const reaches = (expression: AnyNode): boolean => {
    if (expression.type === 'Identifier') return measuring.has(expression.name);
    if (!isFunctionNode(expression)) return false;
    const body = text.slice(expression.body.start, expression.body.end);
    return DOM_MEASUREMENT.test(body) || [...measuring].some(m => new RegExp(`(?<![\\w$])${m.replace(/\$/g, '\\$')}(?![\\w$])`).test(body));
  };
  const findings: Finding[] = [];
  const report = (at: Node) => findings.push({
    code: 'gsap_callback_dom_measurement', start: at.start, end: at.end,
    message: 'Timeline callback reaches DOM measurement (getBoundingClientRect/getTotalLength/getComputedStyle/...). The renderer seeks with suppressEvents=false, so callbacks re-fire on every seek, and a cold render worker runs them against whatever DOM state its own non-linear seek order produced: measured geometry is seek-order-dependent, and values measured at build time (before the callback ran) are stale or zero.',
    hint: 'Do all measurement and DOM setup synchronously at build time, before registering the timeline, or derive geometry from fixed composition coordinates instead of measuring.',
  });
  const tweenVarObjects = new Set<AnyNode>();
  for (const call of index.tweens) for (const object of [call.vars, call.fromVars]) if (object) tweenVarObjects.add(object);
  for (const node of index.calls) {
    if (node.callee.type !== 'MemberExpression') continue;
    const method = memberName(node.callee);
    const receiver = node.callee.object;
    if (method === 'timeline' && receiver.type === 'Identifier' && receiver.name === 'gsap' && node.arguments[0]?.type === 'ObjectExpression') tweenVarObjects.add(node.arguments[0]);
    if (receiver.type !== 'Identifier' || !timelines.has(receiver.name)) continue;
    const callback = method === 'add' || method === 'call' ? node.arguments[0]
      : method === 'eventCallback' && /^on[A-Za-z]+$/.test(stringValue(node.arguments[0]) ?? '') ? node.arguments[1] : undefined;
    if (callback && callback.type !== 'SpreadElement' && reaches(callback)) report(callback.type === 'Identifier' ? callback : node.callee);
  }
  for (const object of tweenVarObjects) {
    if (object.type !== 'ObjectExpression') continue;
    for (const property of properties(object)) {
      if (CALLBACK_KEYS.test(propertyKey(property) ?? '') && reaches(property.value)) report(property.value.type === 'Identifier' ? property.value : property.key);
    }
  }
  return findings.sort((a, b) => a.start - b.start);
});

/** Custom properties a stylesheet or style attribute defines, and the composition variables (exposed as --id). */
function cssVariablesDefined(lint: LintFile): Set<string> {
  const defined = new Set<string>();
  for (const style of lint.styles) for (const rule of style.rules) for (const d of rule.declarations) if (d.property.startsWith('--')) defined.add(d.property);
  for (const element of lint.elements) {
    const style = element.attrs.get('style')?.value;
    if (style?.includes('--')) for (const match of style.matchAll(/(?:^|[;{])\s*(--[A-Za-z0-9_-]+)\s*:/g)) defined.add(match[1]);
    const declared = element.attrs.get('data-composition-variables')?.value;
    if (declared) for (const match of declared.matchAll(/"id"\s*:\s*"([^"]+)"/g)) defined.add(`--${match[1]}`);
  }
  return defined;
}

function isColorProperty(property: string): boolean {
  const name = property.toLowerCase();
  return !name.startsWith('--') && (name.endsWith('color') || name === 'fill' || name === 'stroke');
}

interface VariableUse {
  /** Offsets of `--name` inside the string. */
  start: number;
  end: number;
  variable: string;
  property: string;
  target: string;
}

const colorVariableUses = memoByProgram((program: Program): VariableUse[] => {
  const text = programText(program);
  const uses: VariableUse[] = [];
  for (const call of programIndex(program).tweens) {
    for (const property of [...properties(call.vars), ...properties(call.fromVars)]) {
      const key = propertyKey(property);
      const value = property.value;
      if (!key || !isColorProperty(key) || (value.type !== 'Literal' && value.type !== 'TemplateLiteral')) continue;
      const raw = text.slice(value.start, value.end);
      for (const match of raw.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)\s*(,)?/g)) {
        if (match[2]) continue;
        const start = value.start + match.index + match[0].indexOf('--');
        uses.push({ start, end: start + match[1].length, variable: match[1], property: key, target: targetLabel(call, text) });
      }
    }
  }
  return uses;
});

function lintUndefinedCssVariables(report: LintReporter, script: LintScript, program: Program, text: string, defined: ReadonlySet<string>): void {
  if (!text.includes('var(')) return;
  for (const use of colorVariableUses(program)) {
    if (defined.has(use.variable)) continue;
    report.atOffsets(script.offset + use.start, script.offset + use.end, 'gsap_undefined_css_variable',
      `GSAP ${use.property} on "${use.target}" uses ${use.variable}, but no static CSS or composition-variable declaration defines it. The computed color may become invalid or transparent.`,
      `Define ${use.variable} in applicable CSS, declare "${use.variable.slice(2)}" in data-composition-variables, or add a var() fallback such as var(${use.variable}, #fff).`);
  }
}
