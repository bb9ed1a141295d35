// svg_measure_before_path_d: getTotalLength() on a <path> the markup gives no `d` returns 0 in Chrome, so a
// draw-on dash animation built from it draws nothing. An error when no script ever assigns that path's d; a
// warning when the only assignment is inside a function (a callback may run after the measure). Elements
// come from getElementById/querySelector bindings (scriptAst.ts); paths the script creates are not judged.
import type { AnyNode, Program } from 'acorn';
import type { LintFile, LintReporter } from '../context';
import { matchSimple } from '../selectorMatch';
import { enclosingFunctions, lookupBindings, memberName, memoByProgram, parseScript, programIndex, properties, propertyKey, stringValue } from '../scriptAst';

interface PathUse {
  variable: string;
  start: number;
  end: number;
  /** The innermost function around it, undefined at the top level. */
  scope: AnyNode | undefined;
  /** Every function around it, innermost last. */
  scopes: readonly AnyNode[];
}

interface PathFacts {
  bindings: Map<string, string>;
  measures: PathUse[];
  dAssignments: PathUse[];
}

const pathFacts = memoByProgram((program: Program): PathFacts => {
  const index = programIndex(program);
  const bindings = lookupBindings(index);
  const measures: PathUse[] = [];
  const dAssignments: PathUse[] = [];
  for (const node of index.calls) {
    if (node.callee.type !== 'MemberExpression') continue;
    const use = (variable: string): PathUse => {
      const scopes = enclosingFunctions(index, node);
      return { variable, start: node.callee.start, end: node.callee.end, scope: scopes.at(-1), scopes };
    };
    const method = memberName(node.callee);
    const receiver = node.callee.object;
    if (receiver.type === 'Identifier' && method === 'getTotalLength') measures.push(use(receiver.name));
    else if (receiver.type === 'Identifier' && method === 'setAttribute' && stringValue(node.arguments[0]) === 'd') dAssignments.push(use(receiver.name));
    else if ((method === 'set' || method === 'to' || method === 'fromTo') && node.arguments[0]?.type === 'Identifier') {
      // gsap.set(path, { attr: { d: … } }) writes d too.
      const writesD = node.arguments.slice(1).some(arg => arg.type === 'ObjectExpression' && properties(arg).some(p =>
        propertyKey(p) === 'attr' && p.value.type === 'ObjectExpression' && properties(p.value).some(inner => propertyKey(inner) === 'd')));
      if (writesD) dAssignments.push(use(node.arguments[0].name));
    }
  }
  return { bindings, measures, dAssignments };
});

export function lintSvgMeasure(report: LintReporter, lint: LintFile): void {
  if (!lint.scripts.some(script => script.code.includes('getTotalLength'))) return;
  if (lint.styles.some(style => style.rules.some(rule => rule.declarations.some(d => d.property === 'd' && /^path\(/.test(d.value.trim()))))) return;
  const reported = new Set<string>();
  for (const script of lint.scripts) {
    if (!script.code.includes('getTotalLength')) continue;
    const { program } = parseScript(lint, script);
    if (!program) continue;
    const { bindings, measures, dAssignments } = pathFacts(program);
    for (const measure of measures) {
      const selector = bindings.get(measure.variable);
      const elements = selector ? matchSimple(selector, lint.elements) : undefined;
      if (!selector || !elements || elements.length === 0 || reported.has(selector)) continue;
      if (!elements.every(element => element.tagName === 'path' && !element.attrs.has('d'))) continue;
      const assignments = dAssignments.filter(a => a.variable === measure.variable);
      if (assignments.some(a => a.start < measure.start && (a.scope === undefined || measure.scopes.includes(a.scope)))) continue;
      reported.add(selector);
      const onlyInFunction = assignments.length > 0;
      report.atOffsets(script.offset + measure.start, script.offset + measure.end, 'svg_measure_before_path_d',
        onlyInFunction
          ? `getTotalLength() is called on "${selector}", whose \`d\` is only assigned inside a function body. If the measure runs before that function (e.g. the function is a timeline callback), the length is 0 and the dash animation is dead.`
          : `getTotalLength() is called on "${selector}", but the path has no static \`d\` attribute and no d assignment exists anywhere, so getTotalLength() returns 0 in Chrome, silently killing dash animations.`,
        'Assign the path\'s `d` synchronously at build time (top level, before measuring), or author a static d attribute in the HTML.',
        { selector }, onlyInFunction ? 'warning' : 'error');
    }
  }
}
