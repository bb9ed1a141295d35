// compile + probe for one entry file, everything closed before it returns: what `check` and the language
// server's on-save probe run. With a WarmBrowser the browser outlives the check (and is replaced after a
// hang); without one a browser is launched and closed here.
import { launchBrowser, type BrowserSession, type WarmBrowser } from '../browser';
import { compile } from '../compile';
import type { Composition, EngineDiagnostic } from '../model';
import { RenderCancelledError, silentLogger, type CompileInput, type CompileResult, type Logger, type ProbeConsoleLine, type ProbeResult } from '../stages';
import { ToolNotFoundError } from '../tools';
import { closeProbeResources, runProbeStage } from './run';

export interface CheckOptions {
  /** Reuse this browser (the language server's); otherwise one is launched and closed. */
  browser?: WarmBrowser;
  chromiumPath?: string;
  timeoutMs?: number;
  readOverlay?: CompileInput['readOverlay'];
  runtimePath?: string;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface CheckResult {
  composition: Composition;
  /** Compile's and the probe's, sorted by file and position. */
  diagnostics: EngineDiagnostic[];
  /** Seconds, and frames at the composition's fps (0 when the probe could not run). */
  duration: number;
  frameCount: number;
  console: ProbeConsoleLine[];
  /** False when no browser could be started (the diagnostics say why). */
  probed: boolean;
  timedOut: boolean;
  compileMs: number;
  probeMs: number;
}

export function compareDiagnostics(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

function rangeKey(d: EngineDiagnostic): string {
  const { start, end } = d.range;
  return `${d.file}:${start.line}:${start.character}-${end.line}:${end.character}`;
}

/**
 * Compile's and the probe's, sorted. A 404 on a value compile already reported (a missing media file) is
 * one problem: the command line says it once. (The language server keeps both parts apart.)
 */
export function mergeDiagnostics(compiled: EngineDiagnostic[], probed: EngineDiagnostic[]): EngineDiagnostic[] {
  const reported = new Set(compiled.map(rangeKey));
  const fromProbe = probed.filter(d => d.code !== 'http-error' || !reported.has(rangeKey(d)));
  return [...compiled, ...fromProbe].sort(compareDiagnostics);
}

function unprobed(compiled: CompileResult, code: 'browser-unavailable' | 'probe-failed', message: string): CheckResult {
  const { composition } = compiled;
  const range = composition.rootTagRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const diagnostic: EngineDiagnostic = { file: composition.entryFile, range, severity: 'error', code, message };
  return {
    composition, diagnostics: mergeDiagnostics(compiled.diagnostics, [diagnostic]), duration: composition.duration ?? 0,
    frameCount: composition.frameCount, console: [], probed: false, timedOut: false, compileMs: compiled.compileMs, probeMs: 0,
  };
}

export async function checkComposition(entryFile: string, options: CheckOptions = {}): Promise<CheckResult> {
  const logger = options.logger ?? silentLogger;
  const compileInput: CompileInput = { entryFile, readOverlay: options.readOverlay, logger, signal: options.signal };
  const compiled = await compile(compileInput);
  let session: BrowserSession;
  try {
    session = options.browser ? await options.browser.acquire() : await launchBrowser({ chromiumPath: options.chromiumPath, logger, signal: options.signal });
  } catch (error) {
    if (!(error instanceof ToolNotFoundError)) throw error;
    return unprobed(compiled, 'browser-unavailable', `The composition could not be probed: ${error.message}`);
  }
  const ownBrowser = options.browser ? undefined : session;
  try {
    let probe: ProbeResult;
    try {
      probe = await runProbeStage({
        compiled, compileInput, session, timeoutMs: options.timeoutMs, runtimePath: options.runtimePath, logger, signal: options.signal,
      });
    } catch (error) {
      if (error instanceof RenderCancelledError) throw error;
      // The browser may be in any state after an unexpected failure: start the next check afresh.
      await options.browser?.recycle();
      return unprobed(compiled, 'probe-failed', `The probe failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      return {
        composition: probe.composition,
        diagnostics: mergeDiagnostics((probe.recompiled ?? compiled).diagnostics, probe.diagnostics),
        duration: probe.duration, frameCount: probe.frameCount, console: probe.console, probed: true,
        timedOut: probe.timedOut, compileMs: probe.compileMs, probeMs: probe.probeMs,
      };
    } finally {
      await closeProbeResources(probe.resources);
      // The probe killed the hung browser; the warm one starts afresh on the next acquire.
      if (probe.timedOut) await options.browser?.recycle();
    }
  } finally {
    await ownBrowser?.close();
  }
}
