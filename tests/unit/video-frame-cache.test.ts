// The video frame cache: content-addressed keys, least-recently-used eviction under its size limit (never
// what the current render uses), partial folders of dead processes removed; and the frame selection the
// extraction asks ffmpeg for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cacheKey, sourceHash, VideoFrameCache } from '../../server/engine/capture/videoFrameCache';
import { selectRanges } from '../../server/engine/capture/videoFrameExtraction';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-frame-cache-test-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

/** A published entry of `bytes` bytes last used `ageS` seconds ago. */
function addEntry(cache: VideoFrameCache, key: string, bytes: number, ageS: number): void {
  const folder = cache.partialFolder(key);
  fs.writeFileSync(path.join(folder, '000000.jpg'), 'x'.repeat(bytes));
  cache.publishFolder(key, folder);
  const used = new Date(Date.now() - ageS * 1000);
  fs.utimesSync(path.join(cache.dir, key, 'complete'), used, used);
}

describe('video frame cache', () => {
  test('keys follow every part of what an entry holds', () => {
    const base = { source: 'abc', until: '2.000', filter: 'format=yuvj420p', ranges: [[0, 9]] };
    assert.equal(cacheKey(base), cacheKey({ ...base }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, source: 'abd' }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, filter: 'scale=in_color_matrix=bt709,format=yuvj420p' }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, ranges: [[0, 8]] }));
  });

  test('a source is addressed by its bytes, not its name', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'same bytes');
    fs.writeFileSync(path.join(dir, 'b.mp4'), 'same bytes');
    fs.writeFileSync(path.join(dir, 'c.mp4'), 'other bytes');
    assert.equal(await sourceHash(path.join(dir, 'a.mp4')), await sourceHash(path.join(dir, 'b.mp4')));
    assert.notEqual(await sourceHash(path.join(dir, 'a.mp4')), await sourceHash(path.join(dir, 'c.mp4')));
    // An edited file (new size and mtime) is hashed again.
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'other bytes');
    fs.utimesSync(path.join(dir, 'a.mp4'), new Date(), new Date(Date.now() + 5000));
    assert.equal(await sourceHash(path.join(dir, 'a.mp4')), await sourceHash(path.join(dir, 'c.mp4')));
  });

  test('a published entry is found; a missing one is a miss', () => {
    const cache = new VideoFrameCache({ dir: tempDir(), maxBytes: 10_000 });
    addEntry(cache, 'k1', 100, 0);
    assert.equal(cache.lookupFolder('k1'), path.join(cache.dir, 'k1'));
    assert.equal(cache.lookupFolder('k2'), undefined);
  });

  test('over the limit, the least recently used entries go first; in-use entries stay', () => {
    const dir = tempDir();
    const writer = new VideoFrameCache({ dir, maxBytes: 1_000_000 });
    addEntry(writer, 'oldest', 400, 300);
    addEntry(writer, 'older', 400, 200);
    addEntry(writer, 'recent', 400, 100);
    // A later render with a 1,000-byte limit, which used "oldest" (its use makes it the most recent).
    const render = new VideoFrameCache({ dir, maxBytes: 1_000 });
    assert.ok(render.lookupFolder('oldest'));
    render.evict();
    assert.deepEqual(fs.readdirSync(dir).sort(), ['oldest', 'recent']);
    // A render that uses nothing, with a limit below one entry: nothing is kept.
    new VideoFrameCache({ dir, maxBytes: 100 }).evict();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('an entry published twice keeps the first copy; partial folders of dead processes are removed', () => {
    const dir = tempDir();
    const cache = new VideoFrameCache({ dir, maxBytes: 1_000_000 });
    addEntry(cache, 'same', 10, 0);
    const second = cache.partialFolder('same');
    fs.writeFileSync(path.join(second, '000000.jpg'), 'x'.repeat(10));
    cache.publishFolder('same', second);
    assert.equal(fs.existsSync(second), false);
    // pid 2^22 + 1 is above Linux's pid_max: never a live process.
    const dead = path.join(dir, `k.partial-${2 ** 22 + 1}-0`);
    fs.mkdirSync(dead);
    const mine = cache.partialFolder('k');
    cache.evict();
    assert.equal(fs.existsSync(dead), false);
    assert.equal(fs.existsSync(mine), true, 'this process is alive: its extraction stays');
  });

  test('size 0 turns the cache off', () => {
    const cache = new VideoFrameCache({ dir: tempDir(), maxBytes: 0 });
    assert.equal(cache.enabled, false);
    cache.writeJson('k', [1, 2]);
    assert.equal(cache.readJson('k'), undefined);
  });
});

describe('frame selection', () => {
  test('consecutive frames are one run; gaps start new runs', () => {
    assert.deepEqual(selectRanges([0, 1, 2, 3]), [[0, 3]]);
    assert.deepEqual(selectRanges([2, 3, 7, 9, 10]), [[2, 3], [7, 7], [9, 10]]);
  });

  test('too many runs become one span', () => {
    const everyOther = Array.from({ length: 200 }, (_, i) => i * 2);
    assert.deepEqual(selectRanges(everyOther), [[0, 398]]);
  });
});
