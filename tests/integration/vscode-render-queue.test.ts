// The VS Code render queue (extension/render/queue.ts) over real render workers, Chromium and ffmpeg, without
// VS Code: one render at a time, a queued job waits for the running one to end, a queued job cancelled never
// starts, a running job cancelled stops and leaves no output, a blocked render brings its errors back, and
// maxConcurrent 2 runs two at once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RenderQueue, type RenderJobRequest } from '../../extension/render/queue';

const root = path.resolve(__dirname, '..', '..');
const workerPath = path.join(root, 'dist', 'render-worker.js');
const TEST_TIMEOUT_MS = 180_000;

function composition(id: string, seconds: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  #stage { position: relative; width: 160px; height: 90px; overflow: hidden; background: #203040; }
  #box { position: absolute; width: 20px; height: 20px; top: 35px; left: 5px; background: #f0a030; }
  </style></head><body>
  <div id="stage" data-composition-id="${id}" data-start="0" data-width="160" data-height="90" data-fps="30" data-duration="${seconds}">
    <div id="box" class="clip" data-start="0" data-duration="${seconds}" data-track-index="0"></div>
  </div>
  <script src="gsap.min.js"></script>
  <script>
    const tl = gsap.timeline({ paused: true });
    tl.to("#box", { x: 130, duration: ${seconds}, ease: "none" }, 0);
    window.__timelines = window.__timelines || {};
    window.__timelines["${id}"] = tl;
  </script></body></html>`;
}

function frameCount(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames',
    '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

describe('render queue (VS Code) with real workers', { timeout: TEST_TIMEOUT_MS }, () => {
  let dir: string;
  let maxConcurrent = 1;
  const logs: string[] = [];
  const queue = () => new RenderQueue({ workerPath, maxConcurrent: () => maxConcurrent, log: (job, level, message) => logs.push(`#${job.id} ${level} ${message}`) });
  const request = (file: string, output: string): RenderJobRequest => ({
    name: path.basename(file, '.html'), uri: `file://${file}`,
    options: { entryFile: file, outputPath: path.join(dir, output), format: 'mp4', quality: 'draft' },
  });

  before(() => {
    assert.ok(fs.existsSync(workerPath), 'npm run build wrote dist/render-worker.js');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-vscode-queue-'));
    fs.copyFileSync(path.join(root, 'node_modules', 'gsap', 'dist', 'gsap.min.js'), path.join(dir, 'gsap.min.js'));
    fs.writeFileSync(path.join(dir, 'short.html'), composition('short', 1));
    fs.writeFileSync(path.join(dir, 'long.html'), composition('long', 30));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs one render at a time: the second starts after the first ends; a cancelled queued job never starts', async () => {
    maxConcurrent = 1;
    const renders = queue();
    const first = renders.enqueue(request(path.join(dir, 'short.html'), 'a.mp4'));
    const dropped = renders.enqueue(request(path.join(dir, 'short.html'), 'dropped.mp4'));
    const second = renders.enqueue(request(path.join(dir, 'short.html'), 'b.mp4'));
    assert.deepEqual([first.status, dropped.status, second.status], ['running', 'queued', 'queued']);
    assert.equal(renders.ahead(second), 2);
    dropped.cancel();
    assert.equal((await dropped.finished).status, 'cancelled');
    assert.equal(renders.ahead(second), 1);

    const [a, b] = await Promise.all([first.finished, second.finished]);
    assert.equal(a.status, 'done', JSON.stringify(a));
    assert.equal(b.status, 'done', JSON.stringify(b));
    assert.ok(second.startedAt! >= first.endedAt!, 'the second started after the first ended');
    assert.equal(dropped.startedAt, undefined, 'the cancelled job never started');
    assert.ok(!fs.existsSync(path.join(dir, 'dropped.mp4')));
    assert.equal(frameCount(path.join(dir, 'a.mp4')), 30);
    assert.equal(frameCount(path.join(dir, 'b.mp4')), 30);
    const frames = first.progressEvents.filter(p => p.stage === 'capture').map(p => p.frame ?? 0);
    assert.deepEqual(frames, [...frames].sort((x, y) => x - y), 'capture progress counts up');
    assert.deepEqual(renders.activeJobs, []);
    assert.deepEqual(renders.recentJobs.map(j => j.id), [second.id, first.id, dropped.id]);
  });

  it('cancels a running render: it stops mid-way and leaves no output', async () => {
    maxConcurrent = 1;
    const renders = queue();
    const job = renders.enqueue(request(path.join(dir, 'long.html'), 'long.mp4'));
    await new Promise<void>(resolve => {
      const subscription = job.onDidChange(() => {
        if ((job.progress?.frame ?? 0) >= 10) { subscription.dispose(); resolve(); }
      });
    });
    job.cancel();
    const outcome = await job.finished;
    assert.equal(outcome.status, 'cancelled');
    assert.ok((job.progress?.frame ?? 0) < 900, 'it stopped before the end');
    assert.deepEqual(fs.readdirSync(dir).filter(f => f.includes('long.mp4')), [], 'no output or partial file');
  });

  it('a render blocked by errors fails with their diagnostics across the worker; with allowErrors it renders', async () => {
    maxConcurrent = 1;
    const file = path.join(dir, 'broken.html');
    fs.writeFileSync(file, composition('broken', 1).replace('<script src="gsap.min.js"></script>', '<img id="gone" src="missing.png"><script src="gsap.min.js"></script>'));
    const renders = queue();
    const blocked = await renders.enqueue(request(file, 'broken.mp4')).finished;
    assert.equal(blocked.status, 'failed');
    assert.ok(blocked.status === 'failed');
    assert.equal(blocked.failure.code, 'composition-errors');
    assert.deepEqual(blocked.failure.diagnostics.map(d => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code}`), ['broken.html:8 missing_local_asset']);
    assert.ok(!fs.existsSync(path.join(dir, 'broken.mp4')));
    const allowed = renders.enqueue({ ...request(file, 'broken.mp4'), options: { ...request(file, 'broken.mp4').options, allowErrors: true } });
    assert.equal((await allowed.finished).status, 'done');
    assert.equal(frameCount(path.join(dir, 'broken.mp4')), 30);
  });

  it('with maxConcurrent 2, two renders run at once', async () => {
    maxConcurrent = 2;
    const renders = queue();
    const a = renders.enqueue(request(path.join(dir, 'short.html'), 'c.mp4'));
    const b = renders.enqueue(request(path.join(dir, 'short.html'), 'd.mp4'));
    assert.deepEqual([a.status, b.status], ['running', 'running']);
    const outcomes = await Promise.all([a.finished, b.finished]);
    assert.deepEqual(outcomes.map(o => o.status), ['done', 'done']);
  });
});
