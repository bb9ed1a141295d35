// The editor's video frame cache settings declare the engine's defaults (limits.ts): one value, two places.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_VIDEO_FRAME_CACHE_BYTES } from '../../server/engine/limits';

type Property = { default?: unknown; minimum?: number; type?: string };
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;

test('hyperframesLive.render.videoFrameCacheSizeMb defaults to the engine size limit, 0 allowed (keep nothing)', () => {
  const size = properties['hyperframesLive.render.videoFrameCacheSizeMb'];
  assert.equal(size.type, 'number');
  assert.equal((size.default as number) * 1024 * 1024, DEFAULT_VIDEO_FRAME_CACHE_BYTES);
  assert.equal(size.minimum, 0);
});

test('hyperframesLive.render.videoFrameCacheFolder defaults to empty (the engine default folder)', () => {
  assert.deepEqual(properties['hyperframesLive.render.videoFrameCacheFolder'], { ...properties['hyperframesLive.render.videoFrameCacheFolder'], type: 'string', default: '' });
});
