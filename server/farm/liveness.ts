// Whether a farm render still has a submitter. The submitting process registers its render before it puts
// anything in storage or the queues: a record of what the render leaves behind (plan hash, storage, chunk
// count), its id in the set of renders in flight, and a liveness key it renews every FARM_POLL_MS with a TTL
// of FARM_SUBMITTER_TTL_MS. A process killed outright (SIGKILL, a lost machine) stops renewing; once its key
// has lapsed the record remains, and the workers treat the render as abandoned (farm/abandoned.ts). The key
// is renewed only while it exists, so a submitter back from a long stall cannot revive a render the workers
// have already removed: it learns it was given up instead. Renders of the same plan share its stored objects:
// whoever finishes with a plan removes them only if no live render uses it, under a per-plan lock that
// registering for the plan also takes. One process at a time sweeps an abandoned render (its sweep lock).
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { FARM_POLL_MS, FARM_REMOVAL_LOCK_MS, FARM_SUBMITTER_TTL_MS } from '../engine/limits';
import { FarmError } from './errors';
import { withRedisTimeout } from './redis';
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
  const lapsed = ids.filter((_, i) => alive[i] === null);
  const registered = await Promise.all(lapsed.map(id => redis.exists(renderRecordKey(id))));
  // An id whose record is gone (removed by hand: registering and unregistering change both at once) would be
  // looked at forever.
  const stale = lapsed.filter((_, i) => registered[i] === 0);
  if (stale.length) await redis.srem(RENDERS_KEY, ...stale);
  return lapsed.filter((_, i) => registered[i] === 1);
}

/** Deletes a lock only if it is still this holder's (it may have lapsed and been taken since). */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Runs `work` holding the lock `key`, and resolves to what it returns; to undefined, without running it, when the lock stayed taken for `waitMs`. */
async function withLock<T>(redis: Redis, url: string, key: string, waitMs: number, work: () => Promise<T>): Promise<{ value: T } | undefined> {
  const token = crypto.randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await withRedisTimeout(url, 'taking a lock', redis.set(key, token, 'PX', FARM_REMOVAL_LOCK_MS, 'NX'))) !== 'OK') {
    if (Date.now() >= deadline) return undefined;
    await new Promise(resolve => setTimeout(resolve, FARM_POLL_MS / 5));
  }
  try {
    return { value: await work() };
  } finally {
    await withRedisTimeout(url, 'releasing a lock', redis.eval(RELEASE_LOCK, 1, key, token)).catch(() => undefined);
  }
}

/**
 * Runs `work` holding the plan's lock: registering a render for a plan, and finding a plan unused and removing
 * its objects, never interleave (liveRenderUsingPlan then removePrefix would otherwise race a render that
 * registers in between and uploads the plan while it is being removed).
 */
export async function withPlanLock<T>(redis: Redis, url: string, planHash: string, work: () => Promise<T>): Promise<T> {
  // No holder keeps it longer than FARM_REMOVAL_LOCK_MS; waiting longer means others keep taking it first.
  const held = await withLock(redis, url, `hf:plan-lock:${planHash}`, FARM_REMOVAL_LOCK_MS, work);
  if (!held) throw new FarmError('capture', 'farm-plan-locked', `The lock on plan ${planHash.slice(0, 12)} in Redis at ${url} stayed taken for ${FARM_REMOVAL_LOCK_MS} ms (FARM_REMOVAL_LOCK_MS).`);
  return held.value;
}

/** Runs `work` if no other process is sweeping the render now (then undefined: that one removes it). */
export async function withSweepLock<T>(redis: Redis, url: string, renderId: string, work: () => Promise<T>): Promise<T | undefined> {
  return (await withLock(redis, url, `hf:sweep-lock:${renderId}`, 0, work))?.value;
}

/** Another render with a live submitter uses this plan (the same composition and settings): its objects stay. */
export async function liveRenderUsingPlan(redis: Redis, planHash: string, exceptRenderId: string): Promise<string | undefined> {
  const ids = (await redis.smembers(RENDERS_KEY)).filter(id => id !== exceptRenderId);
  if (ids.length === 0) return undefined;
  const plans = await redis.mget(ids.map(submitterAliveKey));
  return ids.find((_, i) => plans[i] === planHash);
}
