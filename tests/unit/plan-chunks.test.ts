// Render plans without a browser: chunk cutting tiles the frames, the plan hash is canonical, tool versions
// are read from their --version lines, and the render command's farm flags are taken out for parseRenderArgs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chunkFramesFor, planChunks } from '../../server/engine/plan/chunking';
import { canonicalJson, computePlanHash } from '../../server/engine/plan/hash';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildPlan, majorVersion } from '../../server/engine/plan/build';
import type { RenderOptions } from '../../server/engine/render/types';
import { StageError } from '../../server/engine/errors';
import { chunkFailure, encodeChunkFailure } from '../../server/farm/errors';
import { whyNotOnFarm } from '../../server/farm/submit';
import { takeFlags, wantsDistributedRender } from '../../server/cli/plan';
import { UsageError } from '../../server/cli/args';
import type { RenderPlan } from '../../server/engine/plan/types';

describe('plan chunks', () => {
  test('N chunks tile [0, frames) with no frame twice and none missed; the last may be shorter', () => {
    for (const [frames, count] of [[60, 2], [61, 3], [150, 4], [7, 7], [5, 9]] as const) {
      const size = chunkFramesFor(frames, count, undefined);
      const chunks = planChunks(frames, size);
      assert.equal(chunks[0].startFrame, 0);
      assert.equal(chunks.at(-1)!.endFrame, frames);
      for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i].startFrame, chunks[i - 1].endFrame);
      assert.ok(chunks.slice(0, -1).every(c => c.endFrame - c.startFrame === size));
      assert.ok(chunks.length <= Math.min(count, frames));
    }
    assert.deepEqual(planChunks(61, chunkFramesFor(61, 3, undefined)).map(c => [c.startFrame, c.endFrame]), [[0, 21], [21, 42], [42, 61]]);
  });

  test('a chunk count outside 1..MAX_CHUNKS or a fractional chunk size is plan-invalid', () => {
    for (const [count, frames] of [[0, undefined], [1.5, undefined], [100000, undefined], [undefined, 0], [undefined, 2.5]] as const) {
      assert.throws(() => chunkFramesFor(60, count, frames), (error: unknown) => error instanceof StageError && error.code === 'plan-invalid');
    }
  });
});

describe('plan options', () => {
  test('options a plan does not lock are refused before anything runs, naming their flags', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-plan-options-'));
    try {
      const entryFile = path.join(dir, 'index.html');
      fs.writeFileSync(entryFile, '<!doctype html>');
      // A range, a scale, a rate control, a rational rate and variable values are locked (render-chunks.test.ts); HDR is not.
      const render = { entryFile, range: { start: 0, end: 1 }, scale: 2, rateControl: { crf: 30 }, variables: { title: 'x' }, hdr: true } as unknown as RenderOptions;
      await assert.rejects(buildPlan({ render, planDir: path.join(dir, 'plan') }),
        (error: unknown) => error instanceof StageError && error.code === 'plan-invalid' && /does not lock --hdr yet/.test(error.message));
      assert.equal(fs.existsSync(path.join(dir, 'plan')), false);
      // A locked option out of its bounds is refused as a render refuses it, before the probe.
      await assert.rejects(buildPlan({ render: { entryFile, format: 'webm', rateControl: { crf: 99 } }, planDir: path.join(dir, 'plan') }),
        (error: unknown) => error instanceof StageError && error.code === 'invalid-crf');
      await assert.rejects(buildPlan({ render: { entryFile, range: { start: 2, end: 1 } }, planDir: path.join(dir, 'plan') }),
        (error: unknown) => error instanceof StageError && error.code === 'invalid-range');
      // A GIF's loop count has no GIF plan to go in: refused, not ignored.
      await assert.rejects(buildPlan({ render: { entryFile, gifLoop: 2 }, planDir: path.join(dir, 'plan') }),
        (error: unknown) => error instanceof StageError && error.code === 'plan-invalid' && /--gif-loop/.test(error.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what the farm would not render as asked (the editor renders it here), and what it would', () => {
    const entryFile = '/p/index.html';
    assert.equal(whyNotOnFarm({ entryFile }), undefined);
    assert.equal(whyNotOnFarm({ entryFile, format: 'webm', transparent: true }), undefined);
    assert.equal(whyNotOnFarm({ entryFile, format: 'gif' }), 'the farm renders mp4 and webm, not gif');
    assert.equal(whyNotOnFarm({ entryFile, format: 'mov', transparent: true }), 'the farm renders mp4 and webm, not mov');
    assert.equal(whyNotOnFarm({ entryFile, range: { start: 0, end: 1 }, scale: 2, rateControl: { bitrate: 1e6 }, fps: { num: 30000, den: 1001 }, variables: { a: 1 } }), undefined);
    assert.equal(whyNotOnFarm({ entryFile, variables: { a: 1 }, hdr: true }), 'a render plan does not lock --hdr yet');
  });
});

describe('plan hash', () => {
  test('key order does not change the hash; any value does', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
    const plan = { formatVersion: 1, entry: 'index.html', config: { fps: 30, frameCount: 60 } } as unknown as RenderPlan;
    const reordered = { config: { frameCount: 60, fps: 30 }, entry: 'index.html', formatVersion: 1 } as unknown as RenderPlan;
    assert.equal(computePlanHash(plan), computePlanHash(reordered));
    assert.equal(computePlanHash({ ...plan, planHash: 'whatever' }), computePlanHash(plan));
    assert.notEqual(computePlanHash({ ...plan, config: { ...plan.config, frameCount: 59 } }), computePlanHash(plan));
  });

  test('major versions from the tools\' own --version lines', () => {
    assert.equal(majorVersion('Chromium 131.0.6778.85 built on Debian 12.8, running on Debian 12.8'), 131);
    assert.equal(majorVersion('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers'), 5);
    assert.equal(majorVersion('ffmpeg version n7.1 Copyright'), 7);
    assert.equal(majorVersion('unknown'), 0);
  });
});

describe('farm errors and flags', () => {
  test('a chunk error keeps its code across BullMQ', () => {
    const reason = encodeChunkFailure(new StageError('compile', 'The plan was changed.', 'plan-hash-mismatch'));
    assert.equal(reason, '[plan-hash-mismatch] The plan was changed.');
    const error = chunkFailure(2, reason);
    assert.equal(error.code, 'plan-hash-mismatch');
    assert.equal(error.message, 'Chunk 2 failed: The plan was changed.');
    assert.equal(chunkFailure(0, 'boom').code, 'farm-chunk-failed');
  });

  test('--chunks/--farm/--storage are taken out; the rest is render\'s', () => {
    const { taken, rest } = takeFlags(['a.html', '--chunks', '3', '--farm=redis://h:1', '--quality', 'high'], ['--chunks', '--farm', '--storage']);
    assert.deepEqual(taken, { '--chunks': '3', '--farm': 'redis://h:1' });
    assert.deepEqual(rest, ['a.html', '--quality', 'high']);
    assert.throws(() => takeFlags(['a.html', '--farm'], ['--farm']), UsageError);
    assert.equal(wantsDistributedRender(['a.html', '--chunks=2']), true);
    assert.equal(wantsDistributedRender(['a.html', '--chunksize']), false);
  });
});
