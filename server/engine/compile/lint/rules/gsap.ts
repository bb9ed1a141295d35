// GSAP rules: a CSS transform the tween will overwrite, tweens fighting over a property, motion that snaps to
// whole pixels, repeat counts that overshoot, SVG draw-on against a CSS dash list, and caption exits without
// a hard kill. Tween calls come from gsapCalls.ts; findings sit on the CSS declaration to change or on
// the tween's target / property in the script.
import type { Range } from '../../../model';
import type { SourceElement } from '../../parseHtml';
import { describeElement, elementId, type LintFile, type LintReporter, type LintScript } from '../context';
import { scanGsapCalls, type GsapCall, type GsapVar } from '../gsapCalls';
import { scanDeclarations, subjectTokens, type CssDeclarationAt } from '../stylesheet';

const TRANSLATE_PROPS = ['x', 'y', 'xPercent', 'yPercent'];
const SCALE_PROPS = ['scale', 'scaleX', 'scaleY'];
const LAYOUT_FIX: Record<string, string[]> = {
  left: ['x'], right: ['x'], top: ['y'], bottom: ['y'], margin: ['x', 'y'], marginLeft: ['x'], marginRight: ['x'], marginTop: ['y'], marginBottom: ['y'],
};
const REFLOW_PROPS = ['letterSpacing', 'wordSpacing', 'fontSize'];
/** Two tweens that touch at an end point do not overlap. */
const TWEEN_EPSILON_S = 1e-3;

interface CssTransform {
  declaration: CssDeclarationAt;
  /** Where the selector or element is, for the message. */
  owner: string;
}

/** The tween calls of each script, scanned once per compile. */
function callsOf(lint: LintFile): Map<LintScript, readonly GsapCall[]> {
  return new Map(lint.scripts.map(script => [script, scanGsapCalls(script.code)]));
}

export function lintGsap(report: LintReporter, lint: LintFile): void {
  const calls = callsOf(lint);
  lintTransformConflicts(report, lint, calls);
  lintOverlaps(report, calls);
  lintNonTransformMotion(report, calls);
  lintSvgDashArray(report, lint, calls);
  for (const script of lint.scripts) {
    for (const match of script.code.matchAll(/repeat\s*:\s*(Math\.ceil)\s*\(/g)) {
      const at = script.offset + match.index + match[0].indexOf('Math.ceil');
      report.atOffsets(at, at + 'Math.ceil'.length, 'gsap_repeat_ceil_overshoot',
        'GSAP repeat count uses `Math.ceil`, which can overshoot the composition duration (Math.ceil(10.5 / 2) - 1 = 5 repeats → 6 cycles × 2 s = 12 s).',
        'Use `Math.floor` so the animation fits: `repeat: Math.max(0, Math.floor(totalDuration / cycleDuration) - 1)`.');
    }
  }
  lintCaptionExits(report, lint);
  lintInitialHides(report, lint, calls);
  lintRelativeSecondWriter(report, calls);
  lintInfiniteRepeat(report, lint);
  lintClipVisibilityTweens(report, lint, calls);
}

/** `translate(-50%, 20px) scale(1.2)` → `xPercent: -50, y: 20, scale: 1.2` (what GSAP should own instead). */
export function transformToGsapVars(transform: string): string | undefined {
  const parts: string[] = [];
  const axis = (value: string, name: 'x' | 'y') => {
    const v = value.trim();
    const match = /^(-?[\d.]+)(px|%)?$/.exec(v);
    if (!match) return false;
    if (Number(match[1]) === 0 && !match[2]) return true;
    parts.push(match[2] === '%' ? `${name}Percent: ${Number(match[1])}` : `${name}: ${Number(match[1])}`);
    return true;
  };
  for (const fn of transform.matchAll(/([a-zA-Z0-9]+)\(([^)]*)\)/g)) {
    const args = fn[2].split(',');
    const name = fn[1];
    if (name === 'translate') {
      if (!axis(args[0], 'x') || (args[1] !== undefined && !axis(args[1], 'y'))) return undefined;
    } else if (name === 'translateX' || name === 'translateY') {
      if (!axis(args[0], name === 'translateX' ? 'x' : 'y')) return undefined;
    } else if (name === 'translate3d') {
      if (!axis(args[0], 'x') || !axis(args[1] ?? '0', 'y')) return undefined;
    } else if (name === 'scale' || name === 'scaleX' || name === 'scaleY') {
      const values = args.map(arg => Number(arg.trim()));
      if (values.some(Number.isNaN)) return undefined;
      if (name === 'scale' && values.length === 2 && values[0] !== values[1]) parts.push(`scaleX: ${values[0]}`, `scaleY: ${values[1]}`);
      else parts.push(`${name}: ${values[0]}`);
    } else if (name === 'rotate') {
      const match = /^(-?[\d.]+)deg$/.exec(args[0].trim());
      if (!match) return undefined;
      parts.push(`rotation: ${Number(match[1])}`);
    } else {
      return undefined;
    }
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function collectTransforms(lint: LintFile): Map<string, CssTransform> {
  const transforms = new Map<string, CssTransform>();
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      // Keyed by the #id / .class a selector ends with (the reference's reading): ":hover" and the like are not what a tween targets.
      const declaration = [...rule.declarations].reverse().find(d => d.property === 'transform');
      if (!declaration || !/translate|scale/i.test(declaration.value)) continue;
      for (const selector of rule.selector.split(',')) {
        const token = /[#.][\w-]+$/.exec(selector.trim())?.[0];
        if (token) transforms.set(token, { declaration, owner: selector.trim() });
      }
    }
  }
  for (const element of lint.elements) {
    const styleAttr = element.attrs.get('style');
    if (!styleAttr || !/transform/i.test(styleAttr.value)) continue;
    const declaration = scanDeclarations(styleAttr.value, styleAttr.valueStart).reverse().find(d => d.property === 'transform');
    if (!declaration || !/translate|scale/i.test(declaration.value)) continue;
    for (const selector of selectorsOf(element)) if (!transforms.has(selector)) transforms.set(selector, { declaration, owner: selector });
  }
  return transforms;
}

function selectorsOf(element: SourceElement): string[] {
  const id = elementId(element);
  const classes = (element.attrs.get('class')?.value ?? '').split(/\s+/).filter(Boolean);
  return [...(id ? [`#${id}`] : []), ...classes.map(name => `.${name}`)];
}

function lintTransformConflicts(report: LintReporter, lint: LintFile, calls: Map<LintScript, readonly GsapCall[]>): void {
  const transforms = collectTransforms(lint);
  if (transforms.size === 0) return;
  const reported = new Set<CssDeclarationAt>();
  for (const [script, scriptCalls] of calls) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    for (const call of scriptCalls) {
      if (call.method === 'from' || call.method === 'fromTo' || !call.targetIsSelector) continue;
      const translate = call.properties.filter(p => TRANSLATE_PROPS.includes(p));
      const scale = call.properties.filter(p => SCALE_PROPS.includes(p));
      if (translate.length === 0 && scale.length === 0) continue;
      for (const token of subjectTokens(call.target)) {
        const css = transforms.get(token);
        if (!css || reported.has(css.declaration)) continue;
        const value = css.declaration.value;
        if (!((translate.length > 0 && /translate/i.test(value)) || (scale.length > 0 && /scale/i.test(value)))) continue;
        reported.add(css.declaration);
        const gsapVars = transformToGsapVars(value);
        const props = [...translate, ...scale].join('/');
        report.atOffsets(css.declaration.start, css.declaration.end, 'gsap_css_transform_conflict',
          `"${call.target}" has CSS \`transform: ${value}\` and a GSAP tween animates ${props}: GSAP overwrites the whole CSS transform, discarding any translate(-50%) centring or CSS scale.`,
          gsapVars
            ? `Remove \`transform: ${value}\` from the CSS and let GSAP own it: gsap.set("${call.target}", { ${gsapVars} }) before the timeline, or tl.fromTo (exempt from this rule).`
            : `Remove the transform from the CSS and use tl.fromTo("${call.target}", {…}, {…}) so GSAP owns the whole transform.`,
          { selector: call.target, ...(gsapVars ? { fix: moveTransformFix(lint, script, css, call.target, gsapVars) } : {}) });
      }
    }
  }
}

/** The quick fix's edits: drop the CSS declaration (with its ";"), set the same transform through GSAP before the timeline is built. */
function moveTransformFix(lint: LintFile, script: LintScript, css: CssTransform, selector: string, gsapVars: string): { remove: Range; insert: Range; text: string } {
  const text = lint.file.text;
  let start = css.declaration.start;
  while (start > 0 && /[ \t]/.test(text[start - 1])) start--;
  let end = css.declaration.end;
  while (end < text.length && /[ \t]/.test(text[end])) end++;
  if (text[end] === ';') end++;
  const creation = /gsap\s*\.\s*timeline\s*\(/.exec(script.code)!;
  const lineStart = script.code.lastIndexOf('\n', creation.index) + 1;
  const indent = /^[ \t]*/.exec(script.code.slice(lineStart))![0];
  const insertAt = script.offset + lineStart;
  return {
    remove: lint.file.lines.range(start, end),
    insert: lint.file.lines.range(insertAt, insertAt),
    text: `${indent}gsap.set(${JSON.stringify(selector)}, { ${gsapVars} });\n`,
  };
}

function lintOverlaps(report: LintReporter, calls: Map<LintScript, readonly GsapCall[]>): void {
  for (const [script, scriptCalls] of calls) {
    // Only tweens on the same target can overlap: compared within each target's tweens, not all pairs.
    const byTarget = new Map<string, GsapCall[]>();
    for (const call of scriptCalls) {
      if (!call.onTimeline || !call.targetIsSelector || call.start === undefined || !(call.finish! > call.start)) continue;
      const list = byTarget.get(call.target);
      if (list) list.push(call);
      else byTarget.set(call.target, [call]);
    }
    for (const windows of byTarget.values()) for (let i = 0; i < windows.length; i++) {
      for (let j = i + 1; j < windows.length; j++) {
        const [left, right] = [windows[i], windows[j]];
        if (left.overwriteAuto || right.overwriteAuto) continue;
        const from = Math.max(left.start!, right.start!);
        const to = Math.min(left.finish!, right.finish!);
        if (to - from <= TWEEN_EPSILON_S) continue;
        const shared = left.properties.filter(p => right.properties.includes(p));
        if (shared.length === 0) continue;
        report.atOffsets(script.offset + right.targetStart, script.offset + right.targetEnd, 'overlapping_gsap_tweens',
          `GSAP tweens overlap on "${left.target}" for ${shared.join(', ')} between ${from.toFixed(2)}s and ${to.toFixed(2)}s.`,
          'Shorten the earlier tween, move the later tween, or add `overwrite: "auto"`.', { selector: left.target });
      }
    }
  }
}

function lintNonTransformMotion(report: LintReporter, calls: Map<LintScript, readonly GsapCall[]>): void {
  for (const [script, scriptCalls] of calls) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    for (const call of scriptCalls) {
      if (call.method === 'set') continue;
      const flagged = call.properties.filter(p => p in LAYOUT_FIX || REFLOW_PROPS.includes(p) || p === 'roundProps');
      if (call.vars.some(v => v.key === 'roundProps')) flagged.push('roundProps');
      if (flagged.length === 0) continue;
      const first = [...call.fromVars, ...call.vars].find(v => flagged.includes(v.key))!;
      const layout = flagged.filter(p => p in LAYOUT_FIX);
      const tokens = [...new Set(layout.flatMap(p => LAYOUT_FIX[p]))];
      const hints = [
        ...(layout.length > 0 ? [`replace ${layout.join('/')} with the transform equivalent (${tokens.join(', ')})`] : []),
        ...(flagged.some(p => REFLOW_PROPS.includes(p)) ? ['do not animate letterSpacing/wordSpacing/fontSize (use scale, or per-glyph x)'] : []),
        ...(flagged.includes('roundProps') ? ['remove roundProps'] : []),
      ];
      report.atOffsets(script.offset + first.keyStart, script.offset + first.keyStart + first.key.length, 'gsap_non_transform_motion',
        `GSAP tween on "${call.target}" uses motion that snaps to whole device pixels: ${[...new Set(flagged)].join(', ')}. Slow motion or an ease-out tail then stutters when captured frame by frame; animate transforms (x/y/scale/opacity) instead.`,
        `${hints.join('; ')}. Transforms interpolate sub-pixel.`, { selector: call.target });
    }
  }
}

function lintSvgDashArray(report: LintReporter, lint: LintFile, calls: Map<LintScript, readonly GsapCall[]>): void {
  const writers = [...calls.values()].flat().filter(call => call.vars.some(v => v.key === 'strokeDasharray'));
  if (writers.length === 0) return;
  for (const style of lint.styles) {
    for (const rule of style.rules) {
      const dash = rule.declarations.find(d => d.property === 'stroke-dasharray');
      if (!dash || dash.value.trim().split(/[\s,]+/).length < 2) continue;
      const tokens = new Set(subjectTokens(rule.selector));
      const writer = writers.find(call => !call.targetIsSelector || subjectTokens(call.target).some(token => tokens.has(token)));
      if (!writer) continue;
      report.atOffsets(dash.start, dash.end, 'svg_drawon_css_dasharray_conflict',
        `GSAP writes strokeDasharray on "${writer.target}", but its CSS ("${rule.selector}") declares a multi-component stroke-dasharray: GSAP merges dash lists per component, so the CSS gap survives and the draw-on line stays visible the whole scene.`,
        `Remove the CSS stroke-dasharray from "${rule.selector}", or set both components in GSAP: strokeDasharray: \`\${len} \${len}\`.`,
        { selector: rule.selector });
    }
  }
}

function lintCaptionExits(report: LintReporter, lint: LintFile): void {
  const captionFile = /caption/i.test(lint.file.path) || lint.root?.attrs.get('data-composition-id')?.value === 'captions'
    || lint.styles.some(style => style.rules.some(rule => /\.caption[-_]?(?:group|word|line|block)\b|\.cg-/.test(rule.selector)));
  if (!captionFile) return;
  for (const script of lint.scripts) {
    const exit = /\.to\s*\([^,]+,\s*\{[^}]*opacity\s*:\s*0/.exec(script.code);
    const hardKill = /\.set\s*\([^,]+,\s*\{[^}]*(?:visibility\s*:\s*["']hidden["']|opacity\s*:\s*0)/.test(script.code);
    const captionLoop = /forEach/.test(script.code) && /karaoke|caption[-_]?(?:group|word|line|block)|cg-/.test(script.code);
    if (!exit || hardKill || !captionLoop) continue;
    const at = script.offset + exit.index + 1;
    report.atOffsets(at, at + 2, 'caption_exit_missing_hard_kill',
      'Caption exit animations (tl.to with opacity: 0) without a hard tl.set kill: exit tweens can fail when karaoke word tweens conflict, leaving captions stuck on screen.',
      'Add `tl.set(groupEl, { opacity: 0, visibility: "hidden" }, group.end)` after every exit tl.to animation.');
  }
}

const HIDDEN_OPACITY = /^0*\.?0*$/;

/** A vars object that leaves its target invisible: opacity/autoAlpha 0, visibility hidden, scale 0, or a nonzero dash offset. */
function hides(vars: readonly GsapVar[]): boolean {
  const value = (key: string) => vars.find(v => v.key === key)?.value.replace(/["'`]/g, '').trim();
  const zero = (text: string | undefined) => text !== undefined && text !== '' && HIDDEN_OPACITY.test(text);
  const offset = value('strokeDashoffset');
  return zero(value('opacity')) || zero(value('autoAlpha')) || value('visibility') === 'hidden' || zero(value('scale'))
    || (offset !== undefined && /^-?[\d.]+$/.test(offset) && Number(offset) !== 0);
}

/** #id / .class tokens already hidden before the timeline runs: by CSS opacity 0 / visibility hidden, or by a gsap.set outside it. */
function hiddenBeforeTimeline(lint: LintFile, calls: Map<LintScript, readonly GsapCall[]>): Set<string> {
  const hidden = new Set<string>();
  const hiddenCss = (declarations: readonly CssDeclarationAt[]) => declarations.some(d =>
    (d.property === 'opacity' && HIDDEN_OPACITY.test(d.value.trim())) || (d.property === 'visibility' && d.value.trim() === 'hidden'));
  for (const style of lint.styles) for (const rule of style.rules) if (hiddenCss(rule.declarations)) for (const token of subjectTokens(rule.selector)) hidden.add(token);
  for (const element of lint.elements) {
    const styleAttr = element.attrs.get('style');
    if (styleAttr && /opacity|visibility/i.test(styleAttr.value) && hiddenCss(scanDeclarations(styleAttr.value, styleAttr.valueStart))) for (const token of selectorsOf(element)) hidden.add(token);
  }
  for (const call of [...calls.values()].flat()) {
    if (!call.onTimeline && call.method === 'set' && call.targetIsSelector && hides(call.vars)) for (const token of subjectTokens(call.target)) hidden.add(token);
  }
  return hidden;
}

/** The element tokens (#id / .class) each token of the file reaches, to tell `#a` is hidden when `.card` is. */
function tokensOfElements(lint: LintFile): Map<string, SourceElement[]> {
  const index = new Map<string, SourceElement[]>();
  for (const element of lint.elements) {
    for (const token of selectorsOf(element)) {
      const list = index.get(token);
      if (list) list.push(element);
      else index.set(token, [element]);
    }
  }
  return index;
}

function lintInitialHides(report: LintReporter, lint: LintFile, calls: Map<LintScript, readonly GsapCall[]>): void {
  if (![...calls.keys()].some(script => /gsap\s*\.\s*timeline/.test(script.code))) return;
  const hidden = hiddenBeforeTimeline(lint, calls);
  const elementsByToken = tokensOfElements(lint);
  for (const [script, scriptCalls] of calls) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    for (const call of scriptCalls) {
      // from() animates FROM its vars TO the current value: from opacity 0 onto a CSS opacity 0 never shows anything.
      if (call.method !== 'from' || !call.targetIsSelector || call.vars.find(v => v.key === 'opacity')?.value.trim() !== '0') continue;
      const tokens = subjectTokens(call.target);
      if (tokens.length === 0 || !tokens.every(token => hidden.has(token))) continue;
      const opacity = call.vars.find(v => v.key === 'opacity')!;
      report.atOffsets(script.offset + opacity.keyStart, script.offset + opacity.keyStart + 'opacity'.length, 'gsap_from_opacity_noop',
        `"${call.target}" has CSS \`opacity: 0\` and a gsap.from() that also sets opacity to 0. gsap.from() animates from the given value to the current CSS value, so the element animates from 0 to 0 and stays invisible.`,
        `Use tl.fromTo("${call.target}", { opacity: 0 }, { opacity: 1 }) or tl.to("${call.target}", { opacity: 1 }), or remove opacity: 0 from the CSS.`,
        { selector: call.target });
    }
    const windows = scriptCalls.filter(call => call.onTimeline);
    const instant = (call: GsapCall) => call.method === 'set' || ((call.method === 'to' || call.method === 'fromTo') && call.start !== undefined && call.finish === call.start);
    const firstTween = windows.findIndex(call => !instant(call));
    for (const call of firstTween < 0 ? windows : windows.slice(0, firstTween)) {
      if (call.start !== 0 || !call.targetIsSelector || !hides(call.vars)) continue;
      if (call.vars.some(v => v.key === 'immediateRender' && v.value.trim() === 'true')) continue;
      const tokens = subjectTokens(call.target);
      const elements = tokens.flatMap(token => elementsByToken.get(token) ?? []);
      if (tokens.length > 0 && tokens.every(token => hidden.has(token))) continue;
      if (elements.length > 0 && elements.every(element => selectorsOf(element).some(token => hidden.has(token)))) continue;
      const standalone = call.method === 'set' && script.code[call.callStart] !== '.' && !/^\s*\./.test(script.code.slice(call.end, call.end + 40)) && call.varsEnd !== undefined;
      report.atOffsets(script.offset + call.callStart, script.offset + call.end, 'gsap_timeline_set_initial_hide',
        `Initial hidden state for "${call.target}" is set via tl.${call.method}(...) at position 0 inside the paused timeline. A zero-duration set at 0 does not render while the playhead sits exactly at 0, so frame 0 shows the un-hidden state.`,
        'Use gsap.set(...) (immediate, outside the timeline) for initial states, or author the hidden state directly in CSS/attributes.',
        {
          selector: call.target,
          ...(standalone ? { replace: { range: report.range(script.offset + call.callStart, script.offset + call.end), text: `gsap.set(${script.code.slice(call.argsStart, call.varsEnd)})` } } : {}),
        });
    }
  }
}

/** A "+=…" / "-=…" tween value: resolved against whatever the property is when the tween first renders. */
const RELATIVE_VALUE = /^(["'`])[+-]=/;

function lintRelativeSecondWriter(report: LintReporter, calls: Map<LintScript, readonly GsapCall[]>): void {
  for (const [script, scriptCalls] of calls) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    const windows = scriptCalls.filter(call => call.onTimeline && call.start !== undefined && call.finish !== undefined);
    for (const call of windows) {
      if (call.method === 'from' || call.method === 'fromTo' || call.overwriteAuto || !call.targetIsSelector) continue;
      const relative = call.vars.filter(v => call.properties.includes(v.key) && RELATIVE_VALUE.test(v.value.trim()));
      if (relative.length === 0) continue;
      const tokens = new Set(subjectTokens(call.target));
      for (const other of windows) {
        if (other === call || other.start! > call.start! || other.finish! <= call.start!) continue;
        const shared = relative.filter(v => other.properties.includes(v.key));
        if (shared.length === 0) continue;
        if (other.target !== call.target && !(other.targetIsSelector && subjectTokens(other.target).some(token => tokens.has(token)))) continue;
        const until = Math.min(call.finish!, other.finish!);
        const time = (t: number) => (Number.isFinite(t) ? `${t.toFixed(2)}s` : '∞');
        const first = shared[0];
        const valueStart = script.code.indexOf(first.value, first.keyStart);
        report.atOffsets(script.offset + first.keyStart, script.offset + (valueStart < 0 ? first.keyStart + first.key.length : valueStart + first.value.length), 'gsap_relative_value_second_writer',
          `Relative value(s) ${shared.map(v => `${v.key}: ${v.value.trim()}`).join(', ')} on "${call.target}" start while another writer for the same propert${shared.length > 1 ? 'ies' : 'y'} is active between ${time(call.start!)} and ${time(until)}. Relative tweens capture their base when they first render, so a render worker landing later starts from another base and the same frame renders at two positions.`,
          `Use absolute values for ${shared.map(v => v.key).join(', ')}, or a fromTo() with explicit endpoints, so every seek resolves the same state.`,
          { selector: call.target });
      }
    }
  }
}

function lintInfiniteRepeat(report: LintReporter, lint: LintFile): void {
  const declared = Number.parseFloat(lint.root?.attrs.get('data-duration')?.value ?? '');
  const finite = Number.isFinite(declared) && declared > 0;
  for (const script of lint.scripts) {
    for (const match of script.code.matchAll(/repeat\s*:\s*-1(?!\d)/g)) {
      const at = script.offset + match.index;
      report.atOffsets(at, at + match[0].length, 'gsap_infinite_repeat',
        finite
          ? `GSAP tween uses \`repeat: -1\` (infinite), but the composition declares a finite ${declared}s window: seeking and export stop at that duration.`
          : 'GSAP tween uses `repeat: -1` (infinite) and the composition declares no finite data-duration: an infinite timeline has no end to render to.',
        finite
          ? 'Keep the finite data-duration; use a finite repeat count only when the loop itself must end before the composition does.'
          : 'Add a finite data-duration to the composition root, or replace `repeat: -1` with a finite count.',
        undefined, finite ? 'warning' : 'error');
    }
  }
}

/** The runtime shows and hides clips (.clip with timing): a tween writing visibility/display/autoAlpha on one fights it. */
function lintClipVisibilityTweens(report: LintReporter, lint: LintFile, calls: Map<LintScript, readonly GsapCall[]>): void {
  const clips = new Map<string, SourceElement>();
  for (const element of lint.elements) {
    const classes = (element.attrs.get('class')?.value ?? '').split(/\s+/).filter(Boolean);
    if (!classes.includes('clip')) continue;
    const id = elementId(element);
    if (id) clips.set(`#${id}`, element);
    for (const name of classes) if (name !== 'clip') clips.set(`.${name}`, element);
  }
  if (clips.size === 0) return;
  for (const [script, scriptCalls] of calls) {
    if (!/gsap\s*\.\s*timeline/.test(script.code)) continue;
    for (const call of scriptCalls) {
      if (!call.onTimeline || !call.targetIsSelector) continue;
      const clip = clips.get(call.target.trim());
      const conflicting: string[] = call.properties.filter(p => p === 'visibility' || p === 'display' || p === 'autoAlpha');
      if (!clip || conflicting.length === 0) continue;
      const first = [...call.fromVars, ...call.vars].find(v => conflicting.includes(v.key))!;
      report.atOffsets(script.offset + first.keyStart, script.offset + first.keyStart + first.key.length, 'gsap_animates_clip_element',
        `GSAP animation sets ${conflicting.join(', ')} on a clip element: "${call.target}" is ${describeElement(clip)} with class="${clip.attrs.get('class')!.value.trim()}". The framework manages clip visibility, and autoAlpha writes visibility as well as opacity.`,
        'Animate opacity (not visibility/display/autoAlpha) on a clip, or animate a child element inside the clip.', { selector: call.target });
    }
  }
}
