// Where plans and chunk segments travel between the submitting machine and the workers. Two kinds:
//   folder  a path every machine mounts at the same place (NFS, SMB, a bind mount): no size limit;
//   redis   the farm's own Redis, for objects up to FARM_REDIS_STORAGE_MAX_BYTES, so a small farm needs
//           nothing but Redis.
// Every object is stored with its sha256 and verified on the way out (farm-storage-hash-mismatch); a
// folder object is written under a temporary name and renamed, so a reader never sees half of one.
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { FARM_REDIS_STORAGE_MAX_BYTES } from '../engine/limits';
import { sha256File } from '../engine/plan/hash';
import { FarmError } from './errors';
import { withRedisTimeout } from './redis';

/** JSON-serialisable: travels in the job data, so a worker opens the storage the submitter chose. */
export type StorageDescriptor = { kind: 'folder'; root: string } | { kind: 'redis' };

export interface StoredObject {
  key: string;
  sha256: string;
  bytes: number;
}

export interface FarmStorage {
  readonly descriptor: StorageDescriptor;
  /** Stores a local file under `key`. */
  put(key: string, file: string): Promise<StoredObject>;
  /** Writes the object into `file`, its hash verified. */
  get(object: StoredObject, file: string): Promise<void>;
  /** Removes every object whose key starts with `prefix`; resolves to how many there were. Removing what is gone is no error. */
  removePrefix(prefix: string): Promise<number>;
}

/** Redis keys of stored objects. */
export const REDIS_STORAGE_PREFIX = 'hf:storage:';

async function verified(object: StoredObject, file: string): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== object.sha256) {
    await fs.promises.rm(file, { force: true });
    throw new FarmError('capture', 'farm-storage-hash-mismatch', `The stored ${object.key} was changed in storage: it hashes to ${actual}, not ${object.sha256}.`);
  }
}

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

export class FolderStorage implements FarmStorage {
  readonly descriptor: StorageDescriptor;

  constructor(private readonly root: string) {
    this.descriptor = { kind: 'folder', root: path.resolve(root) };
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, file: string): Promise<StoredObject> {
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const partial = temporaryName(target);
    try {
      await fs.promises.copyFile(file, partial);
      await fs.promises.rename(partial, target);
    } finally {
      await fs.promises.rm(partial, { force: true });
    }
    return { key, sha256: await sha256File(file), bytes: fs.statSync(file).size };
  }

  async get(object: StoredObject, file: string): Promise<void> {
    await fs.promises.copyFile(this.pathOf(object.key), file);
    await verified(object, file);
  }

  async removePrefix(prefix: string): Promise<number> {
    const dir = this.pathOf(prefix.replace(/\/$/, ''));
    const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    await fs.promises.rm(dir, { recursive: true, force: true });
    return entries.filter(entry => entry.isFile()).length;
  }
}

export class RedisStorage implements FarmStorage {
  readonly descriptor: StorageDescriptor = { kind: 'redis' };

  constructor(private readonly redis: Redis, private readonly url: string) {}

  async put(key: string, file: string): Promise<StoredObject> {
    const bytes = fs.statSync(file).size;
    if (bytes > FARM_REDIS_STORAGE_MAX_BYTES) {
      throw new FarmError('compile', 'farm-storage-too-large', `${path.basename(file)} is ${bytes} bytes, more than Redis storage keeps (${FARM_REDIS_STORAGE_MAX_BYTES}, FARM_REDIS_STORAGE_MAX_BYTES): give the farm a shared folder with --storage DIR.`);
    }
    const content = await fs.promises.readFile(file);
    await withRedisTimeout(this.url, `storing ${key}`, this.redis.set(REDIS_STORAGE_PREFIX + key, content));
    return { key, sha256: await sha256File(file), bytes };
  }

  async get(object: StoredObject, file: string): Promise<void> {
    const content = await withRedisTimeout(this.url, `reading ${object.key}`, this.redis.getBuffer(REDIS_STORAGE_PREFIX + object.key));
    if (!content) throw new FarmError('capture', 'farm-storage-hash-mismatch', `${object.key} is missing from the Redis storage.`);
    const partial = temporaryName(file);
    await fs.promises.writeFile(partial, new Uint8Array(content.buffer, content.byteOffset, content.byteLength));
    await fs.promises.rename(partial, file);
    await verified(object, file);
  }

  async removePrefix(prefix: string): Promise<number> {
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await withRedisTimeout(this.url, 'removing stored objects', this.redis.scan(cursor, 'MATCH', `${REDIS_STORAGE_PREFIX}${prefix}*`, 'COUNT', 200));
      // Another process removing the same objects at once: DEL counts only what this call removed.
      if (keys.length) removed += await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }
}

export function openStorage(descriptor: StorageDescriptor, redis: Redis, url: string): FarmStorage {
  return descriptor.kind === 'folder' ? new FolderStorage(descriptor.root) : new RedisStorage(redis, url);
}
