// Static checks on the composition's scripts: GSAP from a CDN, timelines registered under a key no
// composition has, and a GSAP timeline that is never registered on window.__timelines. Scripts are only
// scanned (comments blanked, strings respected), never run: the probe sees what they really do.
import type { DiagnosticSink } from './diagnostics';
import { didYouMean, nearestName } from './diagnostics';
import type { Scope } from './drafts';
import { innerText, type SourceElement, type SourceFile } from './parseHtml';
import { memoByText } from './textMemo';

const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript']);
const LITERAL_REGISTRATION = /__timelines\s*\[\s*(["'`])([^"'`\\\n]*)\1\s*\]\s*=(?!=)/g;
const DOTTED_REGISTRATION = /__timelines\s*\.\s*([A-Za-z_$][\w$]*)\s*=(?!=)/g;
/** Registrations whose key is computed or that assign many at once: the keys cannot be known statically. */
const DYNAMIC_REGISTRATION = /__timelines\s*\[\s*[^\s"'`\]]|Object\.assign\s*\(\s*(?:window\s*\.\s*)?__timelines|__timelines\s*=\s*\{\s*[^\s}]/;
const GSAP_TIMELINE = /\bgsap\s*\.\s*timeline\s*\(/;

export interface ScriptFacts {
  /** Some script creates or registers a timeline (the probe can discover the duration). */
  usesTimelines: boolean;
}

interface ScriptScan {
  file: SourceFile;
  element: SourceElement;
  /** The script's text with comments blanked (offsets kept), and where it starts in the file. */
  code: string;
  offset: number;
}

/** Replaces comments with spaces (keeping line breaks) so patterns never match commented-out code. */
export const blankComments = memoByText(blankCommentsOnce);

function blankCommentsOnce(code: string): string {
  if (!code.includes('/')) return code;
  let out = '';
  let copied = 0;
  let quote: string | undefined;
  const blank = (from: number, to: number, spaces: string) => {
    out += code.slice(copied, from) + spaces;
    copied = to;
  };
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || (ch === '\n' && quote !== '`')) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
    } else if (ch === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      const stop = end < 0 ? code.length : end;
      blank(i, stop, ' '.repeat(stop - i));
      i = stop;
    } else if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      blank(i, stop, code.slice(i, stop).replace(/[^\n\r]/g, ' '));
      i = stop - 1;
    }
  }
  return out + code.slice(copied);
}

/** Offset just after the statement that starts before `from` ends: a ";" or a line break at depth 0 not followed by ".". */
function statementEnd(code: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < code.length; i++) {
    const ch = code[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && ch === ';') return i + 1;
    else if (depth === 0 && ch === '\n' && !/^\s*[.?]/.test(code.slice(i + 1, i + 200))) return i;
  }
  return code.length;
}

function scanScripts(scope: Scope, sink: DiagnosticSink): ScriptScan[] {
  const scans: ScriptScan[] = [];
  for (const element of scope.scripts) {
    const src = element.attrs.get('src');
    if (src) {
      if (/^\s*(https?:)?\/\//i.test(src.value) && /gsap/i.test(src.value)) {
        sink.atValue(scope.file, src, 'warning', 'gsap-from-cdn',
          'GSAP is loaded from a CDN: renders run offline and a failed download leaves the composition 0 s long. Bundle it locally, e.g. copy node_modules/gsap/dist/gsap.min.js into the project and use <script src="gsap.min.js">.',
          { src: src.value });
      }
      continue;
    }
    if (!JS_TYPES.has((element.attrs.get('type')?.value ?? '').trim().toLowerCase())) continue;
    const { text, offset } = innerText(scope.file, element);
    scans.push({ file: scope.file, element, code: blankComments(text), offset });
  }
  return scans;
}

export function analyzeScripts(sink: DiagnosticSink, scopes: readonly Scope[], compositionIds: ReadonlySet<string>): ScriptFacts {
  const scansByScope = new Map<Scope, ScriptScan[]>();
  const registeredKeys = new Set<string>();
  const scopesWithRegistrations = new Set<Scope>();
  let anyDynamic = false;
  let usesTimelines = false;
  for (const scope of scopes) {
    const scans = scanScripts(scope, sink);
    scansByScope.set(scope, scans);
    for (const scan of scans) {
      if (DYNAMIC_REGISTRATION.test(scan.code)) {
        anyDynamic = true;
        scopesWithRegistrations.add(scope);
      }
      for (const { key, start } of registrations(scan.code)) {
        registeredKeys.add(key);
        scopesWithRegistrations.add(scope);
        if (compositionIds.has(key)) continue;
        const suggestion = nearestName(key, compositionIds);
        sink.atOffsets(scan.file, scan.offset + start, scan.offset + start + key.length, 'error', 'timeline_id_mismatch',
          `Timeline registered as "${key}", but no element has data-composition-id="${key}", so nothing plays it. Register it under its composition's id.${didYouMean(suggestion)}`,
          suggestion === undefined ? { key } : { key, suggestion });
      }
    }
    if (scans.some(scan => GSAP_TIMELINE.test(scan.code))) usesTimelines = true;
  }
  usesTimelines ||= registeredKeys.size > 0 || anyDynamic;

  for (const [scope, scans] of scansByScope) {
    const id = scope.compositionId;
    if (!id || anyDynamic || registeredKeys.has(id) || scopesWithRegistrations.has(scope)) continue;
    const first = firstTimelineCall(scans);
    if (!first) continue;
    const { scan, index, length } = first;
    const endOffset = scan.offset + statementEnd(scan.code, index);
    const before = scan.code.slice(Math.max(0, scan.code.lastIndexOf('\n', index) + 1), index);
    const variable = /(?:\b(?:const|let|var)\s+)?([A-Za-z_$][\w$.]*)\s*=\s*$/.exec(before)?.[1];
    const registration = `window.__timelines["${id}"] = ${variable ?? 'tl'};`;
    sink.atOffsets(scan.file, scan.offset + index, scan.offset + index + length, 'error', 'missing_timeline_registry',
      `This GSAP timeline is never registered, so the renderer cannot seek it (the video would not animate, or be 0 s long). Register it after it is built: window.__timelines = window.__timelines || {}; ${registration}`,
      { compositionId: id, line: scan.file.lines.positionAt(endOffset).line, ...(variable ? { variable } : {}) });
  }
  return { usesTimelines };
}

function registrations(code: string): { key: string; start: number }[] {
  const found: { key: string; start: number }[] = [];
  for (const match of code.matchAll(LITERAL_REGISTRATION)) {
    const keyStart = match.index + match[0].indexOf(match[1]) + 1;
    found.push({ key: match[2], start: keyStart });
  }
  for (const match of code.matchAll(DOTTED_REGISTRATION)) {
    found.push({ key: match[1], start: match.index + match[0].lastIndexOf(match[1], match[0].length - 1) });
  }
  return found;
}

function firstTimelineCall(scans: readonly ScriptScan[]): { scan: ScriptScan; index: number; length: number } | undefined {
  for (const scan of scans) {
    const match = GSAP_TIMELINE.exec(scan.code);
    if (match) return { scan, index: match.index, length: match[0].replace(/\s*\($/, '').length };
  }
  return undefined;
}
