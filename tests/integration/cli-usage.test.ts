// What the CLI says about itself and what it takes as an entry (dist/cli.js): --help per command with every
// flag and the exit codes, --version from package.json, one-line usage errors, a project folder as the entry
// (hyperframes.json's entry and name), one message and exit code for a missing entry in check and render,
// and a missing ffmpeg named as the tool (never as a failed stage, never by a VS Code setting).
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { basicProject } from '../fixtures/render/compositions';
import { probeStreams, removeProject } from '../fixtures/render/helpers';

const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
const TIMEOUT = 120_000;

function cli(args: string[], options: SpawnSyncOptions = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: TIMEOUT, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('CLI usage and entries', { timeout: TIMEOUT * 3 }, () => {
  let project: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js exists (npm run build)');
    project = basicProject();
  });
  after(() => removeProject(project));

  test('render --help and check --help print their usage with every flag and the exit codes; exit 0', () => {
    const render = cli(['render', '--help']);
    assert.equal(render.status, 0, render.stderr);
    for (const flag of ['--output', '--format', '--quality', '--fps', '--from', '--to', '--workers', '--transparent', '--hdr', '--sdr',
      '--strict', '--allow-errors', '--chromium', '--ffmpeg', '--json', '--verbose', '--help',
      '--crf', '--video-bitrate', '--scale', '--resolution', '--gif-loop', '--hls-segment-seconds',
      '--variables', '--variables-file', '--strict-variables', '--batch', '--batch-concurrency', '--batch-fail-fast']) {
      assert.match(render.stdout, new RegExp(`^\\s+(-\\w, )?${flag}\\b.*\\S`, 'm'), `render --help describes ${flag}`);
    }
    const check = cli(['check', '-h']);
    assert.equal(check.status, 0, check.stderr);
    for (const flag of ['--json', '--no-probe', '--chromium', '--timeout', '--verbose', '--help']) {
      assert.match(check.stdout, new RegExp(`^\\s+(-\\w, )?${flag}\\b.*\\S`, 'm'), `check --help describes ${flag}`);
    }
    const top = cli(['--help']);
    assert.equal(top.status, 0);
    for (const text of ['--transparent', '--from SECONDS', '--to SECONDS', '--ffmpeg PATH', '--allow-errors', '--strict', '--hdr', '--sdr', '--no-probe']) {
      assert.ok(top.stdout.includes(text), `the top-level usage lists ${text}`);
    }
    for (const code of ['0', '1', '2', '130']) assert.match(top.stdout, new RegExp(`^\\s+${code}\\s+\\S`, 'm'), `exit code ${code} described`);
    assert.doesNotMatch(top.stdout + render.stdout + check.stdout, /hyperframesLive\./, 'no VS Code setting in the CLI usage');
  });

  test('--version prints the package version', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const result = cli(['--version']);
    assert.equal(result.status, 0);
    assert.equal(result.stdout.trim(), version);
  });

  test('a usage error is one line and a pointer to --help, not the whole usage', () => {
    for (const [command, args] of [['render', ['render', 'index.html', '--bogus']], ['check', ['check']], [undefined, ['frobnicate']]] as const) {
      const result = cli([...args], { cwd: project });
      assert.equal(result.status, 2, args.join(' '));
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(lines[1], `Run \`hyperframes-live${command ? ` ${command}` : ''} --help\` for usage.`);
      assert.doesNotMatch(result.stderr, /usage:/);
    }
  });

  test('a missing entry: check and render say the same message and exit 2', () => {
    const render = cli(['render', 'missing.html'], { cwd: project });
    const check = cli(['check', 'missing.html'], { cwd: project });
    assert.equal(render.status, 2);
    assert.equal(check.status, 2);
    const message = (stderr: string) => stderr.split('\n')[0].replace(/^hyperframes-live \w+: /, '');
    assert.equal(message(render.stderr), 'missing.html: no such file or folder.');
    assert.equal(message(check.stderr), message(render.stderr));
    const empty = fs.mkdtempSync(path.join(project, 'empty-'));
    const noIndex = cli(['render', empty]);
    assert.equal(noIndex.status, 2);
    assert.match(noIndex.stderr, /a folder without index\.html/);
    assert.doesNotMatch(noIndex.stderr, /EISDIR/);
  });

  test('a missing ffmpeg is named as the tool with how to install it, not as a failed compile', () => {
    const given = cli(['render', path.join(project, 'index.html'), '--ffmpeg', '/nonexistent/ffmpeg']);
    assert.equal(given.status, 1);
    assert.match(given.stderr, /^hyperframes-live render: ffmpeg not found at "\/nonexistent\/ffmpeg"/m);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    delete env.HYPERFRAMES_FFMPEG;
    const absent = cli(['render', path.join(project, 'index.html')], { env });
    assert.equal(absent.status, 1);
    assert.match(absent.stderr, /ffmpeg was not found\. Install it \(Debian\/Ubuntu: `sudo apt-get install ffmpeg`/);
    assert.match(absent.stderr, /--ffmpeg PATH/);
    for (const stderr of [given.stderr, absent.stderr]) {
      assert.doesNotMatch(stderr, /failed in compile/);
      assert.doesNotMatch(stderr, /hyperframesLive\./);
    }
  });

  test('render . takes index.html and names the output from the composition id', () => {
    const result = cli(['render', '.', '--quality', 'draft'], { cwd: project });
    assert.equal(result.status, 0, result.stderr);
    const output = path.join(project, 'renders', 'main.mp4');
    assert.ok(fs.existsSync(output), `${output} written (${fs.readdirSync(path.join(project, 'renders')).join(', ')})`);
    assert.equal(probeStreams(output).video?.nb_read_frames, '30');
  });

  test('render <folder> takes hyperframes.json\'s entry and name', () => {
    const folder = basicProject();
    fs.renameSync(path.join(folder, 'index.html'), path.join(folder, 'scene.html'));
    fs.writeFileSync(path.join(folder, 'hyperframes.json'), JSON.stringify({ entry: 'scene.html', name: 'promo' }));
    const result = cli(['render', folder, '--quality', 'draft', '--from', '0.5']);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(folder, 'renders', 'promo-0.5s-end.mp4')), fs.readdirSync(folder, { recursive: true }).join(', '));
    const check = cli(['check', folder, '--no-probe']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stderr, /^scene\.html \(main\)/);
    removeProject(folder);
  });
});
