// The extensionTestsPath module: VS Code calls run() inside the extension host once the window is up, and turns
// its outcome into the harness's exit code (resolve = 0, reject = 1). Runs every bundled suite file (compiled
// from tests/e2e/suite/ into ./suite/ beside this file, or the folder $E2E_SUITE names) in name order and reports each test on the console,
// which the workbench forwards to the harness. $E2E_GREP keeps only tests whose "file › name" matches.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { screenshot } from './bridge';
import { DEFAULT_TEST_TIMEOUT_MS, type HostTest } from './types';

/** Lines the harness shows on its console start with this; the rest of the workbench's console goes to a log file. */
const REPORT_PREFIX = '[host]';
const report = (line: string): void => console.log(`${REPORT_PREFIX} ${line}`);
const reportFailure = (line: string): void => console.error(`${REPORT_PREFIX} ${line}`);

class TestTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`"${name}" did not finish within ${ms} ms`);
    this.name = 'TestTimeoutError';
  }
}

async function runOne(test: HostTest): Promise<void> {
  const ms = test.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      test.run(),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new TestTimeoutError(test.name, ms)), ms); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function run(): Promise<void> {
  // Which folder of tests this phase runs (tests/e2e/run.mjs sets it; the trusted suite by default).
  const suiteDir = path.join(__dirname, process.env.E2E_SUITE ?? 'suite');
  const files = fs.readdirSync(suiteDir).filter(f => f.endsWith('.js')).sort();
  const grep = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : undefined;
  report(`running ${files.length} suite file(s) from ${path.basename(suiteDir)}/ in VS Code ${vscode.version}`);
  const failures: string[] = [];
  let passed = 0;
  const started = Date.now();
  for (const file of files) {
    const suite = require(path.join(suiteDir, file)) as { tests?: HostTest[] };
    if (!Array.isArray(suite.tests)) {
      failures.push(`${file}: exports no \`tests\` array`);
      reportFailure(`✗ ${file}: exports no \`tests\` array`);
      continue;
    }
    for (const test of suite.tests) {
      const title = `${file.replace(/\.js$/, '')} › ${test.name}`;
      if (grep && !grep.test(title)) continue;
      if (test.needs === 'workbench-page' && !process.env.HYPERFRAMES_E2E_BRIDGE) {
        failures.push(`${title}: needs the workbench page (run through tests/e2e/run.mjs)`);
        reportFailure(`✗ ${title}: needs the workbench page (run through tests/e2e/run.mjs)`);
        continue;
      }
      const testStarted = Date.now();
      try {
        await runOne(test);
        passed++;
        report(`✓ ${title} (${Date.now() - testStarted} ms)`);
      } catch (error) {
        failures.push(title);
        reportFailure(`✗ ${title} (${Date.now() - testStarted} ms)\n${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        await screenshot(`failed-${title}`).catch(() => undefined);
      }
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  report(`${passed} passed, ${failures.length} failed in ${seconds} s`);
  if (failures.length > 0) throw new Error(`end-to-end tests failed:\n  ${failures.join('\n  ')}`);
}
