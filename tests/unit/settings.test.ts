// One parser of the language server's settings, used by the client to build what it sends and by the server
// to read it: out-of-range timeouts are clamped to the manifest's bounds on both sides, wrong types keep the
// previous value, paths are trimmed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROBE_TIMEOUT_BOUNDS_MS } from '../../server/engine/limits';
import { DEFAULT_SERVER_SETTINGS, mergeSettings } from '../../server/lsp/settings';

describe('settings: one parser for client and server', () => {
  it('clamps probeTimeoutMs to the bounds the manifest declares', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number }> } };
    };
    const declared = manifest.contributes.configuration.properties['hyperframesLive.probeTimeoutMs'];
    assert.deepEqual({ min: declared.minimum, max: declared.maximum }, PROBE_TIMEOUT_BOUNDS_MS);
    assert.equal(mergeSettings(DEFAULT_SERVER_SETTINGS, { probeTimeoutMs: 5 }).probeTimeoutMs, PROBE_TIMEOUT_BOUNDS_MS.min);
    assert.equal(mergeSettings(DEFAULT_SERVER_SETTINGS, { probeTimeoutMs: 10_000_000 }).probeTimeoutMs, PROBE_TIMEOUT_BOUNDS_MS.max);
    assert.equal(mergeSettings(DEFAULT_SERVER_SETTINGS, { probeTimeoutMs: 4_000 }).probeTimeoutMs, 4_000);
  });

  it('keeps the previous value for a wrong type and trims paths', () => {
    const before = { ...DEFAULT_SERVER_SETTINGS, probeTimeoutMs: 7_000 };
    const next = mergeSettings(before, { probeTimeoutMs: 'soon', probeOnSave: 'yes', chromiumPath: '  /opt/chromium  ' });
    assert.equal(next.probeTimeoutMs, 7_000);
    assert.equal(next.probeOnSave, before.probeOnSave);
    assert.equal(next.chromiumPath, '/opt/chromium');
  });
});
