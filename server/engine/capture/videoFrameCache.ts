// The on-disk cache of extracted video frames: a second render of the same clip (or of another composition
// using the same source the same way) paints the frames a first one decoded, and decodes nothing.
//
// Content-addressed: an entry's name is the hash of what made it (the source's bytes, the extraction's
// parameters: filter, quality, the frames taken), so an edited source or a changed colour rule is a miss,
// never a stale hit. One folder per entry:
//   <dir>/<key>/               the frames (000000.jpg …) and `complete` (JSON: bytes), written last; its
//                              mtime is the entry's last use, for least-recently-used eviction
//   <dir>/<key>.json           a small value (a source's frame timestamps), its own mtime for LRU
//   <dir>/<key>.partial-<pid>-<n>/   an extraction in progress; published (renamed) when its render ends
// A render only reads complete entries and writes its own partial folder, so two renders at once are safe:
// the first to publish wins, the other drops its copy. Partial folders of dead processes are removed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { userCacheFolder } from '../cacheFolder';
import { DEFAULT_VIDEO_FRAME_CACHE_BYTES, VIDEO_FRAME_CACHE_FOLDER } from '../limits';
import type { Logger } from '../logger';

/** Bump when the layout or the meaning of an entry changes: old entries then miss and age out. */
const CACHE_FORMAT_VERSION = 1;
const COMPLETE_MARKER = 'complete';
const PARTIAL = /\.partial-(\d+)-\d+$/;

export interface VideoFrameCacheOptions {
  /** Default: VIDEO_FRAME_CACHE_FOLDER under the user's cache folder ($XDG_CACHE_HOME or ~/.cache). */
  dir?: string;
  /** Size limit in bytes (DEFAULT_VIDEO_FRAME_CACHE_BYTES); 0 keeps nothing between renders. */
  maxBytes?: number;
}

export function defaultVideoFrameCacheDir(): string {
  return userCacheFolder(VIDEO_FRAME_CACHE_FOLDER);
}

/** sha256 of a file's bytes, remembered per path, size and mtime for the life of the process. */
const sourceHashes = new Map<string, { size: number; mtimeMs: number; hash: Promise<string> }>();

export function sourceHash(file: string): Promise<string> {
  const stat = fs.statSync(file);
  const known = sourceHashes.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.hash;
  const hash = new Promise<string>((resolve, reject) => {
    const digest = createHash('sha256');
    fs.createReadStream(file).on('data', (chunk: Buffer) => digest.update(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))).on('error', reject).on('end', () => resolve(digest.digest('hex')));
  });
  hash.catch(() => sourceHashes.delete(file));
  sourceHashes.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, hash });
  return hash;
}

/** The entry name for a JSON-serialisable description of what an entry holds. */
export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify({ version: CACHE_FORMAT_VERSION, parts })).digest('hex').slice(0, 40);
}

let partialCounter = 0;

export class VideoFrameCache {
  readonly dir: string;
  readonly maxBytes: number;
  /** Entries this render read or wrote: never evicted by it. */
  private readonly inUse = new Set<string>();

  constructor(options: VideoFrameCacheOptions = {}, private readonly logger?: Logger) {
    this.dir = path.resolve(options.dir ?? defaultVideoFrameCacheDir());
    this.maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_VIDEO_FRAME_CACHE_BYTES);
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The folder of a complete entry (its use recorded), or undefined on a miss. */
  lookupFolder(key: string): string | undefined {
    if (!this.enabled) return undefined;
    const folder = path.join(this.dir, key);
    const marker = path.join(folder, COMPLETE_MARKER);
    if (!fs.existsSync(marker)) return undefined;
    this.touch(marker);
    this.inUse.add(key);
    return folder;
  }

  /** A fresh folder to extract into; publishFolder() makes it the entry. */
  partialFolder(key: string): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const folder = path.join(this.dir, `${key}.partial-${process.pid}-${partialCounter++}`);
    fs.mkdirSync(folder);
    this.inUse.add(key);
    return folder;
  }

  /** Makes a finished extraction the entry `key`; when another render published it first, drops this copy. */
  publishFolder(key: string, partial: string): void {
    const bytes = folderBytes(partial);
    fs.writeFileSync(path.join(partial, COMPLETE_MARKER), JSON.stringify({ bytes }));
    try {
      fs.renameSync(partial, path.join(this.dir, key));
    } catch {
      // The entry exists (a concurrent render of the same clip): identical content by construction.
      fs.rmSync(partial, { recursive: true, force: true });
    }
  }

  readJson<T>(key: string): T | undefined {
    if (!this.enabled) return undefined;
    const file = path.join(this.dir, `${key}.json`);
    try {
      const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
      this.touch(file);
      this.inUse.add(key);
      return value;
    } catch {
      return undefined;
    }
  }

  writeJson(key: string, value: unknown): void {
    if (!this.enabled) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${key}.json`);
    const temporary = `${file}.partial-${process.pid}-${partialCounter++}`;
    fs.writeFileSync(temporary, JSON.stringify(value));
    fs.renameSync(temporary, file);
    this.inUse.add(key);
  }

  /**
   * Keeps the cache under its size limit, removing the least recently used entries (not those this render
   * uses), and the partial folders of processes that are gone.
   */
  evict(): void {
    if (!fs.existsSync(this.dir)) return;
    const entries: Array<{ key: string; file: string; bytes: number; usedMs: number }> = [];
    for (const name of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      const partial = PARTIAL.exec(name);
      if (partial) {
        if (!processAlive(Number(partial[1]))) fs.rmSync(file, { recursive: true, force: true });
        continue;
      }
      try {
        if (name.endsWith('.json')) {
          const stat = fs.statSync(file);
          entries.push({ key: name.slice(0, -'.json'.length), file, bytes: stat.size, usedMs: stat.mtimeMs });
        } else {
          const marker = path.join(file, COMPLETE_MARKER);
          const stat = fs.statSync(marker);
          const { bytes } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { bytes: number };
          entries.push({ key: name, file, bytes, usedMs: stat.mtimeMs });
        }
      } catch {
        // Not an entry of ours (or one half removed): left alone.
      }
    }
    let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    entries.sort((a, b) => a.usedMs - b.usedMs);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      if (this.inUse.has(entry.key)) continue;
      fs.rmSync(entry.file, { recursive: true, force: true });
      total -= entry.bytes;
      this.logger?.debug(`video frame cache: evicted ${entry.key} (${entry.bytes} bytes)`);
    }
  }

  private touch(file: string): void {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // A read-only cache still serves its entries; only the LRU order is lost.
    }
  }
}

function folderBytes(folder: string): number {
  let bytes = 0;
  for (const name of fs.readdirSync(folder)) bytes += fs.statSync(path.join(folder, name)).size;
  return bytes;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
