// The editor's render path with hyperframesLive.render.farm set (extension/render/queue.ts → dist/render-worker.js
// → server/farm/submit.ts), without VS Code: a real redis-server and two `hyperframes-live farm worker`
// processes. A farm render reports the same stages and frame N/M as a local one and ends with the same
// result; cancel stops it and leaves no job, no chunk render and no file; a format the farm does not render
// (GIF) renders on this machine, saying why. Needs dist/ (`npm run build`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { RenderQueue, type RenderJobRequest } from '../../extension/render/queue';
import { CHUNK_QUEUE } from '../../server/farm/jobs';
import { SEAM_FRAMES, seamProject } from '../fixtures/chunks/seamComposition';
import { probeStreams, removeProject } from '../fixtures/render/helpers';
import { descendants, waitUntilGone } from '../support/processes';
import { startRedis, type TestRedis } from '../support/redisServer';
import { waitFor } from '../support/waitFor';

const root = path.resolve(__dirname, '..', '..');
const workerPath = path.join(root, 'dist', 'render-worker.js');
const CLI = path.join(root, 'dist', 'cli.js');

describe('the editor\'s Render with hyperframesLive.render.farm set (real Redis, two farm workers)', { timeout: 240_000 }, () => {
  let redis: TestRedis;
  let client: Redis;
  let farmWorkers: ChildProcess[] = [];
  let project: string;
  const logs: string[] = [];
  const renders = () => new RenderQueue({ workerPath, maxConcurrent: () => 1, log: (job, level, message) => logs.push(`#${job.id} ${level} ${message}`) });
  const request = (output: string, format: 'mp4' | 'gif' = 'mp4'): RenderJobRequest => ({
    name: 'seam', uri: `file://${path.join(project, 'index.html')}`,
    options: { entryFile: path.join(project, 'index.html'), outputPath: path.join(project, 'out', output), format, quality: 'standard' },
    farm: { redisUrl: redis.url },
  });

  before(async () => {
    assert.ok(fs.existsSync(workerPath), 'npm run build wrote dist/render-worker.js');
    redis = await startRedis();
    client = new IORedis(redis.url, { maxRetriesPerRequest: null });
    farmWorkers = [0, 1].map(() => spawn(process.execPath, [CLI, 'farm', 'worker', '--redis', redis.url], { stdio: 'ignore' }));
    project = seamProject();
    const queue = new Queue(CHUNK_QUEUE, { connection: client });
    await waitFor('two farm workers', async () => ((await queue.getWorkersCount()) >= 2 ? true : undefined));
    await queue.close();
  });

  after(async () => {
    for (const child of farmWorkers) child.kill('SIGTERM');
    await waitUntilGone(farmWorkers.map(child => child.pid!), 15_000);
    client.disconnect();
    await redis.stop();
    removeProject(project);
  });

  it('renders on the farm with the stages and frame N/M of a local render, and the same result', async () => {
    const job = renders().enqueue(request('farm.mp4'));
    const outcome = await job.finished;
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.ok(logs.some(line => line.startsWith(`#${job.id} info rendering on the farm at ${redis.url}`)), logs.join('\n'));
    const output = path.join(project, 'out', 'farm.mp4');
    assert.equal(outcome.result.outputPath, output);
    assert.equal(outcome.result.frames, SEAM_FRAMES);
    assert.equal(outcome.result.hasAudio, true);
    const streams = probeStreams(output);
    assert.equal(Number(streams.video?.nb_read_frames), SEAM_FRAMES);
    assert.equal(streams.audio?.codec_name, 'aac');
    // The stages in a local render's order, frames counted up to the whole video over the chunks.
    const stages = job.progressEvents.map(p => p.stage).filter((stage, i, all) => stage !== all[i - 1]);
    assert.deepEqual(stages, ['compile', 'capture', 'mux', 'done']);
    const frames = job.progressEvents.filter(p => p.stage === 'capture' && p.frame !== undefined);
    assert.ok(frames.length >= 2, `frame progress: ${JSON.stringify(frames)}`);
    assert.ok(frames.every(p => p.totalFrames === SEAM_FRAMES));
    assert.ok(frames.every((p, i) => i === 0 || p.frame! >= frames[i - 1].frame!), 'frames never go back');
    assert.equal(frames.at(-1)?.frame, SEAM_FRAMES);
    const fractions = job.progressEvents.map(p => p.fraction);
    assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]), 'the bar never goes back');
    assert.equal(fractions.at(-1), 1);
  });

  it('cancel stops the farm render: no chunk job, no chunk render, no file; the farm workers stay', async () => {
    const queue = new Queue(CHUNK_QUEUE, { connection: client });
    try {
      const job = renders().enqueue(request('cancelled.mp4'));
      // A chunk taken by a farm worker whose render process (and browser) is running.
      const chunkRenders = await waitFor('a chunk rendering', async () => {
        const active = await queue.getActive();
        const running = active.some(chunk => chunk.processedBy && !chunk.finishedOn) ? farmWorkers.flatMap(child => descendants(child.pid!)) : [];
        return running.length > 0 ? running : undefined;
      });
      const renderWorkerPid = job.pid!;
      job.cancel();
      assert.equal((await job.finished).status, 'cancelled');
      assert.deepEqual(await waitUntilGone([renderWorkerPid], 15_000), [], 'the render worker process ended');
      const counts = await queue.getJobCounts();
      assert.deepEqual(Object.entries(counts).filter(([, n]) => n > 0), [], `chunk jobs left: ${JSON.stringify(counts)}`);
      assert.deepEqual((await client.keys('*')).filter(key => key.startsWith('hf:') || key.includes('assemble')), []);
      assert.deepEqual(await waitUntilGone(chunkRenders, 15_000), [], 'the chunks\' render processes stopped');
      assert.ok(farmWorkers.every(child => child.exitCode === null), 'the farm workers wait for more');
      assert.equal(fs.existsSync(path.join(project, 'out', 'cancelled.mp4')), false);
      assert.deepEqual(fs.readdirSync(path.join(project, 'out')).filter(name => name.includes('cancelled')), []);
    } finally {
      await queue.close();
    }
  });

  it('a GIF (which the farm does not render) renders on this machine, and says why', async () => {
    const job = renders().enqueue(request('here.gif', 'gif'));
    const outcome = await job.finished;
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    assert.ok(logs.some(line => line.startsWith(`#${job.id} info rendering on this machine, not on the farm at ${redis.url}: the farm renders mp4 and webm, not gif`)), logs.join('\n'));
    assert.ok(fs.statSync(path.join(project, 'out', 'here.gif')).size > 0);
  });
});
