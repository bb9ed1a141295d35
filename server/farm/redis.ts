// Redis connections for the farm: one URL, a first PING that must answer within FARM_REDIS_TIMEOUT_MS
// (a dead or wrong address is a farm-redis-unavailable error, not a hang), and a timeout for any later call.
import IORedis, { type Redis } from 'ioredis';
import { FARM_REDIS_TIMEOUT_MS } from '../engine/limits';
import { FarmError } from './errors';

/** Rejects with farm-redis-unavailable when `work` has not settled after FARM_REDIS_TIMEOUT_MS. */
export async function withRedisTimeout<T>(url: string, what: string, work: Promise<T>, ms = FARM_REDIS_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FarmError('capture', 'farm-redis-unavailable', `Redis at ${url} did not answer within ${ms} ms (${what}): is redis-server running there, and reachable from this machine?`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A connection BullMQ can use (maxRetriesPerRequest: null, as its workers require), checked with a PING.
 * The caller quits it. It reconnects after a loss while `keepReconnecting()` says so; BullMQ's own copies of it
 * (a worker's blocking connection) share that rule, so once the caller gives up on a lost Redis no copy keeps
 * reconnecting (and the process alive) behind its back.
 */
export async function connectRedis(url: string, keepReconnecting: () => boolean = () => true): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FarmError('compile', 'farm-redis-unavailable', `"${url}" is not a Redis URL (redis://HOST:PORT).`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new FarmError('compile', 'farm-redis-unavailable', `"${url}" is not a Redis URL (redis://HOST:PORT).`);
  const redis = new IORedis(url, {
    lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: FARM_REDIS_TIMEOUT_MS,
    retryStrategy: times => (keepReconnecting() ? Math.min(times * 200, 2_000) : null),
  });
  // Connection errors are retried by ioredis and surface as the timeouts above; unheard, they would crash.
  // The last one names the cause (ECONNREFUSED, ENOTFOUND…) better than "Connection is closed".
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => { lastError = error; });
  try {
    await withRedisTimeout(url, 'connect', redis.connect().then(() => redis.ping()));
    return redis;
  } catch (error) {
    redis.disconnect();
    if (error instanceof FarmError) throw error;
    throw new FarmError('compile', 'farm-redis-unavailable', `Cannot connect to Redis at ${url} (${lastError?.message ?? (error instanceof Error ? error.message : String(error))}): is redis-server running there, and reachable from this machine?`, { cause: error });
  }
}
