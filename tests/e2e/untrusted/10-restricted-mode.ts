// Restricted mode (the workspace is not trusted): static diagnostics run, probing does not (it would run the
// composition's scripts), and the status item and Check Environment say so.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentReport } from '../../../extension/environment';
import type { HostTest } from '../host/types';
import { codeOf, extensionApi, hyperframesDiagnostics, openFixture, replaceAndSave, waitFor, waitForDiagnostic } from '../host/util';

/**
 * A trusted run reports the zero duration within about a second of opening or saving (see suite/20-diagnostics);
 * here nothing may arrive in several times that.
 */
const NO_PROBE_WINDOW_MS = 6000;
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export const tests: HostTest[] = [
  {
    name: 'the workspace is not trusted',
    run: async () => {
      assert.equal(vscode.workspace.isTrusted, false, 'the harness opens this phase in restricted mode');
    },
  },
  {
    name: 'static diagnostics still run',
    run: async () => {
      const { document } = await openFixture('broken-reference.html');
      const diagnostic = await waitForDiagnostic(document.uri, 'unknown-start-reference');
      assert.equal(document.getText(diagnostic.range), 'titel');
    },
  },
  {
    name: 'no probe runs on open or on save, and the status item says why',
    timeoutMs: 2 * NO_PROBE_WINDOW_MS + 20_000,
    run: async () => {
      const api = await extensionApi();
      const { document } = await openFixture('zero-duration.html');
      await waitFor('the status item to say probing is off', () => (api.statusText === 'HyperFrames: static checks only' ? true : undefined));
      await sleep(NO_PROBE_WINDOW_MS);
      assert.deepEqual(hyperframesDiagnostics(document.uri).map(codeOf).filter(c => c === 'zero-duration'), [], 'no probe on open');
      await replaceAndSave(document, document.getText().replace('Nothing sets a duration', 'Still nothing sets a duration'));
      await sleep(NO_PROBE_WINDOW_MS);
      assert.deepEqual(hyperframesDiagnostics(document.uri).map(codeOf).filter(c => c === 'zero-duration'), [], 'no probe on save');
      assert.equal(api.statusText, 'HyperFrames: static checks only');
    },
  },
  {
    name: 'Check Environment reports the workspace as untrusted',
    run: async () => {
      const report = await vscode.commands.executeCommand<EnvironmentReport>('hyperframesLive.checkEnvironment');
      assert.equal(report.trusted, false);
      assert.equal(report.chromium.found, true, 'the locators still run (they execute nothing from the workspace)');
    },
  },
];
