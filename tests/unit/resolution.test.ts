// Output size (server/engine/render/resolution.ts): the device scale factor of a scale or a resolution preset,
// the reference's preset names, and the refusals (another aspect ratio, a fraction, more than 4×).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceScaleFactor, resolutionPreset } from '../../server/engine/render/resolution';
import { StageError } from '../../server/engine/errors';
import { parseRenderArgs } from '../../server/cli/render';

test('presets give whole factors of compositions of their shape', () => {
  assert.equal(deviceScaleFactor({}, 1920, 1080), 1);
  assert.equal(deviceScaleFactor({ scale: 3 }, 320, 180), 3);
  assert.equal(deviceScaleFactor({ resolution: 'landscape-4k' }, 1920, 1080), 2);
  assert.equal(deviceScaleFactor({ resolution: 'portrait-4k' }, 540, 960), 4);
  assert.equal(deviceScaleFactor({ resolution: 'square-1080p' }, 1080, 1080), 1);
});

test('refused: another aspect ratio, a fractional or too large factor, a scale with a preset', () => {
  const refused = (run: () => number, code: string) => assert.throws(run, (e: unknown) => e instanceof StageError && e.stage === 'compile' && e.code === code);
  refused(() => deviceScaleFactor({ resolution: 'square-4k' }, 1920, 1080), 'resolution-aspect-mismatch');
  refused(() => deviceScaleFactor({ resolution: 'landscape-1080p' }, 1280, 720), 'invalid-resolution'); // 1.5×
  refused(() => deviceScaleFactor({ resolution: 'landscape-1080p' }, 3840, 2160), 'invalid-resolution'); // 0.5×
  refused(() => deviceScaleFactor({ resolution: 'landscape-4k' }, 640, 360), 'invalid-resolution'); // 6×
  refused(() => deviceScaleFactor({ scale: 5 }, 320, 180), 'invalid-resolution');
  refused(() => deviceScaleFactor({ scale: 2, resolution: 'landscape-4k' }, 1920, 1080), 'invalid-resolution');
});

test("the reference's preset names are accepted by --resolution", () => {
  assert.equal(resolutionPreset('4k'), 'landscape-4k');
  assert.equal(resolutionPreset('uhd'), 'landscape-4k');
  assert.equal(resolutionPreset('portrait'), 'portrait-1080p');
  assert.equal(resolutionPreset('4k-square'), 'square-4k');
  assert.equal(resolutionPreset('8k'), undefined);
  assert.equal(parseRenderArgs(['a.html', '--resolution', '4k']).options.resolution, 'landscape-4k');
  assert.equal(parseRenderArgs(['a.html', '--resolution', 'portrait-4k']).options.resolution, 'portrait-4k');
});
