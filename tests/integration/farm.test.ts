// The render farm with a real redis-server and three `hyperframes-live farm worker` processes (BullMQ):
// a farm render equals the in-process render; a worker SIGKILLed in the middle of a chunk leaves a stalled
// job that another worker finishes, with the same output; a plan changed in storage is refused
// (plan-hash-mismatch, not retried); a cancelled `render --farm` leaves no job, no stored object, no
// process and no file; a dead Redis is a typed error, not a hang. Needs dist/ (`npm run build`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { renderJob } from '../../server/engine/render/renderJob';
import { buildPlan } from '../../server/engine/plan/build';
import { renderOnFarm } from '../../server/farm/submit';
import { CHUNK_JOB_OPTIONS, CHUNK_QUEUE, type ChunkJobData } from '../../server/farm/jobs';
import { chunkFailure } from '../../server/farm/errors';
import { FARM_CHUNK_ATTEMPTS, FARM_RETRY_BACKOFF_MS } from '../../server/engine/limits';
import { FolderStorage } from '../../server/farm/storage';
import { uploadPlan } from '../../server/farm/planTransfer';
import { planChunks } from '../../server/engine/plan/chunking';
import { StageError } from '../../server/engine/errors';
import { framePsnr, frameTimes } from '../fixtures/chunks/psnr';
import { SEAM_FRAMES, seamProject } from '../fixtures/chunks/seamComposition';
import { leftovers, probeStreams, removeProject } from '../fixtures/render/helpers';
import { descendants, waitUntilGone } from '../support/processes';
import { startRedis, type TestRedis } from '../support/redisServer';
import { waitFor } from '../support/waitFor';
import { CLI, startFarmWorkerProcess as startWorker, type FarmWorkerProcess } from '../support/farmWorkers';

const TIMEOUT = 300_000;
const MIN_PSNR_DB = 50;
const CHUNKS = 3;

/** Every frame at least MIN_PSNR_DB against the reference, and as many frames. */
function assertSameVideo(reference: string, output: string): void {
  const psnr = framePsnr(reference, output);
  assert.equal(psnr.length, SEAM_FRAMES);
  assert.deepEqual(frameTimes(output), frameTimes(reference), 'the same timestamps as the in-process render');
  const below = psnr.map((db, frame) => ({ frame, db })).filter(({ db }) => db < MIN_PSNR_DB);
  assert.deepEqual(below, [], `frames under ${MIN_PSNR_DB} dB: ${JSON.stringify(below)}`);
}

describe('render --farm: BullMQ on a real Redis, three worker processes', { timeout: TIMEOUT }, () => {
  let redis: TestRedis;
  let client: Redis;
  let workers: FarmWorkerProcess[] = [];
  let project: string;
  let entry: string;
  let inProcess: string;

  before(async () => {
    redis = await startRedis();
    client = new IORedis(redis.url, { maxRetriesPerRequest: null });
    workers = [0, 1, 2].map(() => startWorker(redis.url));
    project = seamProject();
    entry = path.join(project, 'index.html');
    inProcess = path.join(project, 'in-process.mp4');
    await renderJob({ entryFile: entry, outputPath: inProcess, keyframeInterval: SEAM_FRAMES / CHUNKS });
    const queue = new Queue(CHUNK_QUEUE, { connection: client });
    await waitFor('three workers', async () => ((await queue.getWorkersCount()) >= 3 ? true : undefined));
    await queue.close();
  });

  after(async () => {
    for (const { child } of workers) child.kill('SIGTERM');
    await waitUntilGone(workers.map(w => w.child.pid!), 15_000);
    client.disconnect();
    await redis.stop();
    removeProject(project);
  });

  test('a farm render equals the in-process render (≥ 50 dB at every frame, same frame count, audio)', async () => {
    const output = path.join(project, 'farm', 'farm.mp4');
    const frames: number[] = [];
    const result = await renderOnFarm({ render: { entryFile: entry, outputPath: output }, redisUrl: redis.url, chunks: CHUNKS }, {
      onProgress: p => { if (p.frame !== undefined) frames.push(p.frame); },
    });
    assert.equal(result.chunks, CHUNKS);
    assert.equal(result.frames, SEAM_FRAMES);
    assert.equal(result.chunkWorkers.length, CHUNKS);
    const streams = probeStreams(output);
    assert.equal(Number(streams.video?.nb_read_frames), SEAM_FRAMES);
    assert.equal(streams.audio?.codec_name, 'aac');
    assertSameVideo(inProcess, output);
    assert.equal(frames.at(-1), SEAM_FRAMES, 'progress sums the chunks up to the whole video');
    assert.deepEqual(leftovers(path.dirname(output)), []);
    // Nothing of the render stays in Redis but the shared chunk queue's own bookkeeping.
    assert.deepEqual((await client.keys('*')).filter(key => key.includes(result.renderId) || key.startsWith('hf:')), []);
  });

  // This test once saw every frame of chunk 0 at 11–34 dB. Not the storage (the segment's hash verified): chunk
  // 0's capture ran one BeginFrame behind (its frame k was the page at frame k − 1, its frame 0 the page before
  // the first seek), which three browsers starting at once under CPU load provoke, and the shared folder makes
  // them start at once. Three chunk-0 renders at once do the same with no farm at all (1 in 24 with two busy
  // loops beside them); it is the capture's to wait for the renderer's frame (capture/browserSession.ts grab).
  test('through a shared folder instead of Redis: the same output, and nothing left in the folder or in Redis', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-farm-shared-'));
    try {
      const output = path.join(project, 'shared.mp4');
      const result = await renderOnFarm({ render: { entryFile: entry, outputPath: output }, redisUrl: redis.url, chunks: CHUNKS, storageDir: shared });
      assertSameVideo(inProcess, output);
      assert.deepEqual(fs.readdirSync(shared, { recursive: true }).filter(entry => fs.statSync(path.join(shared, String(entry))).isFile()), []);
      assert.deepEqual((await client.keys('hf:*')), []);
      assert.equal(result.frames, SEAM_FRAMES);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });

  test('a worker SIGKILLed mid-chunk: its stalled chunk goes to another worker, and the output is the same', async () => {
    const output = path.join(project, 'killed.mp4');
    const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    const rendering = renderOnFarm({ render: { entryFile: entry, outputPath: output }, redisUrl: redis.url, chunks: CHUNKS });
    rendering.catch(() => undefined);
    // A chunk that has captured frames but is not done: kill the worker that holds it.
    const victim = await waitFor('a chunk being worked on', async () => {
      for (const job of await queue.getActive()) {
        // Taken by a worker and not finished: its plan is being fetched or its frames rendered (a 20-frame
        // chunk of this small fixture can finish between two progress reports, so no frame count is awaited).
        if (job.processedBy && !job.finishedOn) {
          const pid = Number(job.processedBy.split(':').pop());
          if (workers.some(w => w.child.pid === pid)) return { pid, jobId: job.id! };
        }
      }
      return undefined;
    });
    const victimChildren = descendants(victim.pid);
    process.kill(victim.pid, 'SIGKILL');
    const result = await rendering;
    assert.equal(result.frames, SEAM_FRAMES);
    assert.ok(!result.chunkWorkers.includes(`${os.hostname()}:${victim.pid}`), 'the killed worker finished no chunk');
    assertSameVideo(inProcess, output);
    // The killed worker's render process noticed its parent was gone and stopped, browsers and all.
    assert.deepEqual(await waitUntilGone(victimChildren, 15_000), []);
    await queue.close();
    workers = workers.filter(w => w.child.pid !== victim.pid);
    // The killed worker could not remove its folder; the next worker started on this machine does.
    const victimFolders = () => fs.readdirSync(os.tmpdir()).filter(name => name.startsWith(`hyperframes-farm-worker-${victim.pid}-`));
    assert.equal(victimFolders().length, 1);
    workers.push(startWorker(redis.url));
    await waitFor('the dead worker\'s folder to go', async () => (victimFolders().length === 0 ? true : undefined), 15_000);
  });

  test('a worker stopped with SIGTERM mid-chunk gives the chunk back at once, and exits 0', async () => {
    const output = path.join(project, 'stopped.mp4');
    const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    const rendering = renderOnFarm({ render: { entryFile: entry, outputPath: output }, redisUrl: redis.url, chunks: CHUNKS });
    rendering.catch(() => undefined);
    const stopped = await waitFor('a chunk being worked on', async () => {
      for (const job of await queue.getActive()) {
        if (job.processedBy && !job.finishedOn) {
          const worker = workers.find(w => w.child.pid === Number(job.processedBy!.split(':').pop()));
          if (worker) return worker;
        }
      }
      return undefined;
    });
    const exited = new Promise<number | null>(resolve => stopped.child.once('exit', code => resolve(code)));
    stopped.child.kill('SIGTERM');
    assert.equal(await exited, 0, stopped.log.join(''));
    const result = await rendering;
    assertSameVideo(inProcess, output);
    assert.ok(!result.chunkWorkers.includes(`${os.hostname()}:${stopped.child.pid}`));
    await queue.close();
    workers = workers.filter(w => w !== stopped);
    workers.push(startWorker(redis.url));
  });

  test('a plan changed in storage is refused by the worker with plan-hash-mismatch, and not retried', async () => {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-farm-storage-'));
    const planDir = path.join(storageDir, 'local-plan');
    const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    try {
      const plan = await buildPlan({ render: { entryFile: entry }, chunks: CHUNKS, planDir });
      const storage = new FolderStorage(path.join(storageDir, 'shared'));
      const manifest = await uploadPlan(storage, plan, planDir);
      const page = plan.files.find(file => file.path === 'index.html')!;
      fs.appendFileSync(path.join(storageDir, 'shared', 'plans', plan.planHash, 'blobs', page.sha256), '<!-- changed -->');
      const job = await queue.add('chunk-0', {
        renderId: 'tampered', planHash: plan.planHash, manifest, storage: storage.descriptor, chunk: planChunks(plan.config.frameCount, plan.config.chunkFrames)[0],
        segmentKey: 'renders/tampered/chunk-0000.mp4', allowErrors: false, strict: false,
      }, { attempts: 3 });
      const failed = await waitFor('the chunk to fail', async () => {
        const state = await job.getState();
        return state === 'failed' ? (await queue.getJob(job.id!))! : undefined;
      });
      assert.match(failed.failedReason, /^\[plan-hash-mismatch\] /);
      assert.equal(failed.attemptsMade, 1, 'a plan that does not verify is not tried again');
      assert.equal(fs.existsSync(path.join(storageDir, 'shared', 'renders')), false, 'no segment was stored');
      await failed.remove();
    } finally {
      await queue.close();
      fs.rmSync(storageDir, { recursive: true, force: true });
    }
  });

  test('a chunk that keeps failing is retried with backoff up to FARM_CHUNK_ATTEMPTS, then fails with its error', async () => {
    const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    try {
      // Its plan is in a storage folder nobody has: every try fails the same way, and none is the last word.
      const missing = path.join(os.tmpdir(), `hf-test-no-such-storage-${process.pid}`);
      const job = await queue.add('chunk-0', {
        renderId: 'failing', planHash: 'f'.repeat(64), manifest: { key: 'plans/x/plan.json', sha256: 'f'.repeat(64), bytes: 1 },
        storage: { kind: 'folder', root: missing }, chunk: { index: 0, startFrame: 0, endFrame: 10 },
        segmentKey: 'renders/failing/chunk-0000.mp4', allowErrors: false, strict: false,
      }, CHUNK_JOB_OPTIONS);
      const started = Date.now();
      const failed = await waitFor('the chunk to fail for good', async () => ((await job.getState()) === 'failed' ? (await queue.getJob(job.id!))! : undefined));
      assert.equal(failed.attemptsMade, FARM_CHUNK_ATTEMPTS);
      assert.match(failed.failedReason, /ENOENT/);
      // Two waits between three tries: FARM_RETRY_BACKOFF_MS, then twice that.
      assert.ok(Date.now() - started >= FARM_RETRY_BACKOFF_MS * 3, `failed after ${Date.now() - started} ms`);
      assert.equal(chunkFailure(0, failed.failedReason).code, 'farm-chunk-failed');
      await failed.remove();
    } finally {
      await queue.close();
    }
  });

  test('cancel (SIGINT to render --farm): no job, no stored object, no process, no file', async () => {
    const outDir = path.join(project, 'cancelled');
    const output = path.join(outDir, 'cancelled.mp4');
    const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    const cli = spawn(process.execPath, [CLI, 'render', entry, '--farm', redis.url, '--chunks', String(CHUNKS), '-o', output], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr?.setEncoding('utf8');
    cli.stderr?.on('data', (text: string) => { stderr += text; });
    const exited = new Promise<number | null>(resolve => cli.once('exit', code => resolve(code)));
    // A chunk taken by a worker whose render process (and browser) is running.
    const renderProcesses = await waitFor('a chunk rendering', async () => {
      const active = await queue.getActive();
      const running = active.some(job => job.processedBy && !job.finishedOn) ? workers.flatMap(w => descendants(w.child.pid!)) : [];
      return running.length > 0 ? running : undefined;
    });
    cli.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /cancelled/);
    const counts = await queue.getJobCounts();
    assert.deepEqual(Object.entries(counts).filter(([, n]) => n > 0), [], `jobs left: ${JSON.stringify(counts)}`);
    assert.deepEqual((await client.keys('*')).filter(key => key.startsWith('hf:') || key.includes('assemble')), []);
    // The chunks' render processes (and their browsers and ffmpeg) are gone; the workers themselves wait for more.
    assert.deepEqual(await waitUntilGone(renderProcesses, 15_000), []);
    assert.ok(workers.every(w => w.child.exitCode === null), 'the workers are still running');
    assert.equal(fs.existsSync(outDir) ? fs.readdirSync(outDir).length : 0, 0, 'nothing was written to the output folder');
    await queue.close();
  });

  test('a Redis nobody answers at is a farm-redis-unavailable error, quickly', async () => {
    const dead = await startRedis();
    await dead.stop();
    const started = Date.now();
    await assert.rejects(renderOnFarm({ render: { entryFile: entry, outputPath: path.join(project, 'never.mp4') }, redisUrl: dead.url, chunks: 2 }),
      (error: unknown) => error instanceof StageError && error.code === 'farm-redis-unavailable');
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.equal(fs.existsSync(path.join(project, 'never.mp4')), false);
  });
});
