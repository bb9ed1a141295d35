// What a file in tests/e2e/suite/ exports: `export const tests: HostTest[]`. The runner (index.ts) loads every
// suite file in name order and runs its tests in order, in one VS Code window, so a test may build on the state
// the previous ones left (an open document); each must still clean up what would confuse the next file.
export interface HostTest {
  name: string;
  run: () => Promise<void>;
  /** Default DEFAULT_TEST_TIMEOUT_MS; the whole run has the harness's overall limit too. */
  timeoutMs?: number;
  /**
   * 'workbench-page': the test reads or drives the workbench page through the harness's bridge, which only
   * tests/e2e/run.mjs (code-server) provides; desktop runs (@vscode/test-cli) skip it and say so.
   */
  needs?: 'workbench-page';
}

export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
