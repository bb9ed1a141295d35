// Which matrix and range an extracted frame is converted from: the source's tags, else Chromium's rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jpegColourFilter, sourceColour } from '../../server/engine/capture/videoColour';

const stream = (facts: Partial<Parameters<typeof sourceColour>[0]>) => ({ height: 360, pixelFormat: 'yuv420p', colorSpace: undefined, colorRange: undefined, ...facts });

test('tagged matrices and ranges are followed', () => {
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt709', colorRange: 'tv' })), { matrix: 'bt709', range: 'tv', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'smpte170m', height: 1080 })), { matrix: 'bt601', range: 'tv', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt470bg', colorRange: 'pc' })), { matrix: 'bt601', range: 'pc', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt2020nc' })), { matrix: 'bt2020', range: 'tv', guessed: false });
});

test('a yuvj pixel format is full range unless tagged limited', () => {
  assert.equal(sourceColour(stream({ pixelFormat: 'yuvj420p' })).range, 'pc');
  assert.equal(sourceColour(stream({ pixelFormat: 'yuvj420p', colorRange: 'tv' })).range, 'tv');
});

test('untagged: BT.601 under 720 rows, BT.709 from 720 rows (Chromium)', () => {
  assert.deepEqual(sourceColour(stream({ height: 718 })), { matrix: 'bt601', range: 'tv', guessed: true });
  assert.deepEqual(sourceColour(stream({ height: 720 })), { matrix: 'bt709', range: 'tv', guessed: true });
  assert.deepEqual(sourceColour(stream({ height: 1280, colorSpace: undefined })), { matrix: 'bt709', range: 'tv', guessed: true });
});

test('RGB sources have no matrix', () => {
  assert.equal(sourceColour(stream({ pixelFormat: 'gbrp' })).matrix, undefined);
  assert.equal(sourceColour(stream({ pixelFormat: 'rgba' })).matrix, undefined);
  assert.equal(jpegColourFilter({ matrix: undefined, range: 'pc', guessed: false }), 'format=yuvj420p');
});

test('the filter converts to full-range BT.601 (what JFIF decoders assume)', () => {
  assert.equal(jpegColourFilter({ matrix: 'bt709', range: 'tv', guessed: false }),
    'scale=in_color_matrix=bt709:in_range=tv:out_color_matrix=bt601:out_range=pc,format=yuvj420p');
});
