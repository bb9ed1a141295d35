// `hyperframes-live check <entry.html | project folder> [--json] [--no-probe] [--chromium PATH] [--timeout MS] [--verbose]`:
// compile + probe (--no-probe: the static checks and lint rules only, no browser), one line per diagnostic (or one JSON array with --json); exit 1 when any error.
// Checking the project's index.html (or its folder) also lints every file under compositions/ the entry does not include, as the reference's `lint` does.
import path from 'node:path';
import { compile } from '../engine/compile';
import { compositionFiles } from '../engine/compile/lint/compositionFiles';
import { findProjectRoot } from '../engine/project';
import type { EngineDiagnostic } from '../engine/model';
import { checkComposition } from '../engine/probe';
import type { CheckResult } from '../engine/probe/check';
import type { CompileResult } from '../engine/compile/types';
import { RenderCancelledError } from '../engine/errors';
import { parseArgs, UsageError } from './args';
import { resolveEntry } from './entry';
import { CHECK_USAGE, reportUsageError } from './usage';
import { countBySeverity, formatDiagnostic, plural, stderrLogger, toJsonDiagnostic } from './format';

/** The shell's convention for a command stopped by Ctrl+C. */
const INTERRUPTED_EXIT_CODE = 130;

const FLAGS = {
  json: { kind: 'boolean' },
  'no-probe': { kind: 'boolean' },
  chromium: { kind: 'string' },
  timeout: { kind: 'number', min: 1, integer: true },
  verbose: { kind: 'boolean', short: 'v' },
  help: { kind: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number> {
  let args;
  let entryFile: string;
  try {
    args = parseArgs(argv, FLAGS);
    if (args.flags.help) {
      process.stdout.write(`${CHECK_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) {
      throw new UsageError(args.positionals.length === 0 ? 'the entry (.html file or project folder) is missing.' : `one entry expected, got ${args.positionals.length}.`);
    }
    entryFile = resolveEntry(args.positionals[0]).entryFile;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('check', error.message);
  }
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const logger = stderrLogger(args.flags.verbose ?? false);
    const result = args.flags['no-probe']
      ? staticCheck(await compile({ entryFile, logger, signal: abort.signal }))
      : await checkComposition(entryFile, { chromiumPath: args.flags.chromium, timeoutMs: args.flags.timeout, logger, signal: abort.signal });
    result.diagnostics.push(...await lintOtherCompositionFiles(entryFile, result.composition.dependencies, abort.signal));
    const counts = countBySeverity(result.diagnostics);
    if (args.flags.json) {
      process.stdout.write(`${JSON.stringify(result.diagnostics.map(toJsonDiagnostic), null, 2)}\n`);
    } else {
      for (const diagnostic of result.diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
      const composition = result.composition;
      const timing = result.probed ? `${result.duration.toFixed(3)} s, ${plural(result.frameCount, 'frame')} at ${composition.fps} fps` : 'not probed';
      process.stderr.write(`${path.basename(entryFile)} (${composition.id ?? 'no id'}): ${timing} · ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`
        + ` (compile ${result.compileMs.toFixed(0)} ms, probe ${result.probeMs.toFixed(0)} ms)\n`);
    }
    return counts.error > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof RenderCancelledError)) throw error;
    process.stderr.write('hyperframes-live check: cancelled.\n');
    return INTERRUPTED_EXIT_CODE;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/**
 * The diagnostics of the files under compositions/ the entry's compile did not cover, each compiled on its own as
 * a sub-composition (static checks and lint, no probe), each file reported once. Only for the project's
 * index.html: an explicit other entry is checked alone, as the reference's `lint <file>` does.
 */
export async function lintOtherCompositionFiles(entryFile: string, covered: readonly string[], signal: AbortSignal): Promise<EngineDiagnostic[]> {
  const projectRoot = findProjectRoot(entryFile);
  if (path.resolve(entryFile) !== path.join(projectRoot, 'index.html')) return [];
  const done = new Set(covered);
  const out: EngineDiagnostic[] = [];
  for (const file of compositionFiles(projectRoot)) {
    if (done.has(file)) continue;
    const compiled = await compile({ entryFile: file, probeMedia: false, asSubComposition: true, signal });
    for (const diagnostic of compiled.diagnostics) if (!done.has(diagnostic.file)) out.push(diagnostic);
    for (const dependency of [file, ...compiled.composition.dependencies]) done.add(dependency);
  }
  return out;
}

/** What `check` prints for a compile-only run: the composition's written timing, not probed. */
function staticCheck(compiled: CompileResult): CheckResult {
  const { composition } = compiled;
  return {
    composition, diagnostics: compiled.diagnostics, compileMs: compiled.compileMs, probeMs: 0, probed: false, timedOut: false,
    console: [], duration: composition.duration ?? 0, frameCount: composition.frameCount,
  };
}
