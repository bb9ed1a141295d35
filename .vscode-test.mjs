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
await compileHostTests(root);
// The tests edit and save fixtures: give them a fresh copy (with GSAP) each run.
const workspace = copyWorkspace(root, fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-e2e-desktop-')));

export default defineConfig({
  label: 'in-host tests (desktop VS Code)',
  files: path.join(root, '.tools', 'e2e', 'mocha.js'),
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  // The oldest VS Code the manifest accepts (engines.vscode), then the newest, as rust-analyzer does.
  version: process.env.VSCODE_TEST_VERSION ?? '1.91.0',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 60_000 },
});
