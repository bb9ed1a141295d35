#!/usr/bin/env node
// Runs the test suites with Node's test runner through tsx (TypeScript without a build step).
// usage: node scripts/run-tests.mjs [unit|integration|lsp|e2e ...]   (no argument: every suite, e2e last)
// The integration, LSP and e2e suites need dist/ (npm run build) and the system tools setup.sh installs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const all = ['unit', 'integration', 'lsp', 'e2e'];
const suites = process.argv.slice(2).length ? process.argv.slice(2) : all;

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter(f => /\.test\.(ts|mjs|js)$/.test(f))
    .map(f => path.join(dir, f))
    .sort();
}

let failed = false;
for (const suite of suites) {
  const started = Date.now();
  let result;
  if (suite === 'e2e') {
    result = spawnSync(process.execPath, [path.join(root, 'tests/e2e/run.mjs')], { stdio: 'inherit', cwd: root });
  } else {
    const files = testFiles(path.join(root, 'tests', suite));
    if (files.length === 0) { console.log(`[tests] ${suite}: no test files`); continue; }
    // Integration suites start browsers and ffmpeg: run files one at a time on 2 cores.
    const concurrency = suite === 'unit' ? [] : ['--test-concurrency=1'];
    result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...concurrency, ...files],
      { stdio: 'inherit', cwd: root });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[tests] ${suite}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
