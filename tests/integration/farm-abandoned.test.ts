// A farm render whose submitter dies: `render --farm` SIGKILLed while its chunks render on two real
// `hyperframes-live farm worker` processes (a real redis-server). Its liveness key lapses, and within
// FARM_SUBMITTER_TTL_MS plus a poll and the chunk's cancel grace the workers have stopped its running chunks
// (no render process, browser or ffmpeg left under them), removed its other chunk jobs and its assemble queue,
// and left no key of it in Redis and no object in storage (Redis storage, then a shared folder); they say so in
// their log, keep running, and render the next farm render to the end (whose submitter removes the killed
// submitters' local folders). A live submitter's render outlasting
// the TTL is not touched. A submitter frozen while its chunks finish has its finished render (completed chunks,
// segments, the waiting assemble job) removed all the same, and once thawed fails with farm-render-abandoned
// rather than reviving it. Needs dist/ (`npm run build`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FlowProducer, Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { renderOnFarm, SUBMITTER_FOLDER_PREFIX } from '../../server/farm/submit';
import { assembleJobId, assembleQueueName, CHUNK_QUEUE, chunkJobId, segmentsPrefix, type ChunkJobData } from '../../server/farm/jobs';
import { abandonedRenders, registerRender, submitterAliveKey, withPlanLock } from '../../server/farm/liveness';
import { describeSweep, sweepAbandonedRender, type AbandonedRenderSweep } from '../../server/farm/abandoned';
import { RedisStorage } from '../../server/farm/storage';
import { planPrefix } from '../../server/farm/planTransfer';
import { FARM_POLL_MS, FARM_SUBMITTER_TTL_MS, WORKER_CANCEL_GRACE_MS } from '../../server/engine/limits';
import { SEAM_FRAMES, seamProject } from '../fixtures/chunks/seamComposition';
import { compositionHtml, makeProject, removeProject } from '../fixtures/render/helpers';
import { CLI, filesUnder, startFarmWorkerProcess, type FarmWorkerProcess } from '../support/farmWorkers';
import { descendants, waitUntilGone } from '../support/processes';
import { startRedis, type TestRedis } from '../support/redisServer';
import { waitFor } from '../support/waitFor';

const CHUNKS = 6;
/** Long enough that a chunk is still rendering when the farm gives the render up (9000 frames a chunk). */
const LONG_SECONDS = 1_800;
/** From the submitter's death to nothing left: the key lapses, a worker's next look, its chunk's cancel grace. */
const GIVE_UP_MS = FARM_SUBMITTER_TTL_MS + FARM_POLL_MS + WORKER_CANCEL_GRACE_MS + 5_000;

function longProject(): string {
  return makeProject({
    'index.html': compositionHtml({
      width: 160, height: 90, fps: 30, duration: LONG_SECONDS,
      style: '#box { position: absolute; left: 0; top: 30px; width: 30px; height: 30px; background: #e33; }',
      body: '<div id="box"></div>',
      script: `const tl = gsap.timeline({ paused: true });
tl.to('#box', { x: 130, duration: ${LONG_SECONDS}, ease: 'none' }, 0);
window.__timelines.main = tl;`,
    }),
  });
}

interface Submitted {
  renderId: string;
  planHash: string;
}

// The sweep itself, without workers (so no janitor sweeps beside the test): flows and objects laid out as a
// submitter lays them out, on a real redis-server.
describe('sweeping an abandoned render', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let connections: Redis[];
  let queues: Queue[];
  let scratch: string;

  before(async () => {
    redis = await startRedis();
    connections = [0, 1].map(() => new IORedis(redis.url, { maxRetriesPerRequest: null }));
    queues = connections.map(connection => new Queue(CHUNK_QUEUE, { connection }));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-sweep-'));
  });

  after(async () => {
    await Promise.all(queues.map(queue => queue.close()));
    for (const connection of connections) connection.disconnect();
    await redis.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A registered render of `planHash` with `chunks` chunk jobs under an assemble job, and two stored segments. */
  async function laidOut(renderId: string, planHash: string, chunks: number): Promise<void> {
    const [redisConnection] = connections;
    const storage = new RedisStorage(redisConnection, redis.url);
    const file = path.join(scratch, 'object');
    fs.writeFileSync(file, renderId);
    await registerRender(redisConnection, { renderId, planHash, storage: storage.descriptor, chunks });
    await storage.put(`${planPrefix(planHash)}plan.json`, file);
    await storage.put(`${planPrefix(planHash)}blobs/one`, file);
    for (const index of [0, 1]) await storage.put(`${segmentsPrefix(renderId)}chunk-${index}.mp4`, file);
    const flows = new FlowProducer({ connection: redisConnection });
    await flows.add({
      name: 'assemble', queueName: assembleQueueName(renderId), opts: { jobId: assembleJobId(renderId) },
      children: Array.from({ length: chunks }, (_, index) => ({ name: `chunk-${index}`, queueName: CHUNK_QUEUE, data: { renderId }, opts: { jobId: chunkJobId(renderId, index) } })),
    });
    await flows.close();
  }

  const keysNaming = async (text: string) => (await connections[0].keys('*')).filter(key => key.includes(text));

  test('two workers at once: every object removed once, the plan kept while a live render uses it, a live render untouched', async () => {
    const plan = 'a'.repeat(64);
    await laidOut('deadrender', plan, 3);
    await laidOut('liverender', plan, 2);
    // The dead render's submitter stopped renewing; the live one's still does.
    await connections[0].del(submitterAliveKey('deadrender'));
    assert.deepEqual(await abandonedRenders(connections[0]), ['deadrender']);

    const sweeps = await Promise.all(connections.map((connection, i) => sweepAbandonedRender(connection, redis.url, queues[i], 'deadrender')));
    const done = sweeps.filter((sweep): sweep is AbandonedRenderSweep => sweep !== undefined);
    assert.equal(done.reduce((sum, sweep) => sum + sweep.chunksRemoved, 0), 3, JSON.stringify(sweeps));
    assert.equal(done.reduce((sum, sweep) => sum + sweep.segmentsRemoved, 0), 2);
    assert.equal(done.filter(sweep => sweep.assembleRemoved).length >= 1, true);
    assert.deepEqual(done.map(sweep => [sweep.planObjectsRemoved, sweep.planKeptFor]), done.map(() => [0, 'liverender']));
    assert.deepEqual(await keysNaming('deadrender'), [], 'nothing of the dead render is left');
    assert.equal((await keysNaming(plan)).length, 2, 'its plan stays for the live render');
    assert.match(describeSweep(done[0]), /^render deadrender abandoned: its submitter stopped answering; removed \d chunk job\(s\)/);
    // Sweeping again finds nothing; a live render is never swept.
    assert.equal(await sweepAbandonedRender(connections[0], redis.url, queues[0], 'deadrender'), undefined);
    assert.equal(await sweepAbandonedRender(connections[0], redis.url, queues[0], 'liverender'), undefined);
    assert.equal((await keysNaming('liverender')).length > 0, true);
    assert.equal(await queues[0].getJobState(chunkJobId('liverender', 0)), 'waiting');

    // Once the last render of the plan is abandoned too, the plan goes with it.
    await connections[0].del(submitterAliveKey('liverender'));
    const last = await sweepAbandonedRender(connections[1], redis.url, queues[1], 'liverender');
    assert.equal(last?.planObjectsRemoved, 2);
    assert.equal(last?.finished, true);
    assert.deepEqual(await connections[0].keys('hf:*'), []);
    assert.deepEqual((await connections[0].keys('*')).filter(key => key.includes('render')), []);
  });

  test('a render registering for a plan waits while that plan is being found unused and removed', async () => {
    const plan = 'b'.repeat(64);
    const order: string[] = [];
    let release: () => void = () => undefined;
    const removing = withPlanLock(connections[0], redis.url, plan, async () => {
      order.push('remover checks and removes');
      await new Promise<void>(resolve => { release = resolve; });
      order.push('remover done');
    });
    await waitFor('the remover to hold the lock', async () => (order.length ? true : undefined));
    const registering = withPlanLock(connections[1], redis.url, plan, async () => { order.push('render registers'); });
    await new Promise(resolve => setTimeout(resolve, FARM_POLL_MS));
    assert.deepEqual(order, ['remover checks and removes'], 'registration waits for the lock');
    release();
    await Promise.all([removing, registering]);
    assert.deepEqual(order, ['remover checks and removes', 'remover done', 'render registers']);
    assert.deepEqual(await connections[0].keys('hf:*'), [], 'the lock is gone');
  });
});

describe('render --farm whose submitter is killed', { timeout: 300_000 }, () => {
  let redis: TestRedis;
  let client: Redis;
  let queue: Queue<ChunkJobData>;
  let workers: FarmWorkerProcess[] = [];
  let long: string;
  /** The killed submitters' process ids: their folders wait for the next submitter on this machine. */
  const killed: number[] = [];
  /** Every `render --farm` started here: a test that fails half-way must not leave one running (or frozen). */
  const submitters: ChildProcess[] = [];
  const foldersOf = (pids: readonly number[]) => fs.readdirSync(os.tmpdir()).filter(name => pids.some(pid => name.startsWith(`${SUBMITTER_FOLDER_PREFIX}${pid}-`)));

  before(async () => {
    redis = await startRedis();
    client = new IORedis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue<ChunkJobData>(CHUNK_QUEUE, { connection: client });
    workers = [0, 1].map(() => startFarmWorkerProcess(redis.url));
    long = longProject();
    await waitFor('two workers', async () => ((await queue.getWorkersCount()) >= 2 ? true : undefined));
  });

  after(async () => {
    for (const cli of submitters) if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    for (const { child } of workers) if (child.exitCode === null) child.kill('SIGTERM');
    await waitUntilGone(workers.map(w => w.child.pid!), 15_000);
    await queue.close();
    client.disconnect();
    await redis.stop();
    removeProject(long);
  });

  const workerLog = () => workers.map(w => w.log.join('')).join('\n');
  const renderProcesses = () => workers.flatMap(w => descendants(w.child.pid!));

  /** Every Redis key naming the render or its plan (jobs, queues, stored objects, its registration). */
  async function keysOf({ renderId, planHash }: Submitted): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 500);
      keys.push(...batch.filter(key => key.includes(renderId) || key.includes(planHash)));
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  /** Job ids of the render in the chunk queue's lists, whether or not their job data is still there. */
  async function queuedJobsOf({ renderId }: Submitted): Promise<string[]> {
    const prefix = `bull:${CHUNK_QUEUE}:`;
    const ids = [
      ...await client.lrange(`${prefix}wait`, 0, -1), ...await client.lrange(`${prefix}active`, 0, -1), ...await client.lrange(`${prefix}paused`, 0, -1),
      ...await client.zrange(`${prefix}failed`, 0, -1), ...await client.zrange(`${prefix}completed`, 0, -1),
      ...await client.zrange(`${prefix}delayed`, 0, -1), ...await client.zrange(`${prefix}prioritized`, 0, -1),
    ];
    return ids.filter(id => id.startsWith(renderId));
  }

  /** `render --farm` as its own process, until one of its chunks renders on a worker. */
  async function submitAndWaitForAChunk(output: string, storageDir?: string) {
    const cli = spawn(process.execPath, [CLI, 'render', path.join(long, 'index.html'), '--farm', redis.url, '--chunks', String(CHUNKS), '-o', output, ...(storageDir ? ['--storage', storageDir] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
    submitters.push(cli);
    let stderr = '';
    cli.stderr?.setEncoding('utf8');
    cli.stderr?.on('data', (text: string) => { stderr += text; });
    const exited = new Promise<NodeJS.Signals | null>(resolve => cli.once('exit', (_code, signal) => resolve(signal)));
    const submitted = await waitFor('a chunk rendering', async () => {
      const rendering = (await queue.getActive()).find(job => job.processedBy && !job.finishedOn);
      return rendering && renderProcesses().length > 0 ? { renderId: rendering.data.renderId, planHash: rendering.data.planHash } : undefined;
    }, 120_000);
    return { cli, exited, submitted, stderr: () => stderr };
  }

  /** Kills the submitter and waits, GIVE_UP_MS at most, for the farm to hold nothing of its render. */
  async function killAndExpectNothingLeft(run: Awaited<ReturnType<typeof submitAndWaitForAChunk>>, storageDir?: string): Promise<void> {
    const { submitted } = run;
    const running = renderProcesses();
    run.cli.kill('SIGKILL');
    assert.equal(await run.exited, 'SIGKILL', run.stderr());
    const killedAt = Date.now();
    killed.push(run.cli.pid!);
    assert.equal(foldersOf([run.cli.pid!]).length, 1, 'a killed submitter cannot remove its folder');
    const clean = async () => (renderProcesses().length === 0 && (await keysOf(submitted)).length === 0 && (await queuedJobsOf(submitted)).length === 0
      && (storageDir === undefined || filesUnder(storageDir).length === 0) ? true : undefined);
    await waitFor('the abandoned render to be removed', clean, GIVE_UP_MS).catch(() => undefined);
    const tookMs = Date.now() - killedAt;
    // What is left, if anything, said one by one.
    assert.deepEqual(renderProcesses(), [], `no chunk is being rendered any more\n${workerLog()}`);
    assert.deepEqual(await waitUntilGone(running, 0), [], 'the running chunks\' render processes, browsers and ffmpeg are gone');
    assert.deepEqual(await queuedJobsOf(submitted), [], 'no job of the render waits, runs, failed or completed');
    assert.deepEqual(await keysOf(submitted), [], 'no key of the render or its plan is left in Redis');
    assert.deepEqual(await client.keys('hf:*'), [], 'no registration, liveness, cancel key or stored object');
    if (storageDir) assert.deepEqual(filesUnder(storageDir), [], 'the shared folder holds nothing of it');
    assert.ok(tookMs < GIVE_UP_MS, `removed ${tookMs} ms after the submitter died`);
    // It was given up, not rendered for nobody: the running chunks stopped and the waiting ones never started.
    const log = workerLog();
    assert.match(log, new RegExp(`render ${submitted.renderId} abandoned: its submitter stopped answering; removed \\d+ chunk job\\(s\\)`));
    assert.match(log, new RegExp(`chunk \\d+ of ${submitted.renderId} stopped: the render was abandoned`));
    const started = log.match(new RegExp(`chunk \\d+ of ${submitted.renderId}: frames`, 'g')) ?? [];
    assert.ok(started.length < CHUNKS, `${started.length} of ${CHUNKS} chunks were started`);
    assert.ok(workers.every(w => w.child.exitCode === null), 'the workers keep running');
  }

  test('with Redis storage: a live submitter outlasting the TTL keeps its render; once killed, nothing of the render is left', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-abandoned-out-'));
    try {
      const run = await submitAndWaitForAChunk(path.join(outDir, 'long.mp4'));
      // While its submitter lives, the render is not given up, however long its chunks take.
      await new Promise(resolve => setTimeout(resolve, FARM_SUBMITTER_TTL_MS + FARM_POLL_MS * 4));
      assert.doesNotMatch(workerLog(), /abandoned/);
      assert.equal((await queuedJobsOf(run.submitted)).length, CHUNKS, 'every chunk job is still there');
      assert.ok(renderProcesses().length > 0, 'its chunks are still rendering');
      await killAndExpectNothingLeft(run);
      assert.deepEqual(filesUnder(outDir), [], 'nothing was written to the output folder');
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  test('with a shared storage folder: nothing of the killed render is left in Redis or in the folder', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-abandoned-shared-'));
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-abandoned-out-'));
    try {
      const run = await submitAndWaitForAChunk(path.join(outDir, 'long.mp4'), shared);
      assert.ok(filesUnder(shared).length > 0, 'the plan is in the shared folder');
      await killAndExpectNothingLeft(run, shared);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  test('a submitter frozen (SIGSTOP) while its chunks finish: the workers remove the finished render; thawed, it fails with farm-render-abandoned', async () => {
    const project = seamProject();
    const outDir = path.join(project, 'out');
    try {
      const cli = spawn(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--farm', redis.url, '--chunks', '2', '-o', path.join(outDir, 'frozen.mp4')], { stdio: ['ignore', 'ignore', 'pipe'] });
      submitters.push(cli);
      let stderr = '';
      cli.stderr?.setEncoding('utf8');
      cli.stderr?.on('data', (text: string) => { stderr += text; });
      const exited = new Promise<number | null>(resolve => cli.once('exit', code => resolve(code)));
      const submitted = await waitFor('a chunk taken', async () => {
        const job = (await queue.getActive()).find(active => active.processedBy);
        return job ? { renderId: job.data.renderId, planHash: job.data.planHash } : undefined;
      });
      cli.kill('SIGSTOP');
      // Both chunks (a browser start and 30 small frames each, on their two workers at once) are rendered and
      // stored before the key lapses; nobody assembles them, nobody renews the render's key.
      await waitFor('the chunks to be done', async () => ((await client.zrange(`bull:${CHUNK_QUEUE}:completed`, 0, -1)).filter(id => id.startsWith(submitted.renderId)).length === 2 ? true : undefined), FARM_SUBMITTER_TTL_MS);
      await waitFor('the finished render to be removed', async () => ((await keysOf(submitted)).length === 0 ? true : undefined), GIVE_UP_MS);
      assert.deepEqual(await queuedJobsOf(submitted), []);
      assert.deepEqual(await client.keys('hf:*'), []);
      assert.match(workerLog(), new RegExp(`render ${submitted.renderId} abandoned: its submitter stopped answering; removed \\d+ chunk job\\(s\\)(, its assemble job)?, \\d+ segment\\(s\\)`));
      assert.match(workerLog(), new RegExp(`render ${submitted.renderId} abandoned: [^\\n]*its assemble job`), 'the waiting assemble job was removed');
      // Back from its stall, the submitter finds its key gone and does not revive the render: it fails.
      cli.kill('SIGCONT');
      assert.equal(await exited, 1, stderr);
      assert.match(stderr, new RegExp(`gave render ${submitted.renderId} up`));
      assert.deepEqual(filesUnder(outDir), [], 'nothing was written to the output folder');
      assert.deepEqual(await client.keys('hf:*'), [], 'its own cleanup put nothing back');
    } finally {
      removeProject(project);
    }
  });

  test('the same workers then render the next farm render to the end', async () => {
    const project = seamProject();
    try {
      const output = path.join(project, 'next.mp4');
      const result = await renderOnFarm({ render: { entryFile: path.join(project, 'index.html'), outputPath: output }, redisUrl: redis.url, chunks: 3 });
      assert.equal(result.frames, SEAM_FRAMES);
      assert.ok(fs.statSync(output).size > 0);
      assert.deepEqual(await client.keys('hf:*'), []);
      assert.equal(killed.length, 2);
      assert.deepEqual(foldersOf(killed), [], 'the next submitter on this machine removed the killed ones\' folders');
    } finally {
      removeProject(project);
    }
  });
});
