// `hyperframes-live farm worker`: takes chunk jobs from Redis and renders each in its own render worker
// process. Per plan it downloads and verifies the plan once (plan-hash-mismatch), checks this machine's
// Chromium and ffmpeg (tool-version-mismatch: never retried, another try would fail the same way), lays the
// project out once, and stores each segment back. BullMQ renews the job's lock while a chunk renders; if
// this process dies, the lock lapses and another worker's stalled check takes the chunk (jobs.ts, limits.ts).
// A cancel (cancelKey) stops the chunk's render. So does a render whose submitter stopped answering (its
// liveness key lapsed: farm/liveness.ts): its chunk fails for good, and this worker removes what the render left
// (farm/abandoned.ts), as it does, every FARM_ABANDONED_SWEEP_MS, for any abandoned render with no chunk left to
// run. A Redis that stays unreachable ends the worker with a clear error rather than leaving it waiting forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  FARM_ABANDONED_SWEEP_MS, FARM_LOCK_DURATION_MS, FARM_MAX_STALLED_COUNT, FARM_POLL_MS, FARM_REDIS_TIMEOUT_MS, FARM_REMOVAL_LOCK_MS, FARM_STALLED_INTERVAL_MS, FARM_WORKER_CACHED_PLANS, WORKER_CANCEL_GRACE_MS,
} from '../engine/limits';
import { type Logger, silentLogger } from '../engine/logger';
import { PlanError } from '../engine/plan/errors';
import { checkPlanTools, materializePlan } from '../engine/plan/verify';
import { planTools } from '../engine/plan/build';
import type { RenderPlan } from '../engine/plan/types';
import { renderPlanChunk } from '../engine/chunks/renderChunk';
import { segmentName } from '../engine/chunks/renderChunked';
import { pathCreated, pathReleased } from '../engine/render/ownedResources';
import type { RenderOptions } from '../engine/render/types';
import { encodeChunkFailure, FarmError } from './errors';
import { CHUNK_QUEUE, cancelKey, type ChunkJobData, type ChunkJobProgress, type ChunkJobResult } from './jobs';
import { downloadPlan } from './planTransfer';
import { describeSweep, sweepAbandonedRender, sweepRemovedSomething } from './abandoned';
import { abandonedRenders, renderAbandoned } from './liveness';
import { connectRedis, withRedisTimeout } from './redis';
import { openStorage } from './storage';
import { makeProcessFolder } from './processFolders';

export interface FarmWorkerOptions {
  redisUrl: string;
  /** Chunks rendered at the same time by this worker (each its own render process). */
  concurrency?: number;
  /** This machine's tools. */
  local?: Pick<RenderOptions, 'chromiumPath' | 'ffmpegPath' | 'runtimePath'>;
  logger?: Logger;
  /** dist/render-worker.js when not beside the running bundle. */
  workerPath?: string;
}

export interface FarmWorkerHandle {
  /** Settles when the worker has stopped: rejects when Redis stayed unreachable. */
  done: Promise<void>;
  /** Stops taking chunks, stops the running ones (they go back to the queue) and disconnects. */
  stop(): Promise<void>;
}

interface PreparedPlan {
  plan: RenderPlan;
  planDir: string;
  entryFile: string;
}

/** How an abandoned render's chunk failure begins (encodeChunkFailure). */
const ABANDONED_PREFIX = '[farm-render-abandoned]';

/** A worker's folder (plans, segments) is `<tmp>/hyperframes-farm-worker-<pid>-<random>`. */
const WORKER_FOLDER_PREFIX = 'hyperframes-farm-worker-';

export async function startFarmWorker(options: FarmWorkerOptions): Promise<FarmWorkerHandle> {
  const logger = options.logger ?? silentLogger;
  const url = options.redisUrl;
  let stopped = false;
  // This machine's tools do not change while the worker runs: their versions are read once (about 0.3 s of
  // --version runs), not before every plan's first chunk.
  const toolsHere = planTools(options.local ?? {});
  toolsHere.catch(() => undefined);
  const connection: Redis = await connectRedis(url, () => !stopped);
  const workDir = makeProcessFolder(WORKER_FOLDER_PREFIX);
  pathCreated(workDir);
  const plans = new Map<string, Promise<PreparedPlan>>();
  const running = new Set<AbortController>();
  let stopping: Promise<void> | undefined;
  const name = `${os.hostname()}:${process.pid}`;

  // Plans in use by a running chunk, by hash; the others beyond FARM_WORKER_CACHED_PLANS are removed, oldest first.
  const inUse = new Map<string, number>();
  const evictPlans = () => {
    for (const hash of plans.keys()) {
      if (plans.size <= FARM_WORKER_CACHED_PLANS) return;
      if ((inUse.get(hash) ?? 0) > 0) continue;
      plans.delete(hash);
      void fs.promises.rm(path.join(workDir, 'plans', hash), { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const preparePlan = (data: ChunkJobData): Promise<PreparedPlan> => {
    let prepared = plans.get(data.planHash);
    if (!prepared) {
      prepared = (async () => {
        const planDir = path.join(workDir, 'plans', data.planHash);
        const storage = openStorage(data.storage, connection, url);
        const plan = await downloadPlan(storage, data.manifest, data.planHash, planDir);
        checkPlanTools(plan, await toolsHere);
        const entryFile = await materializePlan(plan, planDir, path.join(planDir, 'project'));
        return { plan, planDir, entryFile };
      })();
      prepared.catch(() => plans.delete(data.planHash));
      plans.set(data.planHash, prepared);
    }
    return prepared;
  };

  const processChunk = async (job: Job<ChunkJobData, ChunkJobResult>): Promise<ChunkJobResult> => {
    const started = Date.now();
    const data = job.data;
    const controller = new AbortController();
    running.add(controller);
    const segmentFile = path.join(workDir, `${data.renderId}-${job.id ?? 'job'}-${job.attemptsMade}-${data.chunk.index}`);
    let abandoned = false;
    let rendering = false;
    const giveUp = () => {
      abandoned = true;
      return new FarmError('capture', 'farm-render-abandoned', `Render ${data.renderId} was abandoned: its submitter stopped renewing its liveness key (FARM_SUBMITTER_TTL_MS).`);
    };
    const abandonedNow = () => withRedisTimeout(url, 'reading the render\'s liveness', renderAbandoned(connection, data.renderId));
    // A cancelled render's chunks stop (its submitter set the cancel key), and so do an abandoned render's.
    const watch = setInterval(() => {
      Promise.all([connection.exists(cancelKey(data.renderId)), renderAbandoned(connection, data.renderId)]).then(([cancelled, gone]) => {
        if (gone) giveUp();
        if (cancelled || gone) controller.abort();
      }, () => undefined);
    }, FARM_POLL_MS);
    try {
      inUse.set(data.planHash, (inUse.get(data.planHash) ?? 0) + 1);
      if (await abandonedNow()) throw giveUp();
      const { plan, entryFile } = await preparePlan(data);
      const segment = path.join(`${segmentFile}`, segmentName(plan, data.chunk.index));
      await fs.promises.mkdir(path.dirname(segment), { recursive: true });
      const total = data.chunk.endFrame - data.chunk.startFrame;
      let lastReport = 0;
      const renderStarted = Date.now();
      logger.info(`chunk ${data.chunk.index} of ${data.renderId}: frames ${data.chunk.startFrame}–${data.chunk.endFrame}`);
      rendering = true;
      const result = await renderPlanChunk({
        plan, chunk: data.chunk, entryFile, outputFile: segment, signal: controller.signal, workerPath: options.workerPath,
        local: { ...options.local, allowErrors: data.allowErrors, strict: data.strict },
        onProgress: p => {
          if (p.stage !== 'capture' || p.frame === undefined) return;
          const now = Date.now();
          if (now - lastReport < FARM_POLL_MS && p.frame < total) return;
          lastReport = now;
          job.updateProgress({ frame: p.frame, totalFrames: total } satisfies ChunkJobProgress).catch(() => undefined);
        },
        onLog: (level, message) => { if (level === 'warn' || level === 'error') logger[level](`chunk ${data.chunk.index}: ${message}`); },
      });
      const renderMs = Date.now() - renderStarted;
      // Abandoned while its last frames were encoded: nobody is waiting for the segment.
      if (abandoned || await abandonedNow()) throw giveUp();
      const stored = await openStorage(data.storage, connection, url).put(data.segmentKey, segment);
      // Abandoned while it was stored: the sweep after this failure removes it again.
      if (await abandonedNow()) throw giveUp();
      await job.updateProgress({ frame: total, totalFrames: total } satisfies ChunkJobProgress);
      return { index: data.chunk.index, segment: stored, frames: result.frames, wallMs: Date.now() - started, renderMs, worker: name, captureMode: result.captureMode };
    } catch (error) {
      // A plan that vanished from storage as this chunk fetched it: the render was abandoned meanwhile. (Not
      // asked of a Redis this worker is leaving.)
      if (abandoned || (!stopping && await abandonedNow().catch(() => false))) {
        // Whatever the render process said as it was stopped, the reason is the abandon.
        logger.info(`chunk ${data.chunk.index} of ${data.renderId} ${rendering ? 'stopped' : 'not rendered'}: the render was abandoned`);
        throw new UnrecoverableError(encodeChunkFailure(giveUp()));
      }
      const reason = encodeChunkFailure(error);
      logger.warn(`chunk ${data.chunk.index} of ${data.renderId} failed: ${reason}`);
      // A plan that does not verify or tools that differ fail the same way on every try; a cancelled render
      // is over. A chunk stopped because this worker is stopping is another worker's to retry.
      if (error instanceof PlanError || (controller.signal.aborted && !stopping)) throw new UnrecoverableError(reason);
      throw new Error(reason);
    } finally {
      clearInterval(watch);
      running.delete(controller);
      inUse.set(data.planHash, (inUse.get(data.planHash) ?? 1) - 1);
      evictPlans();
      await fs.promises.rm(segmentFile, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const worker = new Worker<ChunkJobData, ChunkJobResult>(CHUNK_QUEUE, processChunk, {
    connection, concurrency: Math.max(1, options.concurrency ?? 1), name,
    lockDuration: FARM_LOCK_DURATION_MS, stalledInterval: FARM_STALLED_INTERVAL_MS, maxStalledCount: FARM_MAX_STALLED_COUNT,
  });
  worker.on('error', error => logger.debug(`worker: ${error.message}`));

  // Abandoned renders: swept one at a time by this worker (other workers may sweep the same render at once),
  // at once when one of its chunks has failed here (the job is then no longer held), and every
  // FARM_ABANDONED_SWEEP_MS for renders that no worker is rendering.
  const removals = new Queue(CHUNK_QUEUE, { connection });
  let sweeps: Promise<void> = Promise.resolve();
  const sweep = (renderIds: readonly string[]) => {
    sweeps = sweeps.then(async () => {
      for (const renderId of renderIds) {
        if (stopping) return;
        // As long as its sweep lock lasts: past that, another worker may sweep it too.
        const result = await withRedisTimeout(url, 'removing an abandoned render', sweepAbandonedRender(connection, url, removals, renderId), FARM_REMOVAL_LOCK_MS);
        if (result && sweepRemovedSomething(result)) logger.info(describeSweep(result));
      }
    }).catch(error => logger.debug(`removing abandoned renders: ${error instanceof Error ? error.message : String(error)}`));
    return sweeps;
  };
  worker.on('failed', (job, error) => {
    if (job && error.message.startsWith(ABANDONED_PREFIX)) void sweep([job.data.renderId]);
  });
  let looking = false;
  const janitor = setInterval(() => {
    if (looking || stopping || connection.status !== 'ready') return;
    looking = true;
    abandonedRenders(connection).then(ids => (ids.length ? sweep(ids) : undefined), () => undefined).finally(() => { looking = false; });
  }, FARM_ABANDONED_SWEEP_MS);

  let fail: (error: Error) => void = () => undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => { finish = resolve; fail = reject; });
  done.catch(() => undefined);

  const stop = (why?: Error): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(health);
      clearInterval(janitor);
      for (const controller of running) controller.abort();
      const redisLost = why instanceof FarmError && why.farmCode === 'farm-redis-unavailable';
      if (redisLost) {
        stopped = true;
        // Nothing can be written back to a Redis that is gone (the chunks' locks lapse instead, and another
        // worker takes them once it is back): wait only for the stopped chunks' render processes to end, then
        // close without waiting on Redis. BullMQ's close() cannot be forced once a graceful one has begun.
        const deadline = Date.now() + WORKER_CANCEL_GRACE_MS + FARM_REDIS_TIMEOUT_MS;
        while (running.size > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, FARM_POLL_MS));
        await withRedisTimeout(url, 'closing the worker', worker.close(true), FARM_POLL_MS).catch(() => undefined);
      } else {
        // The stopped chunks are written back as failed tries (retried elsewhere) before the connection goes.
        await withRedisTimeout(url, 'closing the worker', worker.close(), WORKER_CANCEL_GRACE_MS + FARM_REDIS_TIMEOUT_MS).catch(() => undefined);
      }
      stopped = true;
      await withRedisTimeout(url, 'closing', removals.close(), FARM_POLL_MS).catch(() => undefined);
      connection.disconnect();
      await fs.promises.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(workDir);
      if (why) fail(why); else finish();
    })();
    return stopping;
  };

  // Redis gone for longer than the timeout: say so and stop, instead of waiting on it forever.
  let downSince: number | undefined;
  const health = setInterval(() => {
    if (connection.status === 'ready') { downSince = undefined; return; }
    downSince ??= Date.now();
    if (Date.now() - downSince > FARM_REDIS_TIMEOUT_MS) {
      void stop(new FarmError('capture', 'farm-redis-unavailable', `Lost the connection to Redis at ${url} for more than ${FARM_REDIS_TIMEOUT_MS} ms; the worker stops (its chunks go to other workers once Redis is back).`));
    }
  }, FARM_POLL_MS);

  await worker.waitUntilReady();
  logger.info(`farm worker ${name} taking chunks from ${url} (concurrency ${Math.max(1, options.concurrency ?? 1)})`);
  return { done, stop: () => stop() };
}
