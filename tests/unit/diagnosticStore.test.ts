// The language server's diagnostic store: a probe finding that restates a static one (a 404 on the src compile
// already reported missing) is published and counted once; other probe findings stay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { EngineDiagnostic } from '../../server/engine/model';
import { DiagnosticStore } from '../../server/lsp/diagnosticStore';

const FILE = '/project/index.html';

function diagnostic(code: EngineDiagnostic['code'], line: number, message: string): EngineDiagnostic {
  return { file: FILE, range: { start: { line, character: 10 }, end: { line, character: 25 } }, severity: 'error', code, message };
}

test('a probe 404 on the range of a static missing_local_asset is published and counted once', () => {
  const published: Diagnostic[][] = [];
  const store = new DiagnosticStore((_file, diagnostics) => published.push(diagnostics));
  const versions = new Map([[FILE, 3]]);
  store.set(FILE, 'static', [diagnostic('missing_local_asset', 4, 'assets/logo.png does not exist.')], versions);
  store.set(FILE, 'probe', [
    diagnostic('http-error', 4, 'assets/logo.png answered HTTP 404.'),
    diagnostic('http-error', 7, 'styles/gone.png answered HTTP 404.'),
  ], versions);
  assert.deepEqual(published.at(-1)!.map(d => [d.code, d.range.start.line]), [['missing_local_asset', 4], ['http-error', 7]]);
  assert.deepEqual(store.problemCount(), { errors: 2, warnings: 0 });
  assert.deepEqual(store.entryDiagnostics(FILE).map(d => d.code), ['missing_local_asset', 'http-error']);
});
