// How the command line shows diagnostics: `path:line:col: severity code: message` (1-based, the format
// editors and CI annotators parse), or the JSON array of ARCHITECTURE.md "Contracts".
import path from 'node:path';
import type { EngineDiagnostic } from '../engine/model';
import type { Logger } from '../engine/logger';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: EngineDiagnostic['severity'];
  code: EngineDiagnostic['code'];
  message: string;
}

export function toJsonDiagnostic(diagnostic: EngineDiagnostic): JsonDiagnostic {
  const { start, end } = diagnostic.range;
  return {
    file: diagnostic.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
    severity: diagnostic.severity, code: diagnostic.code, message: diagnostic.message,
  };
}

/** A path as the user would type it from `cwd` (relative inside it, absolute elsewhere). */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One diagnostic; a multi-line message continues on indented lines. */
export function formatDiagnostic(diagnostic: EngineDiagnostic, cwd = process.cwd()): string {
  const { start } = diagnostic.range;
  const [first, ...rest] = diagnostic.message.split('\n');
  const head = `${displayPath(diagnostic.file, cwd)}:${start.line + 1}:${start.character + 1}: ${diagnostic.severity} ${diagnostic.code}: ${first}`;
  return [head, ...rest.map(line => `    ${line}`)].join('\n');
}

export function countBySeverity(diagnostics: readonly EngineDiagnostic[]): Record<EngineDiagnostic['severity'], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Logs to stderr (stdout stays clean for results and --json); debug/trace only when verbose. */
export function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`[${level}] ${message}\n`);
  const quiet = () => undefined;
  return {
    trace: verbose ? write('trace') : quiet,
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  };
}
