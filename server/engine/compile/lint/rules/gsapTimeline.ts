// GSAP timeline rules read from the script's syntax tree: a timeline no registry entry points at, a
// registration made before an async build fills the timeline, a timeline method's return kept as if it
// were a tween, repeat counts that can reach -1 (infinite), repeatRefresh accumulating a relative value,
// a group selector sharing keyframes, motionPath without its plugin, fromTo calls on one target with no
// baseline, a hidden element a fromTo reveals only in its from-vars, and a full-frame overlay authored visible
// before its reveal. Each finding sits on the call, property, selector or element to change.
import type { AnyNode, Program } from 'acorn';
import type { EngineDiagnostic } from '../../../model';
import type { LintFile, LintReporter, LintScript } from '../context';
import type { SourceElement } from '../../parseHtml';
import { scanGsapCalls, type GsapCall } from '../gsapCalls';
import { scanDeclarations, subjectTokens, type CssDeclarationAt } from '../stylesheet';
import { isGsapTimelineCall, memberName, memoByProgram, parseScript, programIndex, properties, propertyKey, stringValue } from '../scriptAst';

/**
 * `reported`: what the compile stage said before lint ran. Where it already reported missing_timeline_registry
 * on this very timeline call (the file registers nothing), the same advice is not repeated under this code.
 */
export function lintGsapTimelines(report: LintReporter, lint: LintFile, reported: readonly EngineDiagnostic[]): void {
  const canInheritFromHost = lint.isSubComposition || /^\s*<template/i.test(lint.file.text);
  for (const script of lint.scripts) {
    const { program } = parseScript(lint, script);
    if (!canInheritFromHost) lintUnregisteredTimeline(report, lint, script, program, reported);
    lintRegisteredBeforeAsyncBuild(report, script);
    if (program) lintTimelineReturnAsTween(report, script, program);
    lintRepeatFloor(report, script);
    if (program) lintRepeatRefresh(report, script, program);
    lintGroupSelectorKeyframes(report, script);
    lintRepeatedFromTo(report, script, scanGsapCalls(script.code));
  }
  lintColdSeekReveal(report, lint);
  lintOverlayStartsVisible(report, lint);
  if (!canInheritFromHost) lintMissingMotionPathPlugin(report, lint);
}

const REGISTRY_ASSIGN = /window\.__timelines(?:\[\s*(?:["'][^"']+["']|[A-Za-z_$][\w$.]*)\s*\]|\.\s*[A-Za-z_$][\w$]*)\s*=\s*[A-Za-z_$][\w$]*/i;
const REGISTRY_OBJECT_LITERAL = /window\.__timelines\s*=\s*\{\s*(?:["'][^"']+["']|[A-Za-z_$][\w$]*)\s*:/i;

interface TimelineCreation {
  /** `gsap.timeline` (the callee). */
  start: number;
  end: number;
  /** The name it is declared as. */
  name: string | undefined;
}

const firstTimelineCreation = memoByProgram((program: Program): TimelineCreation | undefined => {
  const index = programIndex(program);
  const node = index.calls.find(call => isGsapTimelineCall(call));
  if (!node) return undefined;
  const parent = index.parents.get(node);
  return { start: node.callee.start, end: node.callee.end, name: parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : undefined };
});

/** A script that builds a timeline and never registers it: the runtime finds timelines only through window.__timelines. */
function lintUnregisteredTimeline(report: LintReporter, lint: LintFile, script: LintScript, program: Program | undefined, reported: readonly EngineDiagnostic[]): void {
  if (!/gsap\s*\.\s*timeline/.test(script.code) || REGISTRY_ASSIGN.test(script.code) || REGISTRY_OBJECT_LITERAL.test(script.code)) return;
  const creation = program ? firstTimelineCreation(program) : undefined;
  const fallback = /gsap\s*\.\s*timeline/.exec(script.code)!;
  const start = script.offset + (creation?.start ?? fallback.index);
  const end = script.offset + (creation?.end ?? fallback.index + fallback[0].length);
  const range = report.range(start, end);
  const sameRange = (d: EngineDiagnostic) => d.range.start.line === range.start.line && d.range.start.character === range.start.character;
  if (reported.some(d => d.code === 'missing_timeline_registry' && d.file === lint.file.path && sameRange(d))) return;
  // Another script of the page registering this very name registers it (top-level names are shared by classic scripts).
  const name = creation?.name;
  if (name && lint.scripts.some(other => other !== script && new RegExp(`window\\.__timelines(?:\\[[^\\]]+\\]|\\.[\\w$]+)\\s*=\\s*${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(other.code))) return;
  const compositionId = lint.root?.attrs.get('data-composition-id')?.value.trim();
  report.atOffsets(start, end, 'gsap_timeline_not_registered',
    'GSAP timeline is created but never registered in window.__timelines. The runtime discovers timelines from this registry: without registration, animations will not play during preview or render.',
    `Add \`window.__timelines = window.__timelines || {};\` and \`window.__timelines["${compositionId ?? 'root'}"] = tl;\` after creating the timeline (the key is the composition's data-composition-id).`);
}

/** `window.__timelines[id] = tl` before `document.fonts.ready.then(...)` adds the tweens: an empty timeline is nested once and stays empty. */
function lintRegisteredBeforeAsyncBuild(report: LintReporter, script: LintScript): void {
  const code = script.code;
  const registration = /window\s*\.\s*__timelines\s*\[[^\]]*\]\s*=(?!=)/.exec(code);
  const fontsReady = /document\s*\.\s*fonts\s*\.\s*ready/.exec(code);
  if (!registration || !fontsReady || registration.index >= fontsReady.index) return;
  if (!/\.(?:to|from|fromTo)\s*\(|buildEffect\s*\(/.test(code.slice(fontsReady.index))) return;
  const start = script.offset + registration.index;
  report.atOffsets(start, start + registration[0].replace(/\s*=$/, '').length, 'gsap_timeline_registered_before_async_build',
    'window.__timelines is assigned BEFORE the timeline is built inside document.fonts.ready. An empty timeline registered early gets nested empty when this composition is used as a sub-composition (the readiness gate treats "key present" as "ready" and never re-nests), so the animation renders blank.',
    'Move the `window.__timelines[id] = tl;` assignment to the END of the document.fonts.ready callback, after the tweens are added.');
}

const TIMELINE_BUILDERS = new Set(['to', 'from', 'fromTo', 'set', 'call', 'add']);
const TWEEN_SCOPED = new Set(['kill', 'revert', 'invalidate', 'pause', 'resume', 'restart', 'seek', 'progress', 'timeScale']);

interface CapturedReturn {
  start: number;
  end: number;
  /** The variable it is kept in, or undefined when pushed into an array. */
  boundName: string | undefined;
  method: string;
  timeline: string;
}

const capturedTimelineReturns = memoByProgram((program: Program): CapturedReturn[] => {
  const index = programIndex(program);
  const timelines = index.timelines;
  if (timelines.size === 0) return [];
  const treatedAsTween = new Set<string>();
  const captured: { node: AnyNode; boundName: string | undefined }[] = [];
  for (const node of index.calls) {
    if (node.callee.type !== 'MemberExpression') continue;
    const method = memberName(node.callee);
    if (method && TWEEN_SCOPED.has(method) && node.callee.object.type === 'Identifier') treatedAsTween.add(node.callee.object.name);
    if (method === 'push' && node.arguments[0]) captured.push({ node: node.arguments[0], boundName: undefined });
  }
  for (const node of index.declarators) if (node.id.type === 'Identifier' && node.init) captured.push({ node: node.init, boundName: node.id.name });
  const found: CapturedReturn[] = [];
  for (const { node, boundName } of captured) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.object.type !== 'Identifier') continue;
    const method = memberName(node.callee);
    const timeline = node.callee.object.name;
    if (!method || !TIMELINE_BUILDERS.has(method) || !timelines.has(timeline)) continue;
    if (boundName !== undefined && !treatedAsTween.has(boundName)) continue;
    found.push({ start: node.callee.start, end: node.callee.end, boundName, method, timeline });
  }
  return found;
});

function lintTimelineReturnAsTween(report: LintReporter, script: LintScript, program: Program): void {
  for (const found of capturedTimelineReturns(program)) {
    report.atOffsets(script.offset + found.start, script.offset + found.end, 'gsap_timeline_return_used_as_tween',
      `\`${found.boundName ?? 'push'}\` captures the return of \`.${found.method}()\` on timeline \`${found.timeline}\`, but a timeline's \`.to()\`/\`.from()\`/\`.set()\` returns THE TIMELINE ITSELF, not the tween it created: a tween-scoped call on it (\`.kill()\` above all) hits the whole composition, interrupting the timeline and detaching it from its parent. Only \`gsap.to()\` returns a tween.`,
      'To build a group of keyframes you can later discard, put them in a nested timeline (`const nested = gsap.timeline(); nested.to(...); tl.add(nested, 0);`), or create a single tween with `gsap.to(...)` and place it with `tl.add(tween, at)`.');
  }
}

/** `repeat: Math.floor(total / cycle) - 1` is -1 (infinite) when the composition is shorter than one cycle. */
function lintRepeatFloor(report: LintReporter, script: LintScript): void {
  for (const match of script.code.matchAll(/repeat\s*:\s*(Math\.floor\s*\([^)]+\)\s*-\s*1)(?![\d.])/g)) {
    const start = script.offset + match.index + match[0].length - match[1].length;
    const end = start + match[1].length;
    report.atOffsets(start, end, 'gsap_repeat_floor_unclamped',
      'GSAP repeat calculation can evaluate to -1 when the composition is shorter than one cycle, which GSAP interprets as an infinite repeat.',
      'Clamp the finite repeat count at zero: `repeat: Math.max(0, Math.floor(totalDuration / cycleDuration) - 1)`.',
      { replace: { range: report.range(start, end), text: `Math.max(0, ${match[1]})` } });
  }
}

const repeatRefreshWithRelativeValue = memoByProgram((program: Program): { start: number; end: number }[] => {
  const found: { start: number; end: number }[] = [];
  for (const node of programIndex(program).objects) {
    const props = properties(node);
    const refresh = props.find(p => propertyKey(p) === 'repeatRefresh' && p.value.type === 'Literal' && p.value.value === true);
    if (refresh && props.some(p => /^[+-]=/.test(stringValue(p.value) ?? ''))) found.push({ start: refresh.start, end: refresh.end });
  }
  return found;
});

function lintRepeatRefresh(report: LintReporter, script: LintScript, program: Program): void {
  for (const { start, end } of repeatRefreshWithRelativeValue(program)) {
    report.atOffsets(script.offset + start, script.offset + end, 'gsap_repeat_refresh_relative_value',
      '`repeatRefresh: true` combined with a relative value ("+="/"-=") accumulates per repeat iteration. A cold render worker seeking non-linearly into iteration N never performed the earlier iterations\' accumulation, so its rendered position diverges from the sequential path.',
      'Remove `repeatRefresh: true`, or replace the relative value with absolute endpoints (e.g. a fromTo()) so each iteration resolves to the same state on every seek path.');
  }
}

function lintGroupSelectorKeyframes(report: LintReporter, script: LintScript): void {
  if (!script.code.includes('keyframes')) return;
  for (const match of script.code.matchAll(/\.(?:to|from|fromTo)\(\s*(["'])([^"']+,\s*[^"']+)\1\s*,\s*\{[^}]*keyframes/g)) {
    const start = script.offset + match.index + match[0].indexOf(match[1]) + 1;
    const count = match[2].split(',').length;
    report.atOffsets(start, start + match[2].length, 'gsap_group_selector_keyframes',
      `GSAP tween targets ${count} elements with shared keyframes ("${match[2]}"). Editing one element's keyframes in Studio will affect all ${count} elements: split into individual tweens for per-element keyframe control.`,
      'Replace the group selector with individual tl.to() calls per element, each with their own keyframes object.');
  }
}

/**
 * Two or more timeline fromTo() on one target sharing a "from" property, with no timeline set() before them:
 * GSAP applies each fromTo's from-values when it is authored, so the last one written is the state any seek
 * before the first tween shows. Fixed by `immediateRender: false` on every fromTo but the earliest placed.
 */
function lintRepeatedFromTo(report: LintReporter, script: LintScript, calls: readonly GsapCall[]): void {
  const groups = new Map<string, GsapCall[]>();
  for (const call of calls) {
    if (call.method !== 'fromTo' || !call.onTimeline || !call.targetIsSelector || call.start === undefined) continue;
    if (call.vars.some(v => v.key === 'immediateRender' && v.value === 'false')) continue;
    groups.set(call.target, [...(groups.get(call.target) ?? []), call]);
  }
  for (const [selector, group] of groups) {
    if (group.length < 2) continue;
    const fromCounts = new Map<string, number>();
    for (const call of group) for (const v of call.fromVars) fromCounts.set(v.key, (fromCounts.get(v.key) ?? 0) + 1);
    if (![...fromCounts.values()].some(count => count >= 2)) continue;
    const earliest = group.reduce((a, b) => (b.start! < a.start! ? b : a));
    const hasBaseline = calls.some(c => c.method === 'set' && c.onTimeline && c.target === selector && c.methodStart < group[0].methodStart && c.start !== undefined && c.start <= earliest.start!);
    if (hasBaseline) continue;
    const last = group.at(-1)!;
    const edits = group.filter(call => call !== earliest).map(call => addToVars(report, script, call, 'immediateRender: false')).filter(edit => edit !== undefined);
    report.atOffsets(script.offset + last.targetStart, script.offset + last.targetEnd, 'gsap_repeated_fromto_without_baseline',
      `${group.length} tl.fromTo() calls target "${selector}" with no stable baseline. The last-authored fromTo "from" values become the element's resting state for any seek before the first tween actually runs, because GSAP applies fromTo from-values at authoring time (immediateRender), not at tween position.`,
      `Add \`immediateRender: false\` to every fromTo except the earliest-positioned one (at ${earliest.start}s), so pre-first-tween seeks keep its "from" values.`,
      { edits });
  }
}

/** Whether a script element runs before (or is) the one using motionPath: blocking scripts in order; async ones never count. */
function lintMissingMotionPathPlugin(report: LintReporter, lint: LintFile): void {
  let use: { script: LintScript; start: number; end: number } | undefined;
  for (const script of lint.scripts) {
    if (!script.code.includes('motionPath')) continue;
    const { program } = parseScript(lint, script);
    if (!program) continue;
    for (const call of programIndex(program).tweens) {
      const key = [...properties(call.vars), ...properties(call.fromVars)].find(p => propertyKey(p) === 'motionPath');
      if (key) {
        use = { script, start: key.key.start, end: key.key.end };
        break;
      }
    }
    if (use) break;
  }
  if (!use) return;
  const useIndex = use.start;
  for (const element of lint.elements) {
    if (element.tagName !== 'script') continue;
    const src = element.attrs.get('src')?.value;
    if (src !== undefined) {
      if (/MotionPathPlugin/i.test(src) && !element.attrs.has('async')) return;
      continue;
    }
    const script = lint.scripts.find(s => s.element === element);
    if (!script) continue;
    const same = script === use.script;
    const imported = /\bimport\s+[^;]*\bMotionPathPlugin\b/.test(script.code) || /\bimport\s+(?:[\s\S]*?\sfrom\s*)?["'][^"']*\bMotionPathPlugin\b[^"']*["']/.test(script.code);
    const defined = /\b(?:const|let|var|class|function)\s+MotionPathPlugin\b/.exec(script.code);
    const inlined = /\/\*\s*inlined:.*MotionPathPlugin/i.exec(lint.file.text.slice(script.offset, script.offset + script.code.length));
    if (imported || (defined && (!same || defined.index < useIndex)) || (inlined && (!same || inlined.index < useIndex))) return;
    if (same) break;
  }
  report.atOffsets(use.script.offset + use.start, use.script.offset + use.end, 'missing_gsap_plugin',
    'A GSAP tween uses motionPath, but MotionPathPlugin is not loaded. Core GSAP ignores this plugin-specific property, so the intended motion will not render.',
    'Load MotionPathPlugin before the animation script and register it with gsap.registerPlugin(MotionPathPlugin), or replace motionPath with core GSAP x/y tweens.');
}

/** An edit adding `entry` to the call's "to" vars object literal, after its last property; undefined when the vars are not a literal. */
function addToVars(report: LintReporter, script: LintScript, call: GsapCall, entry: string): { range: ReturnType<LintReporter['range']>; text: string } | undefined {
  if (call.varsEnd === undefined || script.code[call.varsEnd - 1] !== '}') return undefined;
  // Right after the last property (and its trailing comma, if written), before the space and "}".
  const before = script.code.slice(0, call.varsEnd - 1).trimEnd();
  const at = script.offset + before.length;
  const text = before.endsWith('{') ? ` ${entry}` : before.endsWith(',') ? ` ${entry},` : `, ${entry}`;
  return { range: report.range(at, at), text };
}

const OPACITY_ZERO = /^0(?:\.0+)?$/;

/** #id / .class an authored style hides with opacity 0 (a rule on that one token, or the element's style attribute), or a gsap.set outside any timeline. */
function hiddenTokens(lint: LintFile): Set<string> {
  const hidden = new Set<string>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      if (/^[#.][\w-]+$/.test(rule.selector) && rule.declarations.some(d => d.property === 'opacity' && OPACITY_ZERO.test(d.value.trim()))) hidden.add(rule.selector);
    }
  }
  for (const element of lint.elements) {
    const style = element.attrs.get('style')?.value ?? '';
    if (!/opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)/.test(style)) continue;
    const id = element.attrs.get('id')?.value.trim();
    if (id) hidden.add(`#${id}`);
    for (const name of (element.attrs.get('class')?.value ?? '').split(/\s+/).filter(Boolean)) hidden.add(`.${name}`);
  }
  for (const script of lint.scripts) {
    for (const call of scanGsapCalls(script.code)) {
      if (call.onTimeline || call.method !== 'set' || !call.targetIsSelector) continue;
      if (call.vars.some(v => (v.key === 'opacity' || v.key === 'autoAlpha') && OPACITY_ZERO.test(v.value))) for (const part of call.target.split(',')) hidden.add(part.trim());
    }
  }
  return hidden;
}

function hiddenState(vars: GsapCall['vars']): boolean {
  const value = (key: string) => vars.find(v => v.key === key)?.value.replace(/^["'`]|["'`]$/g, '').trim().toLowerCase();
  const zero = (text: string | undefined) => text !== undefined && text !== '' && Number(text) === 0;
  return zero(value('opacity')) || zero(value('autoAlpha')) || value('visibility') === 'hidden' || value('display') === 'none';
}

function visibleState(vars: GsapCall['vars']): boolean {
  const value = (key: string) => vars.find(v => v.key === key)?.value.replace(/^["'`]|["'`]$/g, '').trim().toLowerCase();
  const opacity = value('opacity') ?? value('autoAlpha');
  if (opacity !== undefined && opacity !== '') return Number.isFinite(Number(opacity)) ? Number(opacity) > 0 : false;
  const visibility = value('visibility');
  if (visibility === 'visible' || visibility === 'inherit') return true;
  const display = value('display');
  return display !== undefined && display !== 'none';
}

/**
 * A hidden element revealed only by a timeline fromTo's from-vars, its destination silent about opacity: a
 * worker seeking cold into the tween restores the authored hidden state, so the element stays invisible.
 */
function lintColdSeekReveal(report: LintReporter, lint: LintFile): void {
  let hidden: Set<string> | undefined;
  for (const script of lint.scripts) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    for (const call of scanGsapCalls(script.code)) {
      if (call.method !== 'fromTo' || !call.onTimeline || !call.targetIsSelector) continue;
      if (call.vars.some(v => v.key === 'opacity' || v.key === 'autoAlpha') || !visibleState(call.fromVars)) continue;
      hidden ??= hiddenTokens(lint);
      const key = /^[#.]/.test(call.target) ? call.target : `#${call.target}`;
      if (!hidden.has(key)) continue;
      const revealKey = call.fromVars.some(v => v.key === 'autoAlpha') ? 'autoAlpha' : 'opacity';
      const edit = addToVars(report, script, call, `${revealKey}: 1`);
      report.atOffsets(script.offset + call.targetStart, script.offset + call.targetEnd, 'gsap_cold_seek_hidden_fromto_missing_reveal',
        `"${call.target}" starts hidden, but its gsap.fromTo() makes it visible only in the from-vars and omits opacity/autoAlpha from the destination. Cold render workers restore the hidden authored state, so the encoded element can stay invisible even when sequential snapshots look correct.`,
        `Add \`opacity: 1\` (or \`autoAlpha: 1\`) to the destination vars for "${call.target}" so every seek path establishes the visible end state explicitly.`,
        edit ? { replace: edit } : undefined);
    }
  }
}

/** Seconds from 0 within which a tween counts as setting the first frame's state. */
const SCENE_START_EPSILON_S = 0.05;
const VISIBILITY_PROPS = new Set(['opacity', 'autoAlpha', 'visibility', 'display']);

/** The declarations of the rules naming each simple #id / .class in their selector list, in stylesheet order. */
function declarationsByToken(lint: LintFile): Map<string, CssDeclarationAt[]> {
  const byToken = new Map<string, CssDeclarationAt[]>();
  for (const sheet of lint.styles) {
    for (const rule of sheet.rules) {
      for (const part of rule.selector.split(',')) {
        const token = part.trim();
        if (!/^[#.][\w-]+$/.test(token)) continue;
        const list = byToken.get(token);
        if (list) list.push(...rule.declarations);
        else byToken.set(token, [...rule.declarations]);
      }
    }
  }
  return byToken;
}

/** The element's authored declarations: its style attribute first, then rules whose selector is one of its #id / .class. */
function authoredDeclarations(element: SourceElement, tokens: readonly string[], byToken: ReadonlyMap<string, readonly CssDeclarationAt[]>): CssDeclarationAt[] {
  const style = element.attrs.get('style');
  const declarations = style ? scanDeclarations(style.value, style.valueStart) : [];
  for (const token of tokens) declarations.push(...(byToken.get(token) ?? []));
  return declarations;
}

function coversFrameOpaquely(declarations: readonly CssDeclarationAt[]): boolean {
  const read = (property: string) => declarations.find(d => d.property === property)?.value.replace(/!important/i, '').trim().toLowerCase();
  const zero = (value: string | undefined) => value !== undefined && /^0(?:\.0+)?(?:px|%|vw|vh|rem|em)?$/.test(value);
  const position = read('position');
  if (position !== 'fixed' && position !== 'absolute') return false;
  if (!zero(read('inset')) && !(zero(read('top')) && zero(read('right')) && zero(read('bottom')) && zero(read('left')))) return false;
  const background = (read('background') ?? read('background-color'))?.replace(/\s+/g, '');
  return background !== undefined && background !== 'transparent' && background !== 'none' && !/(?:rgba?|hsla?)\([^)]*,0(?:\.0+)?\)$/.test(background);
}

function hiddenByStyle(declarations: readonly CssDeclarationAt[]): boolean {
  const read = (property: string) => declarations.find(d => d.property === property)?.value.replace(/!important/i, '').trim().toLowerCase();
  const opacity = read('opacity');
  return (opacity !== undefined && opacity !== '' && Number(opacity) === 0) || read('visibility') === 'hidden' || read('display') === 'none';
}

/**
 * A full-frame overlay (absolute/fixed, inset 0, opaque background) that a timeline first reveals and later
 * hides, authored visible: every frame before its reveal shows the overlay (often a blank/white video). On
 * the element's tag name; the fix authors opacity: 0 on it when the reveal is a to() (a from() would then
 * animate from 0 to 0).
 */
function lintOverlayStartsVisible(report: LintReporter, lint: LintFile): void {
  const windows = lint.scripts.flatMap(script => (/gsap\s*\.\s*timeline/.test(script.code) ? scanGsapCalls(script.code) : [])
    .filter(call => call.onTimeline && call.start !== undefined && call.properties.some(p => VISIBILITY_PROPS.has(p))));
  if (windows.length === 0) return;
  // Which tweens reach each #id / .class, indexed once (a large file has thousands of elements and tweens).
  const windowsByToken = new Map<string, GsapCall[]>();
  for (const call of windows) {
    for (const token of new Set(subjectTokens(call.target))) {
      const list = windowsByToken.get(token);
      if (list) list.push(call);
      else windowsByToken.set(token, [call]);
    }
  }
  let hidden: Set<string> | undefined;
  let byToken: Map<string, CssDeclarationAt[]> | undefined;
  const classesTweened = [...windowsByToken.keys()].some(token => token.startsWith('.'));
  for (const element of lint.elements) {
    const id = element.attrs.get('id')?.value.trim();
    const classes = element.attrs.get('class')?.value;
    if (!(id && windowsByToken.has(`#${id}`)) && !(classesTweened && classes)) continue;
    const tokens = [...(id ? [`#${id}`] : []), ...(classes ?? '').split(/\s+/).filter(Boolean).map(name => `.${name}`)];
    if (!tokens.some(token => windowsByToken.has(token))) continue;
    const mine = [...new Set(tokens.flatMap(token => windowsByToken.get(token) ?? []))].sort((a, b) => a.start! - b.start!);
    byToken ??= declarationsByToken(lint);
    const declarations = authoredDeclarations(element, tokens, byToken);
    if (!coversFrameOpaquely(declarations) || hiddenByStyle(declarations)) continue;
    if (mine.some(call => call.start! <= SCENE_START_EPSILON_S && (hiddenState(call.vars) || (call.method === 'fromTo' && hiddenState(call.fromVars))))) continue;
    hidden ??= hiddenTokens(lint);
    if (tokens.some(token => hidden!.has(token))) continue;
    const reveal = mine.find(call => (call.method === 'from' && hiddenState(call.vars)) || visibleState(call.vars));
    if (!reveal || !mine.some(call => call !== reveal && call.method !== 'from' && call.start! >= reveal.start! && hiddenState(call.vars))) continue;
    const selector = tokens.find(token => subjectTokens(reveal.target).includes(token)) ?? tokens[0];
    let data: Record<string, unknown> | undefined;
    if (reveal.method !== 'from') {
      const style = element.attrs.get('style');
      const written = style ? lint.file.text.slice(style.valueStart, style.valueEnd).trimEnd() : '';
      const at = style ? style.valueStart + written.length : element.tagNameEnd;
      const text = !style ? ' style="opacity: 0"' : !written ? 'opacity: 0' : written.endsWith(';') ? ' opacity: 0;' : '; opacity: 0';
      const edit = { range: report.range(at, at), text };
      data = { replace: edit, elementId: id };
    }
    report.atTagName(element, 'gsap_fullscreen_overlay_starts_visible',
      `Full-frame overlay "${selector}" starts visible before its first GSAP opacity tween at ${reveal.start!.toFixed(2)}s. It will cover earlier render frames, often as a blank/white video.`,
      `Add \`opacity: 0\` to "${selector}" in CSS/inline styles, or add an immediate \`gsap.set("${selector}", { opacity: 0 })\` (outside the timeline) before the reveal tween.`, data);
  }
}
