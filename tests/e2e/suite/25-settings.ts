// Settings take effect without a reload: the client pushes them to the running server (and Check Environment
// reads them at once). A Chromium path that does not exist makes the status item say "Chromium not found";
// turning probing off clears what the browser reported.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentReport } from '../../../extension/environment';
import type { HostTest } from '../host/types';
import { extensionApi, openFixture, waitFor, waitForDiagnostic, waitForNoDiagnostic } from '../host/util';

const PROBE_TIMEOUT_MS = 45_000;
const MISSING_CHROMIUM = '/nonexistent/hyperframes-e2e/chromium';

const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('hyperframesLive');

async function statusBecomes(text: string): Promise<void> {
  const api = await extensionApi();
  await waitFor(`the status item to read "${text}" (now "${api.statusText}")`, () => (api.statusText === text ? true : undefined), PROBE_TIMEOUT_MS);
}

export const tests: HostTest[] = [
  {
    name: 'a Chromium path that does not exist is reported at once, and fixing it recovers',
    timeoutMs: 3 * PROBE_TIMEOUT_MS,
    run: async () => {
      const { document } = await openFixture('zero-duration.html');
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      // chromiumPath is machine-scoped: it lives in (remote) user settings, never in the workspace's.
      await settings().update('chromiumPath', MISSING_CHROMIUM, vscode.ConfigurationTarget.Global);
      try {
        await statusBecomes('HyperFrames: Chromium not found');
        const unavailable = await waitForDiagnostic(document.uri, 'browser-unavailable', PROBE_TIMEOUT_MS);
        assert.match(unavailable.message, new RegExp(MISSING_CHROMIUM.replace(/[/.-]/g, '\\$&')));
        const report = await vscode.commands.executeCommand<EnvironmentReport>('hyperframesLive.checkEnvironment');
        assert.equal(report.chromium.found, false);
        assert.match(report.chromium.error ?? '', /nonexistent/, 'says which path was tried');
      } finally {
        await settings().update('chromiumPath', undefined, vscode.ConfigurationTarget.Global);
      }
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      await waitForNoDiagnostic(document.uri, 'browser-unavailable', PROBE_TIMEOUT_MS);
      const report = await vscode.commands.executeCommand<EnvironmentReport>('hyperframesLive.checkEnvironment');
      assert.equal(report.chromium.found, true, report.chromium.error);
    },
  },
  {
    name: 'turning probeOnSave off drops the probe\'s diagnostics and says so; on again brings them back',
    timeoutMs: 3 * PROBE_TIMEOUT_MS,
    run: async () => {
      const { document } = await openFixture('zero-duration.html');
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      await settings().update('probeOnSave', false, vscode.ConfigurationTarget.Workspace);
      try {
        await statusBecomes('HyperFrames: static checks only');
        await waitForNoDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
      } finally {
        await settings().update('probeOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitForDiagnostic(document.uri, 'zero-duration', PROBE_TIMEOUT_MS);
    },
  },
];
