// PreviewCompositionRequest: the preview's composition comes from the language server, compiled from the text
// the server has (unsaved edits included), so the extension host never compiles a second time. Real server
// over stdio; no browser (probeOnSave off).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PreviewCompositionRequest } from '../../server/protocol/lsp';
import { LspTestClient, uriOf } from '../support/lspClient';
import { fixtureCopies } from './lspHarness';

const fixture = fixtureCopies();

describe('preview composition request', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeOnSave: false }); });
  after(async () => { await client.stop(); });

  it('serves the editor\'s unsaved text, also when the edit is still on the compile debounce', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, text.replace('>Intro<', '>Typed intro<'));
    await client.waitForDiagnostics(uri, 'the open', p => p.version === 1);
    const opened = await client.request(PreviewCompositionRequest.type, { uri, reuse: true });
    assert.ok(opened);
    assert.match(opened.composition.compiledHtml, />Typed intro</);
    assert.deepEqual(opened.composition.clips.map(c => [c.id, c.start, c.end]), [['intro', 0, 1.5], ['outro', 2, 3]]);
    // Asked right after the change: the debounced compile has not run yet, the answer must not be the old text.
    client.change(uri, text.replace('>Intro<', '>Typed again<').replace('data-start="intro + 0.5"', 'data-start="intro + 1"'));
    const changed = await client.request(PreviewCompositionRequest.type, { uri, reuse: true });
    assert.ok(changed);
    assert.match(changed.composition.compiledHtml, />Typed again</);
    assert.deepEqual(changed.composition.clips.map(c => [c.id, c.start]), [['intro', 0], ['outro', 2.5]]);
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'nothing was written to disk');
    client.close(uri);
  });

  it('compiles a composition no editor has open from disk, and again after it changed there', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const uri = uriOf(file);
    const first = await client.request(PreviewCompositionRequest.type, { uri, reuse: false });
    assert.equal(first?.composition.duration, 3);
    assert.deepEqual(first?.diagnostics.filter(d => d.severity === 'error'), []);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('data-duration="3"', 'data-duration="4"').replace('data-start="intro + 0.5"', 'data-start="intr + 0.5"'));
    const second = await client.request(PreviewCompositionRequest.type, { uri, reuse: false });
    assert.equal(second?.composition.duration, 4);
    assert.deepEqual(second?.diagnostics.filter(d => d.severity === 'error').map(d => d.code), ['unknown-start-reference']);
  });

  it('answers null for a page that is not a composition, open or not', async () => {
    const file = path.join(fixture('plain'), 'page.html');
    assert.equal(await client.request(PreviewCompositionRequest.type, { uri: uriOf(file), reuse: false }), null);
    const uri = client.open(file);
    assert.equal(await client.request(PreviewCompositionRequest.type, { uri, reuse: true }), null);
    client.close(uri);
  });
});
