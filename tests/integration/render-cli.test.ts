// The `render` command (dist/cli.js) and the render worker process (dist/render-worker.js): exit codes,
// --json events, Ctrl+C and SIGTERM, cancel through the worker client, and a worker that crashes mid-render
// (its browsers lead process groups of their own: the client must kill them and remove the partial output).
// Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startRenderWorker } from '../../server/engine/render/workerClient';
import { RenderCancelledError } from '../../server/engine/errors';
import { basicProject } from '../fixtures/render/compositions';
import { leftovers, probeStreams, removeProject } from '../fixtures/render/helpers';
import { descendants, waitUntilGone } from '../support/processes';

const TIMEOUT = 120_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
const WORKER = path.join(repoRoot, 'dist/render-worker.js');

/** The browsers' profile folders (--user-data-dir) among `pids`: temporary, and must not outlive a render. */
function profileFolders(pids: number[]): string[] {
  const folders = new Set<string>();
  for (const pid of pids) {
    try {
      const arg = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').find(a => a.startsWith('--user-data-dir='));
      if (arg) folders.add(arg.slice('--user-data-dir='.length));
    } catch {
      // Gone meanwhile.
    }
  }
  return [...folders];
}


describe('render CLI', { timeout: TIMEOUT }, () => {
  let project: string;
  let longProject: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js exists (npm run build)');
    project = basicProject();
    longProject = basicProject({ duration: 10 });
  });
  after(() => { removeProject(project); removeProject(longProject); });

  test('--json: one JSON object per line, progress then the result; exit 0', () => {
    const output = path.join(project, 'cli.mp4');
    const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '-o', output, '--json', '--quality', 'draft'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout.trim().split('\n').map(line => JSON.parse(line) as { event: string; stage?: string; frame?: number; frames?: number; timings?: Record<string, number> });
    const last = events[events.length - 1];
    assert.equal(last.event, 'result');
    assert.equal(last.frames, 30);
    assert.ok(last.timings && typeof last.timings.captureMs === 'number');
    assert.ok(events.some(e => e.event === 'progress' && e.stage === 'capture' && e.frame === 30));
    assert.equal(Number(probeStreams(output).video?.nb_read_frames), 30);
  });

  test('default output: renders/<folder>.mp4 beside the composition, with a summary', () => {
    const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--quality', 'draft'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const expected = path.join(project, 'renders', `${path.basename(project)}.mp4`);
    assert.ok(fs.existsSync(expected));
    assert.match(run.stdout, /Rendered .*\.mp4/);
    assert.match(run.stdout, /30 frames at 30 fps/);
    assert.match(run.stdout, /capture \d+ ms/);
  });

  test('usage errors (a missing entry included) exit 2', () => {
    const badQuality = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--quality', 'ultra'], { encoding: 'utf8' });
    assert.equal(badQuality.status, 2);
    assert.match(badQuality.stderr, /--quality must be one of draft, standard, high/);
    assert.equal(spawnSync(process.execPath, [CLI, 'render'], { encoding: 'utf8' }).status, 2);
    assert.equal(spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--workers', '0'], { encoding: 'utf8' }).status, 2);
    const missing = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'missing.html')], { encoding: 'utf8' });
    assert.equal(missing.status, 2, 'a missing entry is a usage error, as in check');
    assert.match(missing.stderr, /missing\.html: no such file or folder\./);
  });

  test('Ctrl+C cancels: exit 130, no output, no partial file, no process left', async () => {
    const output = path.join(longProject, 'interrupted.mp4');
    const child = spawn(process.execPath, [CLI, 'render', path.join(longProject, 'index.html'), '-o', output, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen: number[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      if (seen.length === 0 && /"frame":([5-9]|\d\d)/.test(buffered)) {
        seen = descendants(child.pid!);
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    assert.equal(code, 130);
    assert.ok(seen.length >= 2, `processes seen while rendering: ${seen.length}`);
    assert.deepEqual(await waitUntilGone(seen), []);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(longProject), []);
  });

  test('SIGTERM cancels the same way: exit 130, no output, no process, no browser profile left', async () => {
    const output = path.join(longProject, 'terminated.mp4');
    const child = spawn(process.execPath, [CLI, 'render', path.join(longProject, 'index.html'), '-o', output, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen: number[] = [];
    let profiles: string[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      if (seen.length === 0 && /"frame":([5-9]|\d\d)/.test(buffered)) {
        seen = descendants(child.pid!);
        profiles = profileFolders(seen);
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    assert.equal(code, 130);
    assert.ok(seen.length >= 2 && profiles.length >= 1, `processes ${seen.length}, profiles ${profiles.length}`);
    assert.deepEqual(await waitUntilGone(seen), []);
    assert.deepEqual(profiles.filter(folder => fs.existsSync(folder)), []);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(longProject), []);
  });

  test('--from/--to render that part: frames and duration of the range, named after it by default', () => {
    const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--from', '0.2', '--to', '0.6', '--quality', 'draft'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const expected = path.join(project, 'renders', `${path.basename(project)}-0.2s-0.6s.mp4`);
    const { video, formatDuration } = probeStreams(expected);
    assert.equal(Number(video?.nb_read_frames), 12);
    assert.ok(Math.abs(formatDuration - 0.4) < 0.02, `duration ${formatDuration}`);
    assert.match(run.stdout, /12 frames at 30 fps .*0\.20–0\.60 s of the composition/);
    const inverted = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--from', '0.6', '--to', '0.2'], { encoding: 'utf8' });
    assert.equal(inverted.status, 2);
    assert.match(inverted.stderr, /--to must be after --from/);
  });
});

describe('render worker process', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    assert.ok(fs.existsSync(WORKER), 'dist/render-worker.js exists (npm run build)');
    project = basicProject({ duration: 10 });
  });
  after(() => removeProject(project));

  test('renders over IPC with progress events', async () => {
    const output = path.join(project, 'worker.mp4');
    let frames = 0;
    const handle = startRenderWorker({ entryFile: path.join(project, 'index.html'), outputPath: output, quality: 'draft', fps: 6 }, {
      workerPath: WORKER,
      onProgress: p => { if (p.frame) frames = p.frame; },
    });
    const result = await handle.done;
    assert.equal(result.frames, 60);
    assert.equal(frames, 60);
    assert.equal(Number(probeStreams(output).video?.nb_read_frames), 60);
    assert.deepEqual(await waitUntilGone([handle.pid!]), []);
  });

  test('cancel stops the worker and its browsers and ffmpeg; nothing is written', async () => {
    const output = path.join(project, 'worker-cancelled.mp4');
    let seen: number[] = [];
    const handle = startRenderWorker({ entryFile: path.join(project, 'index.html'), outputPath: output }, {
      workerPath: WORKER,
      onProgress: p => {
        if (seen.length === 0 && p.stage === 'capture' && (p.frame ?? 0) >= 5) {
          seen = [handle.pid!, ...descendants(handle.pid!)];
          handle.cancel();
        }
      },
    });
    await assert.rejects(handle.done, RenderCancelledError);
    assert.ok(seen.length >= 3, `worker + browsers + ffmpeg: ${seen.length}`);
    assert.deepEqual(await waitUntilGone(seen), []);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(project), []);
  });

  test('a worker killed mid-capture (a crash): done rejects; its browsers, ffmpeg, profiles and partial output are gone', async () => {
    const output = path.join(project, 'worker-crashed.mp4');
    let seen: number[] = [];
    let profiles: string[] = [];
    let partial: string[] = [];
    const handle = startRenderWorker({ entryFile: path.join(project, 'index.html'), outputPath: output }, {
      workerPath: WORKER,
      onProgress: p => {
        // Once ffmpeg has begun writing the staged output (it buffers the first frames before it opens it).
        if (seen.length === 0 && p.stage === 'capture' && (p.frame ?? 0) >= 5 && leftovers(project).length > 0) {
          seen = descendants(handle.pid!);
          profiles = profileFolders(seen);
          partial = leftovers(project);
          // SIGKILL the worker alone: nothing in it gets to clean up, and its group is left to the client.
          process.kill(handle.pid!, 'SIGKILL');
        }
      },
    });
    await assert.rejects(handle.done, /render worker exited \(SIGKILL\) without a result/);
    // Two browsers (each with its renderer) and ffmpeg were running; the staged output existed.
    assert.ok(seen.length >= 3, `browsers + ffmpeg: ${seen.length}`);
    assert.ok(profiles.length >= 1, `browser profiles: ${profiles.length}`);
    assert.ok(partial.length >= 1, `partial output while capturing: ${partial.join(', ')}`);
    // By the time done has settled the client has cleaned up; a few seconds of slack for a loaded machine.
    assert.deepEqual(await waitUntilGone(seen, 3000), []);
    assert.deepEqual(profiles.filter(folder => fs.existsSync(folder)), []);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(project), []);
  });
});
