// The same in-host tests under mocha, for @vscode/test-cli on desktop VS Code (.vscode-test.mjs): each suite
// file becomes a mocha suite (TDD interface), each HostTest a mocha test. Tests that need the workbench page
// (the code-server harness's bridge) are skipped there, visibly.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEST_TIMEOUT_MS, type HostTest } from './types';

interface MochaTest { timeout(ms: number): void }
declare function suite(title: string, body: () => void): void;
declare function test(title: string, body: () => Promise<void>): MochaTest;
declare namespace test { function skip(title: string): void }

const suiteDir = path.join(__dirname, process.env.E2E_SUITE ?? 'suite');
for (const file of fs.readdirSync(suiteDir).filter(f => f.endsWith('.js')).sort()) {
  const { tests } = require(path.join(suiteDir, file)) as { tests: HostTest[] };
  suite(file.replace(/\.js$/, ''), () => {
    for (const hostTest of tests) {
      if (hostTest.needs === 'workbench-page') test.skip(`${hostTest.name} (needs the code-server harness: npm run test:e2e)`);
      else test(hostTest.name, hostTest.run).timeout(hostTest.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
    }
  });
}
