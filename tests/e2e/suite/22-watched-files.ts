// A stylesheet is not a document the language server syncs: the client's file watcher (registered by the
// server) tells it when one changes, and the composition that links it is probed again. Saving a broken url()
// in the stylesheet brings a failed request onto the url() value in the stylesheet; saving the fix clears it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostTest } from '../host/types';
import { closeAllEditors, openFixture, replaceAndSave, waitForDiagnostic, waitForNoDiagnostic } from '../host/util';

/** A probe launches (or reuses) a browser on a loaded 2-core machine: be generous. */
const PROBE_TIMEOUT_MS = 45_000;

export const tests: HostTest[] = [
  {
    name: "saving a stylesheet re-probes the composition using it: a broken url() is reported in the stylesheet, and clears when fixed",
    timeoutMs: 3 * PROBE_TIMEOUT_MS + 10_000,
    run: async () => {
      await openFixture('styled.html');
      const { document: css } = await openFixture('styles/styled.css');
      const original = css.getText();
      const broken = original.replace('background: #123;', 'background: #123 url(missing.png);');
      await replaceAndSave(css, broken);
      try {
        const failed = await waitForDiagnostic(css.uri, 'http-error', PROBE_TIMEOUT_MS);
        const offset = broken.indexOf('missing.png');
        assert.deepEqual(
          [failed.range.start.line, failed.range.start.character, failed.range.end.line, failed.range.end.character],
          [css.positionAt(offset).line, css.positionAt(offset).character, css.positionAt(offset).line, css.positionAt(offset).character + 'missing.png'.length]);
        assert.equal(failed.severity, vscode.DiagnosticSeverity.Error);
        assert.match(failed.message, /styles\/missing\.png answered HTTP 404/);
      } finally {
        await replaceAndSave(css, original);
      }
      await waitForNoDiagnostic(css.uri, 'http-error', PROBE_TIMEOUT_MS);
      await closeAllEditors();
    },
  },
];
