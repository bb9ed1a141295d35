// The extension activates, starts its language server only once a composition is opened, and its commands run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { HostTest } from '../host/types';
import { assertServerUp, EXTENSION_ID, extensionApi, openFixture, waitFor, WaitAbortedError } from '../host/util';
import type { EnvironmentReport } from '../../../extension/environment';

/** What tests/e2e/workspace/index.html prints on the page's console. */
const PAGE_SAYS = 'hyperframes e2e: the page says hello';
/** Long enough for a wrongly eager start to show; the lazy start must not happen in it. */
const NO_START_WINDOW_MS = 1500;

export const tests: HostTest[] = [
  {
    name: 'activates, and the language server waits for a composition',
    run: async () => {
      const api = await extensionApi();
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      if (process.env.E2E_FROM_VSIX === '1') {
        // `run.mjs --vsix`: the extension under test is the one the .vsix installed, not the checkout.
        assert.match(extension?.extensionPath ?? '', /\/extensions\/hyperframes-live\.hyperframes-live-/);
      }
      assert.equal(api.serverPhase, 'not-started', 'no composition is open yet');
      await openFixture('plain.html');
      await new Promise(resolve => setTimeout(resolve, NO_START_WINDOW_MS));
      assert.equal(api.serverPhase, 'not-started', 'an ordinary HTML page does not start the server');
    },
  },
  {
    name: 'opening a composition starts the language server',
    run: async () => {
      const api = await extensionApi();
      await openFixture('index.html');
      await waitFor('the language server to run', () => {
        if (api.serverPhase === 'stopped') throw new WaitAbortedError('the language server stopped');
        return api.serverPhase === 'running' ? true : undefined;
      }, 30_000);
    },
  },
  {
    name: 'the probe\'s page console reaches the "Page Console" output channel',
    timeoutMs: 60_000,
    run: async () => {
      const api = await extensionApi();
      // A LogOutputChannel writes to a file in the extension's log folder, named after the channel.
      const logFile = await waitFor('the page console log file', () => {
        const folder = api.logUri.fsPath;
        const name = fs.existsSync(folder) ? fs.readdirSync(folder).find(f => f.includes('Page Console')) : undefined;
        return name ? path.join(folder, name) : undefined;
      });
      const text = await waitFor('the page\'s console.log line', async () => {
        await assertServerUp();
        const content = fs.readFileSync(logFile, 'utf8');
        return content.includes(PAGE_SAYS) ? content : undefined;
      }, 45_000);
      assert.match(text, /probe of index\.html/, 'the section names the probed composition');
    },
  },
  {
    name: 'Check Environment reports the Chromium and ffmpeg this machine has',
    run: async () => {
      const report = await vscode.commands.executeCommand<EnvironmentReport>('hyperframesLive.checkEnvironment');
      assert.ok(report, 'the command returns its report');
      assert.equal(report.chromium.found, true, report.chromium.error);
      assert.ok(report.chromium.path && fs.existsSync(report.chromium.path), `Chromium path exists: ${report.chromium.path}`);
      assert.match(report.chromium.version ?? '', /Chrom(e|ium)/);
      assert.equal(report.ffmpeg.found, true, report.ffmpeg.error);
      assert.match(report.ffmpeg.version ?? '', /^ffmpeg version /);
      assert.equal(report.ffprobe.found, true, report.ffprobe.error);
      assert.equal(report.trusted, true, 'the harness trusts the fixture workspace');
      assert.doesNotMatch(report.serverVersion, /server not running/, 'the running language server answered');
    },
  },
  {
    name: 'every contributed command is registered',
    run: async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const manifest = vscode.extensions.getExtension('hyperframes-live.hyperframes-live')?.packageJSON as
        { contributes?: { commands?: { command: string }[] } } | undefined;
      const contributed = manifest?.contributes?.commands?.map(c => c.command) ?? [];
      assert.ok(contributed.length > 0, 'the manifest contributes commands');
      assert.deepEqual(contributed.filter(id => !registered.has(id)), [], 'contributed but not registered');
    },
  },
];
