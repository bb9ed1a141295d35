// Whether a farm render still has a submitter. The submitting process registers its render before it puts
// anything in storage or the queues: a record of what the render leaves behind (plan hash, storage, chunk
// count), its id in the set of renders in flight, and a liveness key it renews every FARM_POLL_MS with a TTL
// of FARM_SUBMITTER_TTL_MS. A process killed outright (SIGKILL, a lost machine) stops renewing; once its key
// has lapsed the record remains, and the workers treat the render as abandoned (farm/abandoned.ts). The key
// is renewed only while it exists, so a submitter back from a long stall cannot revive a render the workers
// have already removed: it learns it was given up instead.
import type { Redis } from 'ioredis';
import { FARM_SUBMITTER_TTL_MS } from '../engine/limits';
import type { StorageDescriptor } from './storage';

/** The renders in flight on this Redis, by id. */
export const RENDERS_KEY = 'hf:renders';
/** Renewed by the render's submitter; its value is the render's plan hash. */
export function submitterAliveKey(renderId: string): string {
  return `hf:alive:${renderId}`;
}
/** What a render leaves in Redis and storage, for whoever removes it. */
export function renderRecordKey(renderId: string): string {
  return `hf:render:${renderId}`;
}

export interface RenderRecord {
  renderId: string;
  planHash: string;
  storage: StorageDescriptor;
  /** Chunk jobs are chunkJobId(renderId, 0 … chunks − 1). */
  chunks: number;
}

/** Record, set entry and liveness key at once: a render is never seen half-registered. */
export async function registerRender(redis: Redis, record: RenderRecord): Promise<void> {
  await redis.multi()
    .set(submitterAliveKey(record.renderId), record.planHash, 'PX', FARM_SUBMITTER_TTL_MS)
    .hset(renderRecordKey(record.renderId), { planHash: record.planHash, storage: JSON.stringify(record.storage), chunks: String(record.chunks) })
    .sadd(RENDERS_KEY, record.renderId)
    .exec();
}

/** Renews the liveness key; false when it had lapsed (the farm has given the render up). */
export async function renewLiveness(redis: Redis, renderId: string, planHash: string): Promise<boolean> {
  return (await redis.set(submitterAliveKey(renderId), planHash, 'PX', FARM_SUBMITTER_TTL_MS, 'XX')) === 'OK';
}

/** The render is over and its objects are removed: nothing of its registration stays. */
export async function unregisterRender(redis: Redis, renderId: string): Promise<void> {
  await redis.multi().del(submitterAliveKey(renderId), renderRecordKey(renderId)).srem(RENDERS_KEY, renderId).exec();
}

export async function readRenderRecord(redis: Redis, renderId: string): Promise<RenderRecord | undefined> {
  const fields = await redis.hgetall(renderRecordKey(renderId));
  if (!fields.planHash || !fields.storage || !fields.chunks) return undefined;
  return { renderId, planHash: fields.planHash, storage: JSON.parse(fields.storage) as StorageDescriptor, chunks: Number(fields.chunks) };
}

/**
 * True when the render was registered and its submitter has stopped renewing it. A chunk of a render with no
 * record (a job added by hand, or by a submitter from before liveness keys) is not judged: it is rendered.
 */
export async function renderAbandoned(redis: Redis, renderId: string): Promise<boolean> {
  const [alive, registered] = await Promise.all([redis.exists(submitterAliveKey(renderId)), redis.exists(renderRecordKey(renderId))]);
  return registered === 1 && alive === 0;
}

/** Registered renders whose submitter has stopped renewing them. */
export async function abandonedRenders(redis: Redis): Promise<string[]> {
  const ids = await redis.smembers(RENDERS_KEY);
  if (ids.length === 0) return [];
  const alive = await redis.mget(ids.map(submitterAliveKey));
  return ids.filter((_, i) => alive[i] === null);
}

/** Another render with a live submitter uses this plan (the same composition and settings): its objects stay. */
export async function liveRenderUsingPlan(redis: Redis, planHash: string, exceptRenderId: string): Promise<string | undefined> {
  const ids = (await redis.smembers(RENDERS_KEY)).filter(id => id !== exceptRenderId);
  if (ids.length === 0) return undefined;
  const plans = await redis.mget(ids.map(submitterAliveKey));
  return ids.find((_, i) => plans[i] === planHash);
}
