// The reference's lint rules through the language server: published as the document changes, under the
// reference's codes and exact ranges, with hyperframesLive.lint.rules deciding severities and "off".
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

describe('lint rules in the editor', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeOnSave: false }); });
  after(async () => { await client.stop(); });

  it('publishes crossorigin on its attribute as typed, and follows hyperframesLive.lint.rules', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const uri = client.open(file);
    await client.waitForDiagnostics(uri, 'first publish', p => p.version === 1);
    const text = `<!doctype html><html><body>
<div id="root" data-composition-id="main" data-width="640" data-height="360" data-duration="2" data-no-timeline>
  <video id="v" src="clip.mp4" muted crossorigin="anonymous" data-start="0" data-duration="1" data-track-index="0"></video>
</div></body></html>`;
    const version = client.change(uri, text);
    const published = await client.waitForDiagnostics(uri, 'media_crossorigin_breaks_preview', p => p.version === version && p.diagnostics.some(d => d.code === 'media_crossorigin_breaks_preview'));
    const finding = published.diagnostics.find(d => d.code === 'media_crossorigin_breaks_preview')!;
    assert.deepEqual(finding.range, rangeOf(text, 'crossorigin="anonymous"'));
    assert.equal(finding.severity, DiagnosticSeverity.Error);
    const sequence = client.lastSequence();
    await client.configure({ hyperframesLive: { lint: { rules: { media_crossorigin_breaks_preview: 'info' } } } });
    const relaxed = await client.waitForDiagnostics(uri, 'info severity', p => p.diagnostics.some(d => d.code === 'media_crossorigin_breaks_preview' && d.severity === DiagnosticSeverity.Information), sequence);
    assert.ok(relaxed);
    const again = client.lastSequence();
    await client.configure({ hyperframesLive: { lint: { rules: { media_crossorigin_breaks_preview: 'off' } } } });
    const off = await client.waitForDiagnostics(uri, 'rule off', p => !p.diagnostics.some(d => d.code === 'media_crossorigin_breaks_preview'), again);
    assert.ok(off);
    client.close(uri);
  });
});
