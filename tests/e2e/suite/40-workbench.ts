// What a person sees in the workbench page (read through the harness's bridge): the Problems panel, opened with
// Ctrl+Shift+M, lists the probe's diagnostic at its line and column.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { press, screenshot, texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { openFixture, waitFor, waitForDiagnostic } from '../host/util';

const PROBE_TIMEOUT_MS = 45_000;
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';

export const tests: HostTest[] = [
  {
    name: 'the Problems panel lists the zero-duration diagnostic at its line',
    timeoutMs: PROBE_TIMEOUT_MS + 20_000,
    needs: 'workbench-page',
    run: async () => {
      const { document } = await openFixture('zero-duration.html');
      const diagnostic = await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      await press('Control+Shift+M');
      const where = `[Ln ${diagnostic.range.start.line + 1}, Col ${diagnostic.range.start.character + 1}]`;
      const row = await waitFor(`a Problems row for zero-duration at ${where}`, async () => {
        const rows = await texts(PROBLEM_ROWS);
        return rows.find(r => r.includes('Composition duration is 0') && r.includes(where)) ?? undefined;
      }, 15_000).catch(async error => {
        await screenshot('problems-panel');
        throw error;
      });
      assert.match(row, /hyperframes\s*\(?zero-duration\)?/, `the row names source and code: ${row}`);
      const files = await texts(PROBLEM_ROWS);
      assert.ok(files.some(r => r.includes('zero-duration.html')), 'the file is listed');
      await vscode.commands.executeCommand('workbench.action.closePanel');
    },
  },
];
