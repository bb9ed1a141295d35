// The frame maths (server/engine/frameRate.ts): parsing what --fps accepts, frame times n·den/num, the
// round-or-ceil frame count, and the rate as ffmpeg is told it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ffmpegRate, FrameRateError, framesIn, frameTime, parseFrameRate, toFrameRate } from '../../server/engine/frameRate';

test('parseFrameRate: whole numbers 1–240 and rationals, reduced; everything else refused', () => {
  assert.deepEqual(parseFrameRate('30'), { num: 30, den: 1 });
  assert.deepEqual(parseFrameRate('240'), { num: 240, den: 1 });
  assert.deepEqual(parseFrameRate('30000/1001'), { num: 30000, den: 1001 });
  assert.deepEqual(parseFrameRate('60/2'), { num: 30, den: 1 });
  for (const bad of ['0', '241', '29.97', '30000/0', '1/2', '-30', 'thirty', '']) {
    assert.throws(() => parseFrameRate(bad), FrameRateError, bad);
  }
});

test('frame times are n·den/num; the count is round(d·fps) within 1e-3 of an integer, else ceil', () => {
  const ntsc = { num: 30000, den: 1001 };
  assert.equal(frameTime(30, ntsc), 1.001);
  assert.equal(frameTime(45, ntsc), 45 * 1001 / 30000);
  assert.equal(framesIn(2, ntsc), 60); // 59.94 → ceil
  assert.equal(framesIn(1.001, ntsc), 30); // exactly 30
  assert.equal(framesIn(1, { num: 24000, den: 1001 }), 24);
  assert.equal(framesIn(1.0000001, 30), 30); // within the epsilon: rounded, not ceil'd to 31
  assert.equal(framesIn(1.01, 30), 31);
});

test('numbers become rates: whole numbers exactly, the NTSC decimals as their rationals', () => {
  assert.deepEqual(toFrameRate(25), { num: 25, den: 1 });
  assert.deepEqual(toFrameRate(29.97), { num: 30000, den: 1001 });
  assert.deepEqual(toFrameRate(30000 / 1001), { num: 30000, den: 1001 });
  assert.deepEqual(toFrameRate(23.976), { num: 24000, den: 1001 });
  assert.deepEqual(toFrameRate(12.5), { num: 25, den: 2 });
  assert.equal(ffmpegRate({ num: 60000, den: 1001 }), '60000/1001');
  assert.equal(ffmpegRate(30), '30');
});
