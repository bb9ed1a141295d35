// Shared helpers for the compile stage's tests: diagnostics in a compact, exact form.
import path from 'node:path';
import { isLintCode } from '../../server/engine/compile/lint/codes';
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

/**
 * The compile stage's own findings, without the reference's lint rules (lint-rules.test.ts covers those):
 * for tests about timing, paths or scale, whose fixtures need no timeline and do not care about one.
 */
export function compileFindings(diagnostics: readonly EngineDiagnostic[]): EngineDiagnostic[] {
  return diagnostics.filter(diagnostic => !isLintCode(diagnostic.code));
}
