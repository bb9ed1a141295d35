// compile + probe for one entry file, everything closed before it returns: what `check` runs. With a
// WarmBrowser the browser outlives the check (and is replaced after a hang); without one a browser is
// launched and closed here. The probe itself, and how each way it ends is reported, is probeInBrowser's,
// which the language server's on-save probe runs too.
import { WarmBrowser } from '../browser';
import { compile } from '../compile';
import type { Composition, EngineDiagnostic } from '../model';
import type { CompileInput, CompileResult } from '../compile/types';
import { RenderCancelledError } from '../errors';
import { type Logger, silentLogger } from '../logger';
import type { ProbeConsoleLine } from './types';
import { probeInBrowser } from './inBrowser';

export interface CheckOptions {
  /** Reuse this browser (the language server's); otherwise one is launched and closed. */
  browser?: WarmBrowser;
  chromiumPath?: string;
  timeoutMs?: number;
  readOverlay?: CompileInput['readOverlay'];
  /** A render's variable values, compiled and probed as that render would (a render plan's). */
  variables?: CompileInput['variables'];
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
 * The probe's findings that do not restate a static one: a 404 on a value compile already reported (a
 * missing media file) is one problem, said once. The CLI (mergeDiagnostics) and the language server's
 * diagnostic store both filter through this.
 */
export function probeFindingsBeyond(compiled: readonly EngineDiagnostic[], probed: readonly EngineDiagnostic[]): EngineDiagnostic[] {
  const reported = new Set(compiled.map(rangeKey));
  return probed.filter(d => d.code !== 'http-error' || !reported.has(rangeKey(d)));
}

/** Compile's and the probe's, sorted, without the probe's restatements. */
export function mergeDiagnostics(compiled: EngineDiagnostic[], probed: EngineDiagnostic[]): EngineDiagnostic[] {
  return [...compiled, ...probeFindingsBeyond(compiled, probed)].sort(compareDiagnostics);
}

function unprobed(compiled: CompileResult, diagnostic: EngineDiagnostic): CheckResult {
  const { composition } = compiled;
  return {
    composition, diagnostics: mergeDiagnostics(compiled.diagnostics, [diagnostic]), duration: composition.duration ?? 0,
    frameCount: composition.frameCount, console: [], probed: false, timedOut: false, compileMs: compiled.compileMs, probeMs: 0,
  };
}

export async function checkComposition(entryFile: string, options: CheckOptions = {}): Promise<CheckResult> {
  const logger = options.logger ?? silentLogger;
  const compileInput: CompileInput = { entryFile, readOverlay: options.readOverlay, logger, signal: options.signal, ...(options.variables ? { variables: options.variables } : {}) };
  const compiled = await compile(compileInput);
  const browser = options.browser ?? new WarmBrowser({ chromiumPath: options.chromiumPath, logger });
  try {
    const outcome = await probeInBrowser({
      compiled, compileInput, browser, timeoutMs: options.timeoutMs, runtimePath: options.runtimePath, logger, signal: options.signal,
    });
    if (outcome.kind === 'cancelled') throw new RenderCancelledError('probe');
    if (outcome.kind !== 'done') return unprobed(compiled, outcome.diagnostic);
    const probe = outcome.result;
    return {
      composition: probe.composition,
      diagnostics: mergeDiagnostics((probe.recompiled ?? compiled).diagnostics, probe.diagnostics),
      duration: probe.duration, frameCount: probe.frameCount, console: probe.console, probed: true,
      timedOut: probe.timedOut, compileMs: probe.compileMs, probeMs: probe.probeMs,
    };
  } finally {
    if (!options.browser) await browser.close();
  }
}
