// Probe diagnostics: each one says what the page showed and how to fix it, placed where the cause is written.
import { CLIP_END_TOLERANCE_S, MEDIA_DURATION_EPSILON_S } from '../limits';
import type { Composition, EngineDiagnostic, SourceLocation } from '../model';
import type { RefusedRequest } from '../fileServer';
import type { HfInspection, HfProtocolReport, WebGpuReport } from '../runtime/manifest';
import type { ProbeConsoleLine, ProbePageError } from './types';
import type { SourceLocator } from './locations';
import type { RawPageError, RawRequestFailure } from './pageEvents';

/** How many browser lines a zero-duration message quotes. */
const MAX_QUOTED_BROWSER_LINES = 8;
/** A clip may end this much after its composition (float noise) before it is reported. */

function at(location: SourceLocation, severity: EngineDiagnostic['severity'], code: EngineDiagnostic['code'],
  message: string, data?: Record<string, unknown>): EngineDiagnostic {
  return { file: location.file, range: location.range, severity, code, message, ...(data ? { data } : {}) };
}

/** The first frame of a stack (after `skip` frames) that points into the served page: `at … (http://…/file.js:12:5)`. */
function firstServedFrame(stack: string | undefined, origin: string, skip = 0): { url: string; line: number; column: number } | undefined {
  if (!stack) return undefined;
  let index = 0;
  for (const match of stack.matchAll(/(https?:\/\/[^\s()]+):(\d+):(\d+)/g)) {
    if (index++ < skip) continue;
    if (match[1].startsWith(origin)) return { url: match[1], line: Number(match[2]) - 1, column: Number(match[3]) - 1 };
  }
  return undefined;
}

/**
 * What is wrong with a page-provided window.__hf, at the script that assigned it (the caller of the
 * runtime's setter: the stack's second frame), else at the root.
 */
export function protocolDiagnostics(locator: SourceLocator, origin: string, report: HfProtocolReport | undefined): EngineDiagnostic[] {
  if (!report?.provided || report.problems.length === 0) return [];
  const frame = firstServedFrame(report.setStack, origin, 1);
  const location = (frame && locator.locateServed(frame.url, frame.line, frame.column)) ?? locator.rootLocation();
  return report.problems.map(problem => at(location, problem.severity ?? 'error', problem.code, problem.message, problem.data));
}

/**
 * The page asked for WebGPU and the browser had no adapter to give: its canvas would be blank in every
 * frame. One error at the requestAdapter() call (the stack's second frame; the first is the runtime's
 * wrapper), else at the root.
 */
export function webGpuDiagnostics(locator: SourceLocator, origin: string, report: WebGpuReport | undefined): EngineDiagnostic[] {
  if (!report) return [];
  const frame = firstServedFrame(report.stack, origin, 1);
  const location = (frame && locator.locateServed(frame.url, frame.line, frame.column)) ?? locator.rootLocation();
  return [at(location, 'error', 'webgpu-unavailable',
    'WebGPU is not available in this Chromium: navigator.gpu.requestAdapter() answered null, so what this page draws with ' +
    'WebGPU would be blank in every frame. Use a Chromium that runs WebGPU in software (Debian\'s chromium with SwiftShader; ' +
    '"HyperFrames: Check Environment" shows which one is used), or give the page a fallback for a missing adapter.')];
}

/** What a page's next line throws when it uses the null adapter: the consequence of webgpu-unavailable, not a second finding. */
export const NULL_ADAPTER_ERROR = /\(reading 'requestDevice'\)|null is not an object \(evaluating '[^']*requestDevice/;

export function pageErrorFindings(locator: SourceLocator, origin: string, errors: RawPageError[]):
  { pageErrors: ProbePageError[]; diagnostics: EngineDiagnostic[] } {
  const pageErrors: ProbePageError[] = [];
  const diagnostics: EngineDiagnostic[] = [];
  for (const error of errors) {
    const frame = firstServedFrame(error.stack, origin);
    const location = frame ? locator.locateServed(frame.url, frame.line, frame.column) : undefined;
    pageErrors.push({
      message: error.message,
      stack: error.stack,
      location: location ? { file: location.file, line: location.range.start.line, column: location.range.start.character } : undefined,
    });
    diagnostics.push(at(location ?? locator.rootLocation(), 'error', 'page-error', `Uncaught ${error.message}`));
  }
  return { pageErrors, diagnostics };
}

export function consoleErrorDiagnostics(locator: SourceLocator, lines: ProbeConsoleLine[]): EngineDiagnostic[] {
  // "Failed to load resource" is the console's echo of a failed request, reported on its element instead.
  return lines
    .filter(line => line.type === 'error' && !line.text.startsWith('Failed to load resource'))
    .map(line => {
      const location = line.url && line.line !== undefined ? locator.locateServed(line.url, line.line) : undefined;
      return at(location ?? locator.rootLocation(), 'warning', 'console-error', `console.error: ${line.text}`);
    });
}

/** A served URL as the author knows it: the project path (the loopback port changes every run). */
function shownUrl(locator: SourceLocator, url: string): string {
  if (!url.startsWith(locator.origin + '/')) return url;
  const projectPath = url.slice(locator.origin.length + 1).replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(projectPath);
  } catch {
    return projectPath;
  }
}

export function requestDiagnostics(locator: SourceLocator, failures: RawRequestFailure[], refused: RefusedRequest[]): EngineDiagnostic[] {
  const refusedUrls = new Set(refused.map(r => r.url));
  const diagnostics: EngineDiagnostic[] = [];
  for (const failure of failures) {
    if (refusedUrls.has(failure.url)) continue;
    const local = failure.url.startsWith(locator.origin + '/');
    const shown = shownUrl(locator, failure.url);
    const message = failure.status !== undefined
      ? `${shown} answered HTTP ${failure.status}${failure.status === 404 && local ? ': the file does not exist in the project' : ''}.`
      : `${shown} failed to load (${failure.failure})${local ? '' : ': remote assets are not reachable while rendering; copy it into the project'}.`;
    for (const location of whereRequested(locator, failure.url, failure.initiator)) {
      diagnostics.push(at(location, 'error', failure.status !== undefined ? 'http-error' : 'request-failed', message, { url: failure.url }));
    }
  }
  for (const refusal of refused) {
    const message = `${shownUrl(locator, refusal.url)} was refused: it points outside the project folder (${refusal.reason}). Copy the file into the project.`;
    for (const location of whereRequested(locator, refusal.url, undefined)) {
      diagnostics.push(at(location, 'error', 'request-refused', message, { url: refusal.url }));
    }
  }
  return diagnostics;
}

function whereRequested(locator: SourceLocator, url: string, initiator: RawRequestFailure['initiator']): SourceLocation[] {
  const references = locator.referencesTo(url);
  if (references.length > 0) return references;
  const fromInitiator = initiator ? locator.locateServed(initiator.url, initiator.line) : undefined;
  return [fromInitiator ?? locator.rootLocation()];
}

export interface ZeroDurationEvidence {
  inspection: HfInspection | undefined;
  console: ProbeConsoleLine[];
  pageErrors: RawPageError[];
  failures: RawRequestFailure[];
}

/** "Composition duration is 0" with a hint built from what the page showed. */
export function zeroDurationDiagnostic(locator: SourceLocator, composition: Composition, evidence: ZeroDurationEvidence): EngineDiagnostic {
  const id = composition.id ?? 'main';
  const inspection = evidence.inspection;
  let hint: string;
  let reason: string;
  if (inspection && !inspection.gsapLoaded && /gsap/i.test(composition.compiledHtml)) {
    reason = 'gsap-not-loaded';
    hint = 'GSAP is not loaded — CDN script may have failed to download. Bundle GSAP locally in your project instead of using a CDN <script src>.';
  } else if (inspection?.gsapLoaded && inspection.timelineIds.length === 0) {
    reason = 'no-timeline';
    hint = `GSAP is loaded but no timelines were registered on window.__timelines. Ensure your script creates a timeline and assigns it: window.__timelines["${id}"] = gsap.timeline({ paused: true });`;
  } else if (inspection && inspection.timelineIds.length > 0 && !inspection.timelineIds.includes(id)) {
    reason = 'timeline-id-mismatch';
    hint = `Timelines are registered as ${inspection.timelineIds.map(t => `"${t}"`).join(', ')}, but the composition id is "${id}": register the root timeline as window.__timelines["${id}"].`;
  } else if (inspection && inspection.timelineIds.includes(id)) {
    reason = 'empty-timeline';
    hint = `window.__timelines["${id}"] has no tweens (duration 0): add animations to it, or set data-duration="<seconds>" on the root element.`;
  } else {
    reason = 'no-duration-source';
    hint = `Nothing gives the composition a length: set data-duration="<seconds>" on the root element, or register a GSAP timeline as window.__timelines["${id}"].`;
  }
  const browserLines = [
    ...evidence.pageErrors.map(error => `Uncaught ${error.message}`),
    ...evidence.failures.map(failure => `${failure.failure} ${failure.url}`),
    ...evidence.console
      .filter(line => line.type === 'error' || /404|net::ERR_/i.test(line.text))
      .filter(line => !line.text.startsWith('Failed to load resource'))
      .map(line => line.text),
  ].slice(0, MAX_QUOTED_BROWSER_LINES).map(line => `Browser: ${line}`);
  const message = ['Composition duration is 0 — this would produce a black video.', hint, ...browserLines].join('\n');
  return at(locator.rootLocation(), 'error', 'zero-duration', message, { reason, compositionId: id });
}

/** Media whose length the browser reads differently from ffprobe (beyond the named epsilon). */
export function mediaDiagnostics(composition: Composition, inspection: HfInspection): EngineDiagnostic[] {
  const browserDurations = new Map(inspection.media.filter(m => m.id).map(m => [m.id, m.duration]));
  const diagnostics: EngineDiagnostic[] = [];
  for (const media of composition.media) {
    const browser = browserDurations.get(media.clipId);
    if (browser === undefined || media.sourceDuration === undefined) continue;
    if (Math.abs(browser - media.sourceDuration) <= MEDIA_DURATION_EPSILON_S) continue;
    const clip = composition.clips.find(c => c.id === media.clipId);
    const range = media.srcRange ?? clip?.tagRange;
    if (!range) continue;
    diagnostics.push(at({ file: media.file, range }, 'warning', 'media-duration-mismatch',
      `The browser reads ${browser.toFixed(3)} s for ${media.src}, ffprobe ${media.sourceDuration.toFixed(3)} s: the preview and the render may disagree near its end. Re-encode the file (for example \`ffmpeg -i in -c:v libx264 -c:a aac out.mp4\`).`,
      { browserDuration: browser, sourceDuration: media.sourceDuration }));
  }
  return diagnostics;
}

/** Clips that end after the composition (or sub-composition host) that holds them, once durations are known. */
export function clipEndDiagnostics(composition: Composition, duration: number, compileDiagnostics: EngineDiagnostic[]): EngineDiagnostic[] {
  const reported = new Set(compileDiagnostics.map(d => `${d.file}:${d.range.start.line}:${d.range.start.character}`));
  const clipsById = new Map(composition.clips.map(c => [c.id, c]));
  const diagnostics: EngineDiagnostic[] = [];
  for (const clip of composition.clips) {
    if (clip.end === undefined) continue;
    const parent = clip.parentId ? clipsById.get(clip.parentId) : undefined;
    const host = parent?.kind === 'composition' ? parent : undefined;
    const limit = host ? host.end : duration;
    if (limit === undefined || limit <= 0 || clip.end <= limit + CLIP_END_TOLERANCE_S) continue;
    const range = clip.attributeRanges['data-duration'] ?? clip.attributeRanges['data-start'] ?? clip.tagRange;
    if (reported.has(`${clip.file}:${range.start.line}:${range.start.character}`)) continue;
    const owner = host ? `its sub-composition "${host.id}" ends at ${limit.toFixed(3)} s` : `the composition ends at ${limit.toFixed(3)} s`;
    diagnostics.push(at({ file: clip.file, range }, 'warning', 'clip-after-composition-end',
      `Clip "${clip.id}" ends at ${clip.end.toFixed(3)} s but ${owner}: the rest is never shown. Shorten the clip or lengthen the composition.`,
      { clipId: clip.id, clipEnd: clip.end, compositionEnd: limit }));
  }
  return diagnostics;
}

export function timeoutDiagnostic(location: SourceLocation, timeoutMs: number): EngineDiagnostic {
  return at(location, 'error', 'probe-timeout',
    `The page did not finish loading within ${(timeoutMs / 1000).toFixed(1)} s: a script may never yield (an endless loop?) or an asset never finishes loading. The browser was restarted.`,
    { timeoutMs });
}
