// Removing a render whose submitter stopped answering (its liveness key lapsed: farm/liveness.ts), done by the
// workers since nobody else is left to: its chunk jobs (waiting, delayed, done or failed), its assemble queue,
// its cancel key, its segments, its plan objects unless a live render uses the same plan, and then its
// registration. Workers that notice at once take turns (one sweeps, the others find its sweep lock taken), and
// a render may be swept again and again: every step removes what is still there. A chunk job still held by the
// worker that is stopping it cannot be removed yet; the registration then stays, so a later sweep (any
// worker's) finishes the job, segments that chunk stored in the meantime included.
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { assembleJobId, assembleQueueName, cancelKey, chunkJobId, segmentsPrefix } from './jobs';
import { liveRenderUsingPlan, readRenderRecord, renderAbandoned, unregisterRender, withPlanLock, withSweepLock, type RenderRecord } from './liveness';
import { planPrefix } from './planTransfer';
import { openStorage } from './storage';

export interface AbandonedRenderSweep {
  renderId: string;
  planHash: string;
  chunksRemoved: number;
  /** Chunk jobs still held by a worker that is stopping them: a later sweep removes them. */
  chunksHeld: number;
  assembleRemoved: boolean;
  segmentsRemoved: number;
  planObjectsRemoved: number;
  /** A live render using the same plan, for which its objects stay. */
  planKeptFor?: string;
  /** Everything is gone and the render is no longer registered. */
  finished: boolean;
}

/** Sweeps `renderId` if it is registered and abandoned; undefined when it is not (live, or already gone). */
export async function sweepAbandonedRender(redis: Redis, url: string, chunkQueue: Queue, renderId: string): Promise<AbandonedRenderSweep | undefined> {
  if (!(await renderAbandoned(redis, renderId))) return undefined;
  // Another worker sweeping it now does the work (and the counting); a later sweep finds what is left.
  return withSweepLock(redis, url, renderId, async () => {
    const record = await readRenderRecord(redis, renderId);
    return record && sweep(redis, url, chunkQueue, record);
  });
}

async function sweep(redis: Redis, url: string, chunkQueue: Queue, record: RenderRecord): Promise<AbandonedRenderSweep> {
  const { renderId } = record;
  let chunksRemoved = 0;
  let chunksHeld = 0;
  for (let index = 0; index < record.chunks; index++) {
    const id = chunkJobId(renderId, index);
    if ((await chunkQueue.getJobState(id)) === 'unknown') continue;
    // 0: locked by the worker rendering it, which stops it on its next look at the liveness key.
    if ((await chunkQueue.remove(id, { removeChildren: false })) === 1) chunksRemoved++; else chunksHeld++;
  }
  const assembleQueue = new Queue(assembleQueueName(renderId), { connection: redis });
  let assembleRemoved = false;
  let obliterated = false;
  try {
    assembleRemoved = (await Job.fromId(assembleQueue, assembleJobId(renderId))) !== undefined;
    // Refused ("not paused") when another process (the submitter's own cleanup, back from a stall) obliterated
    // it between this pause and this script: the registration then stays and the next sweep looks again.
    obliterated = await assembleQueue.obliterate({ force: true }).then(() => true, () => false);
  } finally {
    await assembleQueue.close();
  }
  await redis.del(cancelKey(renderId));
  const storage = openStorage(record.storage, redis, url);
  const segmentsRemoved = await storage.removePrefix(segmentsPrefix(renderId));
  const { planKeptFor, planObjectsRemoved } = await withPlanLock(redis, url, record.planHash, async () => {
    const user = await liveRenderUsingPlan(redis, record.planHash, renderId);
    return { planKeptFor: user, planObjectsRemoved: user ? 0 : await storage.removePrefix(planPrefix(record.planHash)) };
  });
  const finished = chunksHeld === 0 && obliterated;
  if (finished) await unregisterRender(redis, renderId);
  return { renderId, planHash: record.planHash, chunksRemoved, chunksHeld, assembleRemoved: assembleRemoved && obliterated, segmentsRemoved, planObjectsRemoved, planKeptFor, finished };
}

/** Whether this sweep removed anything (a repeated or concurrent sweep often finds nothing left to remove). */
export function sweepRemovedSomething(sweep: AbandonedRenderSweep): boolean {
  return sweep.chunksRemoved > 0 || sweep.assembleRemoved || sweep.segmentsRemoved > 0 || sweep.planObjectsRemoved > 0;
}

/** The worker's log line for a sweep. */
export function describeSweep(sweep: AbandonedRenderSweep): string {
  const removed = [
    `${sweep.chunksRemoved} chunk job(s)`,
    ...(sweep.assembleRemoved ? ['its assemble job'] : []),
    `${sweep.segmentsRemoved} segment(s)`,
    `${sweep.planObjectsRemoved} plan object(s)`,
  ];
  const plan = sweep.planKeptFor ? `; kept plan ${sweep.planHash.slice(0, 12)}, in use by render ${sweep.planKeptFor}` : '';
  const held = sweep.chunksHeld > 0 ? `; ${sweep.chunksHeld} chunk(s) still stopping, removed once stopped` : '';
  return `render ${sweep.renderId} abandoned: its submitter stopped answering; removed ${removed.join(', ')}${plan}${held}`;
}
