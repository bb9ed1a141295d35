// `node dist/cli.js check` end to end (the bundle, with puppeteer-core inside it): text and --json output,
// 1-based positions, exit codes 0/1/2, and the locator's message when Chromium is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectFromFixture, repoRoot, type TempProject } from './probeSupport';

const cli = path.join(repoRoot, 'dist/cli.js');

function check(args: string[], cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'check', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check CLI', { timeout: 180_000 }, () => {
  let project: TempProject;

  before(() => {
    if (!fs.existsSync(cli) || !fs.existsSync(path.join(repoRoot, 'dist/runtime.js'))) {
      const build = spawnSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    project = projectFromFixture('failed-requests');
  });

  after(() => project.remove());

  it('passes the bundled example with exit 0 and an empty JSON array', () => {
    const result = check(['examples/hello/index.html', '--json']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('prints path:line:col: severity code: message, 1-based and sorted, and exits 1 on errors', () => {
    const result = check(['index.html'], project.root);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    // The reference's lint findings (its codes) come with the probe's, sorted by position.
    assert.deepEqual(lines.map(line => /^\S+:\d+:\d+: \w+ [\w-]+/.exec(line)?.[0]), [
      'index.html:7:63: error http-error',
      'index.html:11:4: error missing_timeline_registry',
      'index.html:13:38: error missing_local_asset',
      'index.html:14:6: warning nested_structure_needs_subcomposition',
      'index.html:14:104: error missing_local_asset',
      'index.html:16:16: error http-error',
      'styles/theme.css:4:25: error http-error',
    ]);
    assert.equal(lines[0], 'index.html:7:63: error http-error: images/missing-backdrop.png answered HTTP 404: the file does not exist in the project.');
    assert.match(result.stderr, /6 errors, 1 warning/);
  });

  it('prints one JSON array of {file, line, column, endLine, endColumn, severity, code, message}', () => {
    const result = check([project.file('index.html'), '--json']);
    assert.equal(result.status, 1);
    const diagnostics = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.equal(diagnostics.length, 7);
    const backdrop = diagnostics.find(d => d.code === 'http-error' && d.file === project.file('index.html'));
    assert.ok(backdrop);
    assert.deepEqual(Object.keys(backdrop).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    assert.deepEqual([backdrop.file, backdrop.line, backdrop.column, backdrop.endLine, backdrop.endColumn, backdrop.severity],
      [project.file('index.html'), 7, 63, 7, 90, 'error']);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(check([]).status, 2);
    assert.equal(check(['a.html', 'b.html']).status, 2);
    assert.equal(check(['examples/hello/index.html', '--timeout', '0']).status, 2);
    assert.equal(check(['examples/hello/index.html', '--frobnicate']).status, 2);
    const missing = check(['no/such/entry.html']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file/);
  });

  it("prints the locator's message when Chromium is missing", () => {
    const result = check(['examples/hello/index.html', '--chromium', '/nonexistent/chromium']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /error browser-unavailable: .*Chromium not found at "\/nonexistent\/chromium"/);
  });
});
