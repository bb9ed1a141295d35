// A file under compositions/ opened on its own (nothing open includes it) is linted as the sub-composition
// it is, as `check` lints it: sub-composition rules apply (nested media start basis) and root-only ones
// (missing timeline registry, the root's length) do not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

describe('a sub-composition file opened alone', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeOnSave: false }); });
  after(async () => { await client.stop(); });

  it('gets the sub-composition rules, not the root\'s, without a <template> wrapper', async () => {
    const dir = fixture('basic');
    const text = `<!doctype html><html><body>
<div id="scene" data-composition-id="scene" data-width="640" data-height="360">
  <video id="pip" src="../clip.mp4" muted data-start="2" data-duration="1" data-track-index="0"></video>
</div></body></html>`;
    const file = path.join(dir, 'compositions/scene.html');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const uri = client.open(file);
    const published = await client.waitForDiagnostics(uri, 'nested_media_start_basis_ambiguous', p => p.diagnostics.some(d => d.code === 'nested_media_start_basis_ambiguous'));
    assert.deepEqual(published.diagnostics.find(d => d.code === 'nested_media_start_basis_ambiguous')!.range, rangeOf(text, '2'));
    const codes = published.diagnostics.map(d => d.code);
    assert.ok(!codes.includes('missing_timeline_registry') && !codes.includes('root_composition_missing_duration_source'), codes.join(', '));
    client.close(uri);
  });
});
