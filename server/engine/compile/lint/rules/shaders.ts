// shader_unbounded_cosine_pow: `pow(1.0 - dot(n, v), k)` in a GLSL shader gets a negative base whenever the
// cosine passes 1 (GPU rounding does it), and pow of a negative base is undefined: black speckles spread
// through glow and transmission passes. Shaders are found in <script type="x-shader/…"> and in the string
// literals of inline scripts that hold a `void main(`; the GLSL expression is read with acorn (its
// expression grammar is the same for calls and arithmetic). The fix bounds the cosine on both sides.
import { parseExpressionAt, type AnyNode, type CallExpression, type Expression, type Program, type SpreadElement } from 'acorn';
import { innerText } from '../../parseHtml';
import type { LintFile, LintReporter } from '../context';
import { memoByProgram, parseScript, programText, walk } from '../scriptAst';
import { memoByText } from '../../textMemo';

const GLSL_TYPE = /^(?:x-shader\/x-(?:fragment|vertex)|text\/glsl)$/i;

interface UnsafePow {
  /** The pow(...) call, and the cosine expression to bound with its replacement. */
  start: number;
  end: number;
  cosineStart: number;
  cosineEnd: number;
  bounded: string;
}

function blankGlslComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*/g, comment => comment.replace(/[^\n]/g, ' '));
}

function isNumber(node: Expression | SpreadElement | undefined, value: number): boolean {
  return node?.type === 'Literal' && node.value === value;
}

/** The call when `node` is `name(...)` (a plain function call, as GLSL writes them). */
function callTo(node: AnyNode | undefined, name: string): CallExpression | undefined {
  return node?.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name ? node : undefined;
}

/** `dot(a, b)` or `max(dot(a, b), 0.0)` (bounded below only): the dot call, else undefined. */
function unboundedDot(node: AnyNode): CallExpression | undefined {
  const dot = callTo(node, 'dot');
  if (dot) return dot.arguments.length === 2 ? dot : undefined;
  const max = callTo(node, 'max');
  if (max?.arguments.length !== 2) return undefined;
  const [a, b] = max.arguments;
  if (a.type === 'SpreadElement' || b.type === 'SpreadElement') return undefined;
  return (isNumber(b, 0) ? callTo(a, 'dot') : undefined) ?? (isNumber(a, 0) ? callTo(b, 'dot') : undefined);
}

/** Unsafe pow calls in GLSL source, offsets into it. */
const unsafePows = memoByText((source: string): UnsafePow[] => {
  const glsl = blankGlslComments(source);
  const found: UnsafePow[] = [];
  for (const match of glsl.matchAll(/\bpow\s*\(/g)) {
    let call: AnyNode;
    try {
      call = parseExpressionAt(glsl, match.index, { ecmaVersion: 'latest' }) as AnyNode;
    } catch {
      continue;
    }
    if (call.type !== 'CallExpression' || call.start !== match.index || call.arguments.length !== 2) continue;
    const base = call.arguments[0];
    if (base.type !== 'BinaryExpression' || base.operator !== '-' || base.left.type === 'PrivateIdentifier' || !isNumber(base.left, 1)) continue;
    const dot = unboundedDot(base.right);
    if (!dot) continue;
    found.push({ start: call.start, end: call.end, cosineStart: base.right.start, cosineEnd: base.right.end, bounded: `clamp(${glsl.slice(dot.start, dot.end)}, 0.0, 1.0)` });
  }
  return found;
});

/** String literals of a script that hold a shader, where their text is the literal's raw text (no escapes), so offsets map. */
const shaderLiterals = memoByProgram((program: Program): { start: number; text: string }[] => {
  const text = programText(program);
  const literals: { start: number; text: string }[] = [];
  walk(program, node => {
    let value: string | undefined;
    if (node.type === 'Literal' && typeof node.value === 'string') value = node.value;
    else if (node.type === 'TemplateLiteral' && node.expressions.length === 0) value = node.quasis[0]?.value.cooked ?? undefined;
    if (value === undefined || !/\bvoid\s+main\s*\(/.test(value) || !value.includes('pow')) return;
    if (text.slice(node.start + 1, node.end - 1) === value) literals.push({ start: node.start + 1, text: value });
  });
  return literals;
});

export function lintShaders(report: LintReporter, lint: LintFile): void {
  const sources: { offset: number; text: string }[] = [];
  for (const element of lint.elements) {
    if (element.tagName === 'script' && !element.attrs.has('src') && GLSL_TYPE.test((element.attrs.get('type')?.value ?? '').trim())) sources.push(innerText(lint.file, element));
  }
  for (const script of lint.scripts) {
    if (!/void\s+main/.test(script.code)) continue;
    const { program } = parseScript(lint, script);
    if (program) for (const literal of shaderLiterals(program)) sources.push({ offset: script.offset + literal.start, text: literal.text });
  }
  for (const { offset, text } of sources) {
    for (const pow of unsafePows(text)) {
      report.atOffsets(offset + pow.start, offset + pow.end, 'shader_unbounded_cosine_pow',
        'Shader pow(1 - dot(...), ...) can receive a negative base when the cosine exceeds 1, including through GPU rounding. Undefined GLSL results can spread through glow or transmission textures as black artifacts.',
        'Bound the cosine on both sides: pow(1.0 - clamp(dot(normal, view), 0.0, 1.0), exponent). A lower-only max(dot(...), 0.0) does not bound the upper end.',
        { replace: { range: report.range(offset + pow.cosineStart, offset + pow.cosineEnd), text: pow.bounded } });
    }
  }
}
