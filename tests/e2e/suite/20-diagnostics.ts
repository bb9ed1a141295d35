// Diagnostics in the editor: static ones as you type (exact range, code, severity) that clear when fixed, a
// quick fix offered and applied, and the browser probe's ones on open and on save, which clear after a fix.
// These fail when the language server does not start: nothing else publishes "hyperframes" diagnostics.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostTest } from '../host/types';
import {
  closeAllEditors, codeOf, extensionApi, fixtureUri, hyperframesDiagnostics, openFixture, replaceAndSave,
  waitFor, waitForDiagnostic, waitForNoDiagnostic,
} from '../host/util';

/** A probe launches (or reuses) a browser on a loaded 2-core machine: be generous. */
const PROBE_TIMEOUT_MS = 45_000;

/** The range of the first `needle` in the document (0-based, like vscode.Range). */
function rangeOf(document: vscode.TextDocument, needle: string, from = 0): vscode.Range {
  const offset = document.getText().indexOf(needle, from);
  assert.ok(offset >= 0, `"${needle}" is in ${document.fileName}`);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + needle.length));
}

function assertRange(actual: vscode.Range, expected: vscode.Range, what: string): void {
  const show = (r: vscode.Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  assert.equal(show(actual), show(expected), `${what} range`);
}

async function editText(document: vscode.TextDocument, range: vscode.Range, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
}

export const tests: HostTest[] = [
  {
    name: 'an unknown relative start is reported as you type, on its exact range',
    run: async () => {
      const { document } = await openFixture('broken-reference.html');
      const diagnostic = await waitForDiagnostic(document.uri, 'unknown-start-reference');
      assertRange(diagnostic.range, rangeOf(document, 'titel'), 'unknown-start-reference');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostic.message, /titel/);
    },
  },
  {
    name: 'the diagnostic clears when the reference is fixed, without saving',
    run: async () => {
      const { document } = await openFixture('broken-reference.html');
      await waitForDiagnostic(document.uri, 'unknown-start-reference');
      await editText(document, rangeOf(document, 'titel'), 'title');
      await waitForNoDiagnostic(document.uri, 'unknown-start-reference');
      assert.ok(document.isDirty, 'static diagnostics follow the unsaved text');
      // Break it again for the quick-fix test: it must come back as you type too.
      await editText(document, rangeOf(document, 'data-start="title"', document.getText().indexOf('id="subtitle"')), 'data-start="titel"');
      await waitForDiagnostic(document.uri, 'unknown-start-reference');
    },
  },
  {
    name: 'a quick fix replaces the unknown reference with the nearest id, and the diagnostic clears',
    run: async () => {
      const { document } = await openFixture('broken-reference.html');
      const diagnostic = await waitForDiagnostic(document.uri, 'unknown-start-reference');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find(a => a.title.includes('"title"'));
      assert.ok(fix?.edit, `a quick fix naming "title" is offered (got: ${actions.map(a => a.title).join(' | ') || 'none'})`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the quick fix applies');
      assert.match(document.lineAt(diagnostic.range.start.line).text, /id="subtitle"[^>]*data-start="title"/);
      await waitForNoDiagnostic(document.uri, 'unknown-start-reference');
      assert.ok(await document.save(), 'saves');
    },
  },
  {
    name: 'the browser probe reports a zero duration on open, at the root element',
    timeoutMs: PROBE_TIMEOUT_MS + 10_000,
    run: async () => {
      const { document } = await openFixture('zero-duration.html');
      const diagnostic = await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      const tagStart = document.getText().indexOf('<div id="stage"');
      const tagEnd = document.getText().indexOf('>', tagStart) + 1;
      assertRange(diagnostic.range, new vscode.Range(document.positionAt(tagStart), document.positionAt(tagEnd)), 'zero-duration');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostic.message, /Composition duration is 0/);
      const api = await extensionApi();
      await waitFor('the status item to count the problem', () => (/problem/.test(api.statusText) ? true : undefined), PROBE_TIMEOUT_MS);
    },
  },
  {
    name: 'saving a fix clears the probe diagnostic; saving the fault again brings it back',
    timeoutMs: 2 * PROBE_TIMEOUT_MS + 10_000,
    run: async () => {
      const { document } = await openFixture('zero-duration.html');
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      const broken = document.getText();
      await replaceAndSave(document, broken.replace('data-fps="30">', 'data-fps="30" data-duration="2">'));
      await waitForNoDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      // The fault comes back only through a probe on save: the static compile cannot see a zero duration.
      await replaceAndSave(document, broken);
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
    },
  },
  {
    name: 'a composition without problems has no diagnostics after its probe, and ordinary HTML stays silent',
    timeoutMs: PROBE_TIMEOUT_MS + 10_000,
    run: async () => {
      const { document } = await openFixture('index.html');
      await (await openFixture('plain.html')).document.save();
      const api = await extensionApi();
      await waitFor('the probe of index.html to finish', () => (/probing/.test(api.statusText) ? undefined : true), PROBE_TIMEOUT_MS);
      assert.deepEqual(hyperframesDiagnostics(document.uri).map(codeOf), [], 'index.html is clean');
      assert.deepEqual(hyperframesDiagnostics(fixtureUri('plain.html')).map(codeOf), [], 'plain.html is not a composition');
      await closeAllEditors();
    },
  },
];
