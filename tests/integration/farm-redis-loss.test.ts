// Redis dies in the middle of a farm render (redis-server SIGKILLed while chunks render on two
// `hyperframes-live farm worker` processes): the submitting side fails with farm-redis-unavailable within
// FARM_REDIS_TIMEOUT_MS of its next poll (not a hang, not a wait for the cleanup's own Redis calls), the shared
// storage folder and the output folder hold nothing, and each worker stops with a clear message (exit 1)
// leaving no render process, browser or work folder behind. Needs dist/ (`npm run build`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { renderOnFarm } from '../../server/farm/submit';
import { CHUNK_QUEUE, type ChunkJobData } from '../../server/farm/jobs';
import { FarmError } from '../../server/farm/errors';
import { FARM_POLL_MS, FARM_REDIS_TIMEOUT_MS, WORKER_CANCEL_GRACE_MS } from '../../server/engine/limits';
import { seamProject } from '../fixtures/chunks/seamComposition';
import { removeProject } from '../fixtures/render/helpers';
import { descendants, waitUntilGone } from '../support/processes';
import { startRedis, type TestRedis } from '../support/redisServer';
import { waitFor } from '../support/waitFor';
import { filesUnder, startFarmWorkerProcess as startWorker, type FarmWorkerProcess as WorkerProcess } from '../support/farmWorkers';

const CHUNKS = 3;

describe('render --farm when Redis dies mid-render', { timeout: 180_000 }, () => {
  let redis: TestRedis;
  let client: Redis;
  let workers: WorkerProcess[] = [];
  let project: string;

  before(async () => {
    redis = await startRedis();
    client = new IORedis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => null });
    client.on('error', () => undefined);
    workers = [0, 1].map(() => startWorker(redis.url));
    project = seamProject();
    const queue = new Queue(CHUNK_QUEUE, { connection: client });
    await waitFor('two workers', async () => ((await queue.getWorkersCount()) >= 2 ? true : undefined));
    await queue.close();
  });

  after(async () => {
    for (const { child } of workers) if (child.exitCode === null) child.kill('SIGKILL');
    client.disconnect();
    await redis.stop();
    removeProject(project);
  });

  test('the submitter fails with farm-redis-unavailable in time; no file, no worker process, no render process is left', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-farm-loss-'));
    const outDir = path.join(project, 'out');
    const output = path.join(outDir, 'lost.mp4');
    try {
      const queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
      const rendering = renderOnFarm({ render: { entryFile: path.join(project, 'index.html'), outputPath: output }, redisUrl: redis.url, chunks: CHUNKS, storageDir: shared });
      rendering.catch(() => undefined);
      // A chunk taken by a worker whose render process (and browser) is running.
      const renderProcesses = await waitFor('a chunk being rendered', async () => {
        const active = await queue.getActive();
        const running = active.some(job => job.processedBy && !job.finishedOn) ? workers.flatMap(w => descendants(w.child.pid!)) : [];
        return running.length > 0 ? running : undefined;
      });
      await queue.close().catch(() => undefined);

      redis.process.kill('SIGKILL');
      const killed = Date.now();
      const error: unknown = await rendering.then(() => undefined, (reason: unknown) => reason);
      const failedAfter = Date.now() - killed;
      assert.ok(error instanceof FarmError, `a FarmError, not ${String(error)}`);
      assert.equal(error.code, 'farm-redis-unavailable');
      assert.match(error.message, /Redis at redis:\/\/127\.0\.0\.1:\d+ did not answer within \d+ ms/);
      // One poll to notice, one Redis timeout to give up; the cleanup does not wait on Redis again.
      assert.ok(failedAfter < FARM_POLL_MS * 4 + FARM_REDIS_TIMEOUT_MS + 2_000, `failed ${failedAfter} ms after Redis died`);

      assert.deepEqual(filesUnder(outDir), [], 'nothing was written to the output folder');
      assert.deepEqual(filesUnder(shared), [], 'the plan and the segments were removed from the shared folder');

      // Each worker notices the lost connection, stops its chunk's render and exits 1 saying why.
      const codes = await Promise.all(workers.map(w => Promise.race([w.exited, new Promise(resolve => setTimeout(() => resolve('running'), FARM_REDIS_TIMEOUT_MS * 3 + WORKER_CANCEL_GRACE_MS))])));
      assert.deepEqual(codes, workers.map(() => 1), workers.map(w => w.log.join('')).join('\n'));
      for (const w of workers) assert.match(w.log.join(''), /Lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/);
      assert.deepEqual(await waitUntilGone(renderProcesses, 15_000), [], 'no render process, browser or ffmpeg outlived its worker');
      const folders = fs.readdirSync(os.tmpdir()).filter(name => workers.some(w => name.startsWith(`hyperframes-farm-worker-${w.child.pid}-`)));
      assert.deepEqual(folders, [], 'the workers removed their folders');
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });
});
