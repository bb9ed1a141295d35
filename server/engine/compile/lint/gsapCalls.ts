// GSAP tween calls found in a script without running it: `tl.to(target, vars, position)` (and from,
// fromTo, set, chained or not) on a variable assigned `gsap.timeline(...)`, and `gsap.to(...)` outside any
// timeline. Each call carries where its target is written and, for timeline tweens, the window
// [start, end) the timeline places it in (GSAP's default position is the timeline's end so far).
// Read on comment-blanked code; a position GSAP resolves at run time (a label, a variable) stops the
// window reckoning for that timeline rather than guessing.
import { memoByText } from '../textMemo';

export type GsapMethod = 'to' | 'from' | 'fromTo' | 'set';

export interface GsapVar {
  key: string;
  value: string;
  keyStart: number;
}

export interface GsapCall {
  method: GsapMethod;
  /** `tl.to(...)` on a timeline (true) or `gsap.to(...)` (false). */
  onTimeline: boolean;
  /** The selector when the target is a string literal, else the target expression as written. */
  target: string;
  targetIsSelector: boolean;
  /** Offsets (in the scanned code) of the target: inside the quotes for a selector. */
  targetStart: number;
  targetEnd: number;
  /** Offsets of the call (its receiver, or the "." of a chained call), the method name (`to`), the vars argument's end, and the closing parenthesis + 1. */
  callStart: number;
  methodStart: number;
  varsEnd: number | undefined;
  end: number;
  /** Offset just after the "(" of the call. */
  argsStart: number;
  /** The vars of the tween (the "to" vars of a fromTo). */
  vars: GsapVar[];
  fromVars: GsapVar[];
  /** Animated properties: vars keys that are not tween settings (the from vars' too for fromTo). */
  properties: string[];
  /** Window on its timeline, seconds; undefined when it cannot be known statically. */
  start: number | undefined;
  finish: number | undefined;
  overwriteAuto: boolean;
  raw: string;
}

/** Keys of a vars object that configure the tween rather than animate a property. */
const TWEEN_SETTINGS = new Set([
  'duration', 'ease', 'delay', 'repeat', 'repeatDelay', 'yoyo', 'yoyoEase', 'stagger', 'overwrite', 'immediateRender',
  'paused', 'reversed', 'id', 'lazy', 'inherit', 'runBackwards', 'startAt', 'keyframes', 'callbackScope', 'data',
  'onStart', 'onStartParams', 'onUpdate', 'onUpdateParams', 'onComplete', 'onCompleteParams', 'onRepeat',
  'onRepeatParams', 'onReverseComplete', 'onReverseCompleteParams', 'onInterrupt', 'onInterruptParams', 'autoRound',
]);

/** GSAP's own default tween duration. */
const GSAP_DEFAULT_DURATION_S = 0.5;

const TIMELINE_CREATION = /(?:\b(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*=\s*gsap\s*\.\s*timeline\s*\(/g;
const CALL = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*\.\s*(to|from|fromTo|set)\s*\(/g;
const CHAINED_CALL = /^\s*\.\s*(to|from|fromTo|set)\s*\(/;

/** Index of the bracket closing the one at `open`, skipping strings and template literals; -1 when unclosed. */
export function matchingBracket(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipQuoted(code, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipQuoted(code: string, i: number): number {
  const quote = code[i];
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === '\\') j++;
    else if (code[j] === quote) return j;
    else if (quote === '`' && code[j] === '$' && code[j + 1] === '{') {
      const close = matchingBracket(code, j + 1);
      if (close < 0) return code.length;
      j = close;
    }
  }
  return code.length;
}

/** Top-level comma-separated pieces of code[from, to) as [start, end) offsets (whitespace trimmed). */
export function splitTopLevel(code: string, from: number, to: number): [number, number][] {
  const pieces: [number, number][] = [];
  let depth = 0;
  let pieceStart = from;
  const push = (end: number) => {
    let start = pieceStart;
    while (start < end && /\s/.test(code[start])) start++;
    let stop = end;
    while (stop > start && /\s/.test(code[stop - 1])) stop--;
    if (stop > start) pieces.push([start, stop]);
  };
  for (let i = from; i < to; i++) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || ch === '`') i = skipQuoted(code, i);
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      push(i);
      pieceStart = i + 1;
    }
  }
  push(to);
  return pieces;
}

function readVars(code: string, start: number, end: number): GsapVar[] {
  if (code[start] !== '{') return [];
  const vars: GsapVar[] = [];
  for (const [from, to] of splitTopLevel(code, start + 1, end - 1)) {
    const match = /^(?:(["'])([^"']*)\1|([A-Za-z_$][\w$]*))\s*(?::\s*)?/.exec(code.slice(from, to));
    if (!match) continue;
    const key = match[2] ?? match[3];
    const value = match[0].includes(':') ? code.slice(from + match[0].length, to).trim() : key;
    vars.push({ key, value, keyStart: from + (match[1] ? 1 : 0) });
  }
  return vars;
}

function numberOf(vars: readonly GsapVar[], key: string): number | undefined {
  const value = vars.find(v => v.key === key)?.value;
  if (value === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return undefined;
  return Number(value);
}

interface TimelineClock {
  defaultDuration: number;
  /** Unknown after a position that depends on run time. */
  end: number | undefined;
  previousStart: number | undefined;
  previousEnd: number | undefined;
}

function placeOnTimeline(clock: TimelineClock, position: string | undefined): number | undefined {
  if (position === undefined) return clock.end;
  const text = position.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return Number(text);
  const quoted = /^(["'`])(.*)\1$/.exec(text)?.[2]?.trim();
  if (quoted === undefined) return undefined;
  const relative = /^(<|>)?\s*(?:([+-])=\s*(\d+\.?\d*|\.\d+))?$/.exec(quoted);
  if (!relative || (!relative[1] && !relative[2])) return undefined;
  const base = relative[1] === '<' ? clock.previousStart : relative[1] === '>' ? clock.previousEnd : clock.end;
  if (base === undefined) return undefined;
  return base + (relative[2] ? (relative[2] === '-' ? -1 : 1) * Number(relative[3]) : 0);
}

/** Every GSAP tween call in `code` (comment-blanked), in source order; a script unchanged since the last compile is not rescanned. */
export const scanGsapCalls: (code: string) => readonly GsapCall[] = memoByText(scanGsapCallsOnce);

function scanGsapCallsOnce(code: string): GsapCall[] {
  if (!/gsap/.test(code)) return [];
  const clocks = new Map<string, TimelineClock>();
  for (const match of code.matchAll(TIMELINE_CREATION)) {
    const open = match.index + match[0].length - 1;
    const close = matchingBracket(code, open);
    const options = close > open ? readVars(code, open + 1, close) : [];
    const defaults = options.find(v => v.key === 'defaults');
    const defaultsStart = defaults ? code.indexOf('{', defaults.keyStart) : -1;
    const defaultVars = defaultsStart >= 0 ? readVars(code, defaultsStart, matchingBracket(code, defaultsStart) + 1) : [];
    clocks.set(match[1], { defaultDuration: numberOf(defaultVars, 'duration') ?? GSAP_DEFAULT_DURATION_S, end: 0, previousStart: 0, previousEnd: 0 });
  }
  // `const cards = root.querySelectorAll(".card")` or `const cards = ".card"`: a tween on `cards` targets ".card".
  const elementVariables = new Map<string, string>();
  for (const match of code.matchAll(ELEMENT_VARIABLE)) {
    const lookup = selectorOf(match[2]);
    if (lookup) elementVariables.set(match[1], lookup.selector);
  }
  const calls: GsapCall[] = [];
  for (const match of code.matchAll(CALL)) {
    const receiver = match[1];
    const clock = clocks.get(receiver);
    if (!clock && receiver !== 'gsap') continue;
    let method = match[2] as GsapMethod;
    let methodStart = match.index + match[0].lastIndexOf(method);
    let open = match.index + match[0].length - 1;
    let callStart = match.index;
    for (;;) {
      const close = matchingBracket(code, open);
      if (close < 0) break;
      const call = readCall(code, method, callStart, methodStart, open, close, clock, elementVariables);
      if (call) calls.push(call);
      const chained = CHAINED_CALL.exec(code.slice(close + 1, close + 200));
      if (!chained) break;
      method = chained[1] as GsapMethod;
      methodStart = close + 1 + chained[0].lastIndexOf(method);
      callStart = close + 1 + chained[0].indexOf('.');
      open = close + chained[0].length;
    }
  }
  return calls.sort((a, b) => a.methodStart - b.methodStart);
}

/** A quoted string without interpolation: group 1 its quote, group 2 its text. */
const STRING_LITERAL = /^(["'])((?:(?!\1)[^\\\n])*)\1$|^(`)([^`$\\]*)`$/;
/** `x.querySelector("sel")`, `querySelectorAll`, `getElementById("id")`: group 1 the quote, 2 the text, 3 the method. */
const LOOKUP = /^(?:[\w$.]+\.)?(?:querySelector(?:All)?|(getElementById))\(\s*(["'`])((?:(?!\2)[^\\\n$])*)\2\s*\)$/;
/** The selector a target expression names, and where its text is inside the expression. */
function selectorOf(expression: string): { selector: string; textStart: number; textLength: number } | undefined {
  const plain = STRING_LITERAL.exec(expression);
  if (plain) {
    const text = plain[2] ?? plain[4];
    return { selector: text, textStart: 1, textLength: text.length };
  }
  const lookup = LOOKUP.exec(expression);
  if (!lookup) return undefined;
  const text = lookup[3];
  return { selector: lookup[1] ? `#${text}` : text, textStart: expression.lastIndexOf(lookup[2], expression.lastIndexOf(lookup[2]) - 1) + 1, textLength: text.length };
}

const ELEMENT_VARIABLE = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*((?:[\w$.]+\.)?(?:querySelector(?:All)?|getElementById)\(\s*(["'`])(?:(?!\3)[^\\\n$])*\3\s*\)|(["'])(?:(?!\4)[^\\\n])*\4(?=\s*[;,\n]))/g;

function readCall(code: string, method: GsapMethod, callStart: number, methodStart: number, open: number, close: number, clock: TimelineClock | undefined, elementVariables: ReadonlyMap<string, string>): GsapCall | undefined {
  const args = splitTopLevel(code, open + 1, close);
  if (args.length === 0) return undefined;
  const [targetStart, targetEnd] = args[0];
  const targetText = code.slice(targetStart, targetEnd);
  // A string selector, or one looked up in place (`root.querySelector(".card")`), or a variable holding such a lookup: the same target.
  const literal = selectorOf(targetText);
  const variable = literal ? undefined : elementVariables.get(targetText);
  const selector = literal?.selector ?? variable;
  const selectorStart = literal ? targetStart + literal.textStart : targetStart;
  const varsIndex = method === 'fromTo' ? 2 : 1;
  const vars = args[varsIndex] ? readVars(code, args[varsIndex][0], args[varsIndex][1]) : [];
  const fromVars = method === 'fromTo' && args[1] ? readVars(code, args[1][0], args[1][1]) : [];
  const positionArg = args[varsIndex + 1];
  const keys = [...new Set([...fromVars, ...vars].map(v => v.key).filter(key => !TWEEN_SETTINGS.has(key)))];
  let start: number | undefined;
  let finish: number | undefined;
  if (clock) {
    const placed = placeOnTimeline(clock, positionArg && code.slice(positionArg[0], positionArg[1]));
    const repeat = numberOf(vars, 'repeat') ?? 0;
    const duration = method === 'set' ? 0 : (numberOf(vars, 'duration') ?? clock.defaultDuration);
    if (placed !== undefined) {
      start = placed + (numberOf(vars, 'delay') ?? 0);
      finish = repeat < 0 ? Infinity : start + duration * (repeat + 1);
      clock.previousStart = start;
      clock.previousEnd = finish;
      clock.end = clock.end === undefined ? undefined : Math.max(clock.end, finish);
    } else {
      clock.end = clock.previousStart = clock.previousEnd = undefined;
    }
  }
  const overwrite = vars.find(v => v.key === 'overwrite')?.value.replace(/["'`]/g, '');
  return {
    method, onTimeline: clock !== undefined,
    target: selector ?? targetText, targetIsSelector: selector !== undefined,
    targetStart: selectorStart, targetEnd: literal ? selectorStart + literal.textLength : targetEnd,
    callStart, methodStart, varsEnd: args[varsIndex]?.[1], end: close + 1, argsStart: open + 1, vars, fromVars, properties: keys, start, finish,
    overwriteAuto: overwrite === 'auto', raw: code.slice(methodStart, close + 1),
  };
}
