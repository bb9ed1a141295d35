// When the language server dies, the client restarts it and diagnostics keep coming. Runs last: it kills the
// server the earlier suites used.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostTest } from '../host/types';
import { extensionApi, openFixture, waitFor, waitForDiagnostic, waitForNoDiagnostic } from '../host/util';
import { allProcesses } from '../../support/processes';

/** Child processes of this extension host whose command line runs the language server bundle (Linux /proc). */
function languageServerPids(): number[] {
  return allProcesses()
    .filter(p => p.ppid === process.pid && p.state !== 'Z' && /dist\/server\.js(\s|$)/.test(p.command))
    .map(p => p.pid);
}

export const tests: HostTest[] = [
  {
    name: 'a killed language server is restarted and diagnostics come back',
    timeoutMs: 90_000,
    run: async () => {
      const api = await extensionApi();
      assert.equal(api.serverPhase, 'running');
      const startsBefore = api.serverStarts;
      const [pid, ...others] = languageServerPids();
      assert.ok(pid !== undefined && others.length === 0, `one language server runs under this extension host (found ${[pid, ...others].join(', ')})`);
      process.kill(pid, 'SIGKILL');
      await waitFor('the client to restart the server', () => (api.serverStarts > startsBefore && api.serverPhase === 'running' ? true : undefined), 60_000);
      const [restarted] = languageServerPids();
      assert.ok(restarted !== undefined && restarted !== pid, 'a new server process runs');

      // The new server works: a fault typed now is reported, and clears when undone.
      const { document } = await openFixture('broken-reference.html');
      const line = document.getText().indexOf('data-start="title"', document.getText().indexOf('id="subtitle"'));
      assert.ok(line >= 0, 'the fixture holds the fixed reference from the quick-fix test');
      const valueStart = document.positionAt(line + 'data-start="'.length);
      const edit = new vscode.WorkspaceEdit();
      // A near miss of an id (an unrelated word is an invalid value instead).
      edit.replace(document.uri, new vscode.Range(valueStart, valueStart.translate(0, 'title'.length)), 'titl');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostic(document.uri, 'unknown-start-reference');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForNoDiagnostic(document.uri, 'unknown-start-reference');
    },
  },
];
