// The render command's flags for static frames and the video frame cache become the engine's options.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseRenderArgs } from '../../server/cli/render';
import { UsageError } from '../../server/cli/args';

describe('render flags: static frames and the video frame cache', () => {
  test('by default nothing is set: static frames are reused, the cache is the default one', () => {
    const { options } = parseRenderArgs(['comp/index.html']);
    assert.equal(options.reuseStaticFrames, undefined);
    assert.equal(options.videoFrameCacheDir, undefined);
    assert.equal(options.videoFrameCacheBytes, undefined);
  });

  test('--capture-every-frame, --video-frame-cache DIR and --video-frame-cache-mb N', () => {
    const { options } = parseRenderArgs(['comp/index.html', '--capture-every-frame', '--video-frame-cache', 'cache/frames', '--video-frame-cache-mb', '512']);
    assert.equal(options.reuseStaticFrames, false);
    assert.equal(options.videoFrameCacheDir, path.resolve('cache/frames'));
    assert.equal(options.videoFrameCacheBytes, 512 * 1024 * 1024);
    assert.equal(parseRenderArgs(['comp/index.html', '--video-frame-cache-mb', '0']).options.videoFrameCacheBytes, 0);
  });

  test('a negative cache size is a usage error', () => {
    assert.throws(() => parseRenderArgs(['comp/index.html', '--video-frame-cache-mb', '-1']), UsageError);
  });
});
