// x264's thread count (encode/index.ts x264Threads): the standard quality encodes with as few threads as keep
// it ahead of capture, and those give the frames ffmpeg's own count (1.5 a core) gives, frame for frame.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startVideoEncoder, x264Threads } from '../../server/engine/encode';
import { silentLogger } from '../../server/engine/logger';
import { FFMPEG, frameHashes } from '../fixtures/render/helpers';

/** Frames of moving, noisy content: motion search and rate control have work to do in every frame. */
const FRAMES = 60;

describe('encode: x264 with the chosen thread count', { timeout: 120_000 }, () => {
  let dir: string;
  let images: Buffer[];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-encode-threads-'));
    const pattern = path.join(dir, 'frame-%d.jpg');
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=30:d=${FRAMES / 30},noise=alls=20:allf=t`, '-q:v', '3', '-start_number', '0', '-y', pattern]);
    images = Array.from({ length: FRAMES }, (_, index) => fs.readFileSync(pattern.replace('%d', String(index))));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function encode(name: string, threads: number | undefined): Promise<string> {
    const outputFile = path.join(dir, `${name}.mp4`);
    const sink = startVideoEncoder({ format: 'mp4', quality: 'standard', fps: 30, frameFormat: 'jpeg', outputFile, ffmpegPath: FFMPEG, logger: silentLogger, ...(threads === undefined ? {} : { threads }) });
    try {
      for (const image of images) await sink.write(image);
      await sink.finish();
    } finally {
      await sink.close();
    }
    return outputFile;
  }

  test('the standard quality\'s count gives the frames of ffmpeg\'s automatic count', async () => {
    const chosen = frameHashes(await encode('chosen', undefined));
    const automatic = frameHashes(await encode('automatic', 0));
    assert.equal(chosen.length, FRAMES);
    assert.equal(new Set(chosen).size, FRAMES, 'every frame differs from the others');
    assert.deepEqual(chosen, automatic);
  });

  test('one thread on 2 cores at draft and standard, two at high; more with more cores', () => {
    assert.equal(x264Threads('draft', 2), 1);
    assert.equal(x264Threads('standard', 2), 1);
    assert.equal(x264Threads('high', 2), 2);
    assert.ok(x264Threads('standard', 16) > x264Threads('standard', 4));
    assert.ok(x264Threads('standard', 1) >= 1);
  });
});
