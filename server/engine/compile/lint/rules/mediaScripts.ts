// Scripts that reach into the media the runtime owns: play()/pause()/currentTime/muted on a managed
// <video>/<audio> (the runtime seeks and plays media itself, frame by frame) and a src rewritten at run time
// (media discovery and extraction read the authored src). Found in the syntax tree: the element comes from
// `document.getElementById/querySelector` written in place or held in a variable. And a GSAP tween on a
// clip's `volume` that fights its data-volume gain or its volume automation lane.
import type { AnyNode, Program } from 'acorn';
import type { SourceElement } from '../../parseHtml';
import { elementId, type LintFile, type LintReporter } from '../context';
import { matchSimple } from '../selectorMatch';
import { documentLookup, lookupBindings, memberName, memoByProgram, parseScript, programIndex, properties, propertyKey, stringValue } from '../scriptAst';

interface MediaTouch {
  /** What is written: the member (`v.play`, `v.currentTime`), or the whole src assignment / setAttribute call. */
  start: number;
  end: number;
  selector: string;
  kind: 'play()' | 'pause()' | 'currentTime' | 'muted assignment' | 'src assignment' | 'setAttribute';
}

function targetSelector(node: AnyNode, bindings: ReadonlyMap<string, string>): string | undefined {
  return node.type === 'Identifier' ? bindings.get(node.name) : documentLookup(node);
}

const mediaTouches = memoByProgram((program: Program): MediaTouch[] => {
  const index = programIndex(program);
  const bindings = lookupBindings(index);
  const touches: MediaTouch[] = [];
  for (const node of index.calls) {
    if (node.callee.type !== 'MemberExpression') continue;
    const method = memberName(node.callee);
    const selector = targetSelector(node.callee.object, bindings);
    if (!selector) continue;
    if (method === 'play' || method === 'pause') touches.push({ start: node.callee.start, end: node.callee.end, selector, kind: `${method}()` });
    else if (method === 'setAttribute' && stringValue(node.arguments[0])?.toLowerCase() === 'src') touches.push({ start: node.start, end: node.end, selector, kind: 'setAttribute' });
  }
  for (const node of index.assignments) {
    if (node.operator !== '=' || node.left.type !== 'MemberExpression') continue;
    const member = memberName(node.left);
    const selector = targetSelector(node.left.object, bindings);
    if (!selector) continue;
    if (member === 'currentTime' || member === 'muted') touches.push({ start: node.left.start, end: node.left.end, selector, kind: member === 'muted' ? 'muted assignment' : 'currentTime' });
    else if (member === 'src') touches.push({ start: node.start, end: node.end, selector, kind: 'src assignment' });
  }
  return touches.sort((a, b) => a.start - b.start);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The reference's loose reading: a selector naming `video`/`audio`, a media id or a media class reaches managed media. */
function reachesManagedMedia(selector: string, media: readonly SourceElement[]): boolean {
  if (media.some(el => el.tagName === 'video') && /\bvideo\b/i.test(selector)) return true;
  if (media.some(el => el.tagName === 'audio') && /\baudio\b/i.test(selector)) return true;
  return media.some(element => {
    const id = elementId(element);
    if (id && (new RegExp(`#${escapeRegExp(id)}(?![\\w-])`).test(selector) || selector.includes(`[id="${id}"]`) || selector.includes(`[id='${id}']`))) return true;
    return (element.attrs.get('class')?.value ?? '').split(/\s+/).filter(Boolean).some(name => new RegExp(`\\.${escapeRegExp(name)}(?![\\w-])`).test(selector));
  });
}

export function lintMediaScripts(report: LintReporter, lint: LintFile): void {
  const media = lint.elements.filter(element => element.tagName === 'video' || element.tagName === 'audio');
  if (media.length === 0) return;
  for (const script of lint.scripts) {
    if (!/getElementById|querySelector/.test(script.code)) continue;
    const { program } = parseScript(lint, script);
    if (!program) continue;
    for (const touch of mediaTouches(program)) {
      const start = script.offset + touch.start;
      const end = script.offset + touch.end;
      if (touch.kind === 'src assignment' || touch.kind === 'setAttribute') {
        const targets = (matchSimple(touch.selector, lint.elements) ?? [])
          .map(element => (element.tagName === 'source' && (element.parent?.tagName === 'video' || element.parent?.tagName === 'audio') ? element.parent : element))
          .filter(element => element.tagName === 'video' || element.tagName === 'audio');
        if (targets.length === 0) continue;
        report.atOffsets(start, end, 'media_runtime_src_mutation',
          `Inline script mutates the source of existing managed media via ${touch.kind === 'src assignment' ? '.src assignment' : "setAttribute('src', ...)"}. Browser probing can reconcile synchronous writes, but external or delayed writes can still diverge between preview and extraction.`,
          'Author the final static src, or bind data-var-src to a declared image/string variable so the selected source is applied before media discovery and extraction.',
          { selector: touch.selector, elementId: elementId(targets[0]) });
        continue;
      }
      if (!reachesManagedMedia(touch.selector, media)) continue;
      report.atOffsets(start, end, 'imperative_media_control',
        `Inline <script> imperatively controls managed media via ${touch.kind}. HyperFrames must own media play/pause/seek to keep preview, timeline, and renders deterministic.`,
        'Remove imperative media play/pause/currentTime/muted control. Express timing with data-start/data-duration and media offsets like data-media-start or data-playback-start instead.',
        { selector: touch.selector });
    }
  }
}

/** The selectors GSAP tweens write `volume` through (the target string of each tween with a volume key). */
const volumeTweenTargets = memoByProgram((program: Program): string[] =>
  programIndex(program).tweens
    .filter(call => [...properties(call.vars), ...properties(call.fromVars)].some(p => propertyKey(p) === 'volume'))
    .map(call => stringValue(call.call.arguments[0]))
    .filter((target): target is string => target !== undefined));

/**
 * A clip whose volume a tween writes while its data-volume is not 1 (the tween's values replace that gain) or
 * while a data-automation lane drives volume (the lane wins and the tween is ignored). On the attribute.
 */
export function lintVolumeTweens(report: LintReporter, lint: LintFile): void {
  const media = lint.elements.filter(element => (element.tagName === 'video' || element.tagName === 'audio') && elementId(element));
  if (media.length === 0 || !lint.scripts.some(script => script.code.includes('volume'))) return;
  const targets = lint.scripts.filter(script => script.code.includes('volume')).flatMap(script => {
    const { program } = parseScript(lint, script);
    return program ? volumeTweenTargets(program) : [];
  });
  if (targets.length === 0) return;
  for (const element of media) {
    const id = elementId(element)!;
    const idPattern = new RegExp(`#${escapeRegExp(id)}(?![\\w-])`);
    if (!targets.some(target => idPattern.test(target))) continue;
    const automation = element.attrs.get('data-automation');
    if (automation && /"target"\s*:\s*"volume"/.test(automation.value)) {
      report.atAttribute(automation, 'audio_volume_double_automation',
        `#${id} has both a volume automation lane and a GSAP tween on \`volume\`. The lane wins, and the tween is ignored in preview and in the render.`,
        'Keep one of them: delete the volume lane to go back to tweening, or drop the tween and shape the level in the automation lane.', { elementId: id });
      continue;
    }
    const volumeAttr = element.attrs.get('data-volume');
    const volume = Number(volumeAttr?.value ?? '1');
    if (!volumeAttr || automation || !Number.isFinite(volume) || volume === 1) continue;
    const db = volume > 0 ? `${(20 * Math.log10(volume)).toFixed(1)} dB` : 'silence';
    report.atAttribute(volumeAttr, 'audio_volume_tween_overrides_gain',
      `#${id} has data-volume="${volume}" (${db}) and a GSAP tween on \`volume\`. Tween values are absolute: they REPLACE this gain rather than scale it, so wherever the tween names a value the clip plays at that value, not at ${db}.`,
      'Write the tween\'s targets in the same absolute gain (e.g. `volume: 1.95`, not `volume: 1`), or reset data-volume to 1 and let the tween carry the level on its own.', { elementId: id });
  }
}

/**
 * Audio-reactive captions that set one tween per caption group from a peak value at group.start: one static
 * value per group, not a pulse. The reference's reading (caption styles, audio data, a per-group loop with no
 * inner sampling loop); on the first peak value the script reads.
 */
export function lintAudioReactiveSingleTween(report: LintReporter, lint: LintFile): void {
  if (!lint.styles.some(style => style.rules.some(rule => /\.caption[-_]?(?:group|word)/i.test(rule.selector)))) return;
  for (const script of lint.scripts) {
    const code = script.code;
    if (!/AUDIO|audio[-_]?data|bands\[/.test(code) || !/forEach/.test(code) || !/caption|group|cg-/.test(code)) continue;
    if (/for\s*\(\s*(?:var|let)\s+\w+\s*=\s*group\.start/.test(code) || /for\s*\(\s*(?:var|let)\s+at\s*=/.test(code) || /while\s*\(\s*\w+\s*<\s*group\.end/.test(code)) continue;
    const peak = /peak(?:Bass|Treble|Energy)/.exec(code);
    if (!peak || !/group\.start/.test(code)) continue;
    const start = script.offset + peak.index;
    report.atOffsets(start, start + peak[0].length, 'audio_reactive_single_tween_per_group',
      'Audio-reactive captions use a single tween per group based on peak values. This sets one static value at group.start, which is not perceptible as audio reactivity.',
      'Sample audio data at 100-200ms intervals throughout each group\'s lifetime (for loop from group.start to group.end) and create a tween at each sample point for visible pulsing.');
  }
}
