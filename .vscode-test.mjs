// @vscode/test-cli configuration: the same in-host tests (tests/e2e/suite/*) on desktop VS Code, wherever
// `npx vscode-test` can download VS Code (it cannot on this project's offline build machines, where
// `npm run test:e2e` runs them in code-server instead). @vscode/test-cli and mocha are not dependencies of this
// project: install them where you use this (`npm i -D @vscode/test-cli@0.0.15 mocha`), and run `npm run build`
// first. Tests that read the workbench page through the code-server harness are skipped here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@vscode/test-cli';
import { compileHostTests, copyWorkspace } from './tests/e2e/harness/prepare.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
await compileHostTests(root, path.join(root, '.tools', 'e2e'));
// The tests edit and save fixtures: give them fresh copies (with GSAP) each run.
const workspace = copyWorkspace(root, fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-e2e-desktop-')));

const untrustedWorkspace = copyWorkspace(root, fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-e2e-desktop-untrusted-')));
const common = {
  files: path.join(root, '.tools', 'e2e', 'mocha.js'),
  extensionDevelopmentPath: root,
  // The oldest VS Code the manifest accepts (engines.vscode) by default; VSCODE_TEST_VERSION=stable for the newest.
  version: process.env.VSCODE_TEST_VERSION ?? '1.91.0',
  mocha: { ui: 'tdd', timeout: 60_000 },
};

export default defineConfig([
  { ...common, label: 'trusted', workspaceFolder: workspace, launchArgs: ['--disable-extensions', '--disable-workspace-trust'] },
  // Trust stays on: the prompt is refused in test mode, so the folder opens in restricted mode.
  { ...common, label: 'untrusted', workspaceFolder: untrustedWorkspace, launchArgs: ['--disable-extensions'], env: { E2E_SUITE: 'untrusted' } },
]);
