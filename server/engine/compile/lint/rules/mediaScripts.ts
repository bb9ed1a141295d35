// Scripts that reach into the media the runtime owns: play()/pause()/currentTime/muted on a managed
// <video>/<audio> (the runtime seeks and plays media itself, frame by frame) and a src rewritten at run time
// (media discovery and extraction read the authored src). Found in the syntax tree: the element comes from
// `document.getElementById/querySelector` written in place or held in a variable.
import type { AnyNode, Program } from 'acorn';
import type { SourceElement } from '../../parseHtml';
import { elementId, type LintFile, type LintReporter } from '../context';
import { documentLookup, lookupBindings, memberName, memoByProgram, parseScript, stringValue, walk } from '../scriptAst';

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
  const bindings = lookupBindings(program);
  const touches: MediaTouch[] = [];
  walk(program, node => {
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
      const method = memberName(node.callee);
      const selector = targetSelector(node.callee.object, bindings);
      if (!selector) return;
      if (method === 'play' || method === 'pause') touches.push({ start: node.callee.start, end: node.callee.end, selector, kind: `${method}()` });
      else if (method === 'setAttribute' && stringValue(node.arguments[0])?.toLowerCase() === 'src') touches.push({ start: node.start, end: node.end, selector, kind: 'setAttribute' });
    } else if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'MemberExpression') {
      const member = memberName(node.left);
      const selector = targetSelector(node.left.object, bindings);
      if (!selector) return;
      if (member === 'currentTime' || member === 'muted') touches.push({ start: node.left.start, end: node.left.end, selector, kind: member === 'muted' ? 'muted assignment' : 'currentTime' });
      else if (member === 'src') touches.push({ start: node.start, end: node.end, selector, kind: 'src assignment' });
    }
  });
  return touches;
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

/** Elements a selector list of simple compounds (`video`, `#a`, `.b`, `audio.c`) matches; undefined when it has combinators or other parts. */
function matchSimple(selector: string, elements: readonly SourceElement[]): SourceElement[] | undefined {
  const matched: SourceElement[] = [];
  for (const part of selector.split(',')) {
    const compound = /^([a-z][\w-]*)?((?:[#.][\w-]+)*)$/i.exec(part.trim());
    if (!compound || (!compound[1] && !compound[2])) return undefined;
    const tag = compound[1]?.toLowerCase();
    const tokens = compound[2].match(/[#.][\w-]+/g) ?? [];
    for (const element of elements) {
      if (tag && element.tagName !== tag) continue;
      const classes = new Set((element.attrs.get('class')?.value ?? '').split(/\s+/));
      if (tokens.every(token => (token[0] === '#' ? elementId(element) === token.slice(1) : classes.has(token.slice(1))))) matched.push(element);
    }
  }
  return matched;
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
