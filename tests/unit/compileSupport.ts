// Shared helpers for the compile stage's tests: diagnostics in a compact, exact form.
import path from 'node:path';
import type { EngineDiagnostic } from '../../server/engine/model';

export const FIXTURES = path.resolve(__dirname, '../fixtures/compile');

/** "index.html 4:61-4:64 error invalid-number" — file name, 0-based range, severity and code. */
export function brief(diagnostic: EngineDiagnostic): string {
  const { start, end } = diagnostic.range;
  return `${path.basename(diagnostic.file)} ${start.line}:${start.character}-${end.line}:${end.character} ${diagnostic.severity} ${diagnostic.code}`;
}

export function withCode(diagnostics: readonly EngineDiagnostic[], code: EngineDiagnostic['code']): EngineDiagnostic[] {
  return diagnostics.filter(diagnostic => diagnostic.code === code);
}
