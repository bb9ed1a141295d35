// Extracted video frames are kept in the on-disk cache: a second render of the same clips decodes nothing
// (every clip is a cache hit, no extraction ffmpeg runs) and comes out with the same pixels; with the cache
// off nothing is kept and the pixels are the same too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { videoProject } from '../fixtures/render/compositions';
import { closeTo, frameHashes, numberedColour, pixelAt, recordingLogger, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;


/** The extraction's ffmpeg runs (each logs its command line). */
const extractionRuns = (lines: string[]) => lines.filter(line => line.startsWith('ffmpeg ') && line.includes('-atomic_writing'));
const cacheSummary = (lines: string[]) => lines.find(line => line.startsWith('video frames: '));

describe('render: the video frame cache', { timeout: TIMEOUT }, () => {
  let project: string;
  let cacheDir: string;
  const runs: Array<{ output: string; lines: string[]; ms: number }> = [];
  before(async () => {
    project = videoProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-video-cache-'));
    for (const [name, maxBytes] of [['first', undefined], ['second', undefined], ['uncached', 0]] as const) {
      const { logger, lines } = recordingLogger();
      const output = path.join(project, `${name}.mp4`);
      const started = Date.now();
      await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, videoFrameCacheDir: maxBytes === 0 ? path.join(cacheDir, 'off') : cacheDir, videoFrameCacheBytes: maxBytes }, { logger });
      runs.push({ output, lines, ms: Date.now() - started });
    }
  });
  after(() => {
    removeProject(project);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  test('the first render extracts every clip (three: one source used twice in two ways)', () => {
    assert.equal(cacheSummary(runs[0].lines), `video frames: 0 clip(s) from the cache, 3 extracting (cache ${cacheDir})`);
    assert.equal(extractionRuns(runs[0].lines).length, 3);
  });

  test('the second render takes every clip from the cache and runs no extraction', () => {
    assert.equal(cacheSummary(runs[1].lines), `video frames: 3 clip(s) from the cache, 0 extracting (cache ${cacheDir})`);
    assert.deepEqual(extractionRuns(runs[1].lines), []);
  });

  test('cached frames are the same pixels', () => {
    assert.deepEqual(frameHashes(runs[1].output), frameHashes(runs[0].output));
    // And still the exact source frames (render-media.test.ts): composition frame 30 shows source frame 21.
    const expected = numberedColour(21);
    const actual = pixelAt(runs[1].output, 30, 80, 90);
    assert.ok(closeTo(actual, expected, 20), `expected ${expected}, got ${actual}`);
  });

  test('the cache holds whole entries only; with size 0 nothing is kept and the pixels are the same', () => {
    const names = fs.readdirSync(cacheDir).filter(name => name !== 'off');
    assert.equal(names.filter(name => name.includes('partial')).length, 0, names.join(', '));
    // Three frame folders and three timestamp lists (clip.mp4; short.mp4 read to 1 s held, to its end looped).
    assert.equal(names.filter(name => fs.existsSync(path.join(cacheDir, name, 'complete'))).length, 3, names.join(', '));
    assert.equal(names.filter(name => name.endsWith('.json')).length, 3, names.join(', '));
    assert.equal(cacheSummary(runs[2].lines), 'video frames: 0 clip(s) from the cache, 3 extracting (cache off)');
    assert.equal(fs.existsSync(path.join(cacheDir, 'off')), false);
    assert.deepEqual(frameHashes(runs[2].output), frameHashes(runs[0].output));
  });
});
