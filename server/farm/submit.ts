// `render --farm redis://HOST:PORT`: the submitting side of a farm render. It plans here, puts the plan in
// farm storage, and adds one BullMQ flow: a parent assemble job over one child job per chunk. The parent
// waits in a queue of this render's own, which this process works, so assembly starts exactly when the last
// chunk is done, on the machine that has the plan's audio and the output folder. Progress is the chunks'
// frames summed. However the render ends, the flow, its queue, the cancel key and every stored object are
// removed again, and nothing but the finished output is written to the output folder. If this process ends
// without that cleanup (killed, its machine lost), its liveness key lapses and the workers remove the render
// instead (farm/liveness.ts, farm/abandoned.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FARM_LOCK_DURATION_MS, FARM_POLL_MS, FARM_REDIS_TIMEOUT_MS, FARM_REMOVAL_LOCK_MS, FARM_SUBMITTER_TTL_MS, WORKER_CANCEL_GRACE_MS } from '../engine/limits';
import { RenderCancelledError } from '../engine/errors';
import { silentLogger } from '../engine/logger';
import { locateFfmpeg } from '../engine/tools';
import { frameTime } from '../engine/frameRate';
import { buildPlan, unlockedOptions } from '../engine/plan/build';
import { planChunks } from '../engine/plan/chunking';
import { assembleChunks } from '../engine/chunks/assemble';
import { ChunkedProgress } from '../engine/chunks/progress';
import { segmentName, type ChunkedRenderResult } from '../engine/chunks/renderChunked';
import { defaultOutputPath } from '../engine/render/output';
import { pathCreated, pathReleased } from '../engine/render/ownedResources';
import type { OutputFormat, RenderCallbacks, RenderOptions } from '../engine/render/types';
import { chunkFailure, FarmError } from './errors';
import {
  assembleJobId, assembleQueueName, cancelKey, CHUNK_JOB_OPTIONS, CHUNK_QUEUE, chunkJobId, segmentsPrefix, type ChunkJobData, type ChunkJobProgress, type ChunkJobResult,
} from './jobs';
import { liveRenderUsingPlan, registerRender, renewLiveness, unregisterRender, withPlanLock } from './liveness';
import { planPrefix, uploadPlan } from './planTransfer';
import { connectRedis, withRedisTimeout } from './redis';
import { FolderStorage, RedisStorage, type FarmStorage } from './storage';
import { makeProcessFolder } from './processFolders';

/** A submitter's folder (its plan, the downloaded segments) is `<tmp>/hyperframes-farm-<pid>-<random>`. */
export const SUBMITTER_FOLDER_PREFIX = 'hyperframes-farm-';

/** What the farm renders: a segment of these concatenates without re-encoding. */
export const FARM_FORMATS: readonly OutputFormat[] = ['mp4', 'webm'];

/**
 * Why the farm would not render `render` as asked (a format whose segments do not concatenate, an option a
 * plan does not lock), or undefined when it would. The editor renders such a video here instead.
 */
export function whyNotOnFarm(render: RenderOptions): string | undefined {
  const format = render.format ?? (render.transparent ? 'webm' : 'mp4');
  if (!FARM_FORMATS.includes(format)) return `the farm renders ${FARM_FORMATS.join(' and ')}, not ${format}`;
  const unlocked = unlockedOptions(render);
  return unlocked.length ? `a render plan does not lock ${unlocked.join(', ')} yet` : undefined;
}

export interface FarmRenderInput {
  render: RenderOptions;
  redisUrl: string;
  /** Chunks to cut the video into; default: one per connected worker. */
  chunks?: number;
  /** A folder every worker mounts at the same path; default: Redis itself (FARM_REDIS_STORAGE_MAX_BYTES). */
  storageDir?: string;
}

export interface FarmRenderResult extends ChunkedRenderResult {
  renderId: string;
  /** Which worker rendered each chunk. */
  chunkWorkers: string[];
}

export async function renderOnFarm(input: FarmRenderInput, callbacks: RenderCallbacks = {}): Promise<FarmRenderResult> {
  const logger = callbacks.logger ?? silentLogger;
  const { render, redisUrl: url } = input;
  const signal = callbacks.signal;
  const started = Date.now();
  const format = render.format ?? (render.transparent ? 'webm' : 'mp4');
  if (!FARM_FORMATS.includes(format)) throw new FarmError('compile', 'farm-format', `The farm renders ${FARM_FORMATS.join(' and ')}; render ${format} without --farm.`);
  const outputPath = path.resolve(render.outputPath ?? defaultOutputPath(render.entryFile, format));
  const progress = new ChunkedProgress(callbacks.onProgress);
  const renderId = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  let finished = false;
  const connection: Redis = await connectRedis(url, () => !finished);
  const chunkQueue = new Queue<ChunkJobData, ChunkJobResult>(CHUNK_QUEUE, { connection });
  const assembleQueue = new Queue(assembleQueueName(renderId), { connection });
  const flows = new FlowProducer({ connection });
  const storage: FarmStorage = input.storageDir ? new FolderStorage(input.storageDir) : new RedisStorage(connection, url);
  // A submitter killed outright leaves its folder (the plan); the next one on this machine removes it.
  const workDir = makeProcessFolder(SUBMITTER_FOLDER_PREFIX);
  pathCreated(workDir);
  let assembler: Worker | undefined;
  let childIds: string[] = [];
  let parentId: string | undefined;
  let planHash: string | undefined;
  let succeeded = false;
  // Set once a Redis call timed out: the cleanup then removes only what lives outside Redis (a shared
  // folder's objects, the local work folder) instead of waiting on a server that is gone, timeout after timeout.
  let redisLost = false;
  const redisCall = <T>(what: string, work: Promise<T>, ms?: number) => withRedisTimeout(url, what, work, ms).catch((error: unknown) => {
    if (error instanceof FarmError && error.farmCode === 'farm-redis-unavailable') redisLost = true;
    throw error;
  });
  // The liveness key, renewed from registration to the end of the cleanup. A renewal that finds it lapsed (this
  // process stalled for FARM_SUBMITTER_TTL_MS) means the workers have given the render up and removed it.
  let registered = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let givenUp: FarmError | undefined;
  const keepAlive = (hash: string) => {
    let renewing = false;
    heartbeat = setInterval(() => {
      if (renewing) return;
      renewing = true;
      renewLiveness(connection, renderId, hash).then(alive => {
        givenUp ??= alive ? undefined : new FarmError('capture', 'farm-render-abandoned', `The farm gave render ${renderId} up: this process did not renew its liveness key for ${FARM_SUBMITTER_TTL_MS} ms (FARM_SUBMITTER_TTL_MS), so the workers removed its chunks.`);
      }, () => undefined).finally(() => { renewing = false; });
    }, FARM_POLL_MS);
  };

  try {
    progress.planning();
    const workers = await redisCall('counting workers', chunkQueue.getWorkersCount());
    if (workers === 0) logger.warn(`No farm worker is connected to ${url} yet: the chunks wait until one is (hyperframes-live farm worker --redis ${url}).`);
    const planDir = path.join(workDir, 'plan');
    // Built here into a folder of this render's own: the workers verify it, this side need not re-hash it.
    const plan = await buildPlan({ render: { ...render, format }, chunks: input.chunks ?? Math.max(1, workers), planDir, logger, signal });
    planHash = plan.planHash;
    const chunks = planChunks(plan.config.frameCount, plan.config.chunkFrames);
    // Registered before anything is stored: whatever this render puts in storage or the queues from here on,
    // the workers find and remove if this process dies.
    const record = { renderId, planHash, storage: storage.descriptor, chunks: chunks.length };
    await redisCall('registering the render', withPlanLock(connection, url, planHash, () => registerRender(connection, record)), FARM_REMOVAL_LOCK_MS + FARM_REDIS_TIMEOUT_MS);
    registered = true;
    keepAlive(planHash);
    const manifest = await uploadPlan(storage, plan, planDir);
    const planMs = Date.now() - started;

    // The parent's processor: runs here once every chunk is stored.
    let settle: { resolve: (value: ChunkJobResult[]) => void; reject: (error: Error) => void } | undefined;
    const assembled = new Promise<ChunkJobResult[]>((resolve, reject) => { settle = { resolve, reject }; });
    assembled.catch(() => undefined);
    let assembleMs = 0;
    assembler = new Worker(assembleQueueName(renderId), async (job: Job) => {
      const values = Object.values(await job.getChildrenValues<ChunkJobResult>()).sort((a, b) => a.index - b.index);
      // Every chunk is done: its last frames may have come after the last progress poll.
      for (const value of values) progress.chunkFrames(value.index, value.frames);
      progress.assembling();
      const assembleStarted = Date.now();
      const segments: string[] = [];
      for (const value of values) {
        const file = path.join(workDir, segmentName(plan, value.index));
        await storage.get(value.segment, file);
        segments.push(file);
      }
      await assembleChunks({ plan, planDir, segments, outputPath, workDir, ffmpegPath: locateFfmpeg({ explicitPath: render.ffmpegPath }).path, logger, signal });
      assembleMs = Date.now() - assembleStarted;
      return values;
    }, { connection, concurrency: 1 });
    assembler.on('completed', (_job, values: ChunkJobResult[]) => settle?.resolve(values));
    assembler.on('failed', (_job, error) => settle?.reject(error));
    assembler.on('error', error => logger.debug(`assembler: ${error.message}`));

    if (givenUp) throw givenUp;
    const node = await redisCall('adding the flow', flows.add({
      name: 'assemble', queueName: assembleQueueName(renderId), data: { renderId }, opts: { jobId: assembleJobId(renderId) },
      children: chunks.map(chunk => ({
        name: `chunk-${chunk.index}`, queueName: CHUNK_QUEUE, opts: { ...CHUNK_JOB_OPTIONS, jobId: chunkJobId(renderId, chunk.index) },
        data: {
          renderId, planHash: plan.planHash, manifest, storage: storage.descriptor, chunk,
          segmentKey: `${segmentsPrefix(renderId)}${segmentName(plan, chunk.index)}`,
          allowErrors: render.allowErrors ?? false, strict: render.strict ?? false,
        } satisfies ChunkJobData,
      })),
    }));
    parentId = node.job.id;
    // Children come back in the order given: chunk i is childIds[i].
    const byIndex = new Map((node.children ?? []).map(child => [(child.job.data as ChunkJobData).chunk.index, child.job.id!]));
    childIds = chunks.map(chunk => byIndex.get(chunk.index)!);
    progress.capturing(plan.config.frameCount);
    logger.info(`farm render ${renderId}: ${chunks.length} chunk(s) of ${plan.config.chunkFrames} frames queued on ${url}`);

    const chunksStarted = Date.now();
    const results = await new Promise<ChunkJobResult[]>((resolve, reject) => {
      let polling = false;
      const poll = setInterval(() => {
        if (polling) return;
        polling = true;
        (async () => {
          if (signal?.aborted) throw new RenderCancelledError('capture');
          if (givenUp) throw givenUp;
          for (const [index, id] of childIds.entries()) {
            const job = await redisCall('reading progress', Job.fromId<ChunkJobData, ChunkJobResult>(chunkQueue, id));
            if (!job) continue;
            const p = job.progress as Partial<ChunkJobProgress> | number;
            if (typeof p === 'object' && typeof p.frame === 'number') progress.chunkFrames(index, p.frame);
            if (job.finishedOn && job.failedReason && job.attemptsMade >= (CHUNK_JOB_OPTIONS.attempts ?? 1)) throw chunkFailure(index, job.failedReason);
            if (job.failedReason && (await redisCall('reading a chunk', job.getState())) === 'failed') throw chunkFailure(index, job.failedReason);
          }
        })().then(() => { polling = false; }, error => { clearInterval(poll); reject(error instanceof Error ? error : new Error(String(error))); });
      }, FARM_POLL_MS);
      assembled.then(values => { clearInterval(poll); resolve(values); }, error => { clearInterval(poll); reject(error instanceof Error ? error : new Error(String(error))); });
    });
    const chunksMs = Date.now() - chunksStarted - assembleMs;
    succeeded = true;
    const wallMs = Date.now() - started;
    const { config } = plan;
    progress.done(`Rendered ${outputPath}`);
    return {
      outputPath, format, sizeBytes: fs.statSync(outputPath).size, duration: frameTime(config.frameCount, config.frameRate),
      frames: results.reduce((sum, r) => sum + r.frames, 0), fps: config.fps, width: config.width * config.scale, height: config.height * config.scale,
      hasAudio: plan.audio !== undefined, wallMs, planHash: plan.planHash, chunks: chunks.length,
      chunkTimings: { planMs, chunksMs, assembleMs, perChunkMs: results.map(r => r.renderMs) },
      renderId, chunkWorkers: results.map(r => r.worker), captureMode: results[0].captureMode, captureWorkers: config.workersPerChunk,
    };
  } catch (error) {
    if (signal?.aborted && !(error instanceof FarmError)) throw new RenderCancelledError('capture');
    throw error;
  } finally {
    progress.stop();
    await cleanUp().catch(error => logger.warn(`farm render ${renderId}: cleaning up failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** The flow, its queue, the cancel key and the stored plan and segments: nothing of this render stays in Redis. */
  async function cleanUp(): Promise<void> {
    if (redisLost) {
      finished = true;
      clearInterval(heartbeat);
      // Nothing in Redis can be removed now; its jobs and keys go with the server (or expire: the cancel key's
      // PX, the chunks' failed tries). The chunks' workers notice the loss themselves (worker.ts) and stop.
      try {
        await Promise.allSettled([assembler?.close(true), chunkQueue.close(), assembleQueue.close(), flows.close()].map(closing => withRedisTimeout(url, 'closing', Promise.resolve(closing), FARM_POLL_MS)));
        if (storage instanceof FolderStorage) {
          await storage.removePrefix(segmentsPrefix(renderId));
          if (planHash) await storage.removePrefix(planPrefix(planHash));
        }
      } finally {
        connection.disconnect();
        await fs.promises.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
        pathReleased(workDir);
      }
      return;
    }
    try {
      if (!succeeded && childIds.length) {
        // Running chunks stop (their workers watch this key); a worker that died holds its lock until it lapses.
        await redisCall('cancelling', connection.set(cancelKey(renderId), '1', 'PX', FARM_LOCK_DURATION_MS * 4));
        const deadline = Date.now() + WORKER_CANCEL_GRACE_MS + FARM_LOCK_DURATION_MS * 2;
        while (Date.now() < deadline) {
          const states = await Promise.all(childIds.map(id => redisCall('reading a chunk', chunkQueue.getJobState(id))));
          if (!states.includes('active')) break;
          await new Promise(resolve => setTimeout(resolve, FARM_POLL_MS));
        }
      }
      await assembler?.close(true);
      if (parentId) {
        const parent = await Job.fromId(assembleQueue, parentId);
        await parent?.remove({ removeChildren: true }).catch(() => undefined);
      }
      for (const id of childIds) await chunkQueue.remove(id, { removeChildren: true }).catch(() => undefined);
      await assembleQueue.obliterate({ force: true }).catch(() => undefined);
      await connection.del(cancelKey(renderId));
      await storage.removePrefix(segmentsPrefix(renderId));
      // Another live render of the same plan (the same composition and settings) still reads its objects.
      const hash = planHash;
      if (hash) {
        await redisCall('removing the plan', withPlanLock(connection, url, hash, async () => {
          if (!(await liveRenderUsingPlan(connection, hash, renderId))) await storage.removePrefix(planPrefix(hash));
        }), FARM_REMOVAL_LOCK_MS + FARM_REDIS_TIMEOUT_MS);
      }
      clearInterval(heartbeat);
      if (registered) await redisCall('unregistering the render', unregisterRender(connection, renderId));
    } finally {
      clearInterval(heartbeat);
      // Closing waits on Redis too: a dead server must not hold the render's end.
      await redisCall('closing the queues', Promise.allSettled([chunkQueue.close(), assembleQueue.close(), flows.close()])).catch(() => undefined);
      finished = true;
      connection.disconnect();
      await fs.promises.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(workDir);
    }
  }
}
