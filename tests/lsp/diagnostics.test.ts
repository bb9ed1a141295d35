// Static diagnostics as you type, probe diagnostics on save, sub-compositions' diagnostics in their own file,
// clearing on fix and on close, and silence on ordinary HTML — against the real server over stdio.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { PageConsoleNotification, ProbeStatusNotification } from '../../server/protocol/lsp';
import { LspTestClient, lastPublish, probeFinished, uriOf } from '../support/lspClient';
import { codes, fixtureCopies, messageOf, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

describe('static diagnostics (no probing)', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeOnSave: false }); });
  after(async () => { await client.stop(); });

  it('publishes an unknown relative start as you type, with its exact range and version, and clears it when fixed', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const original = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, original);
    const opened = await client.waitForDiagnostics(uri, 'the clean open', p => p.version === 1);
    assert.deepEqual(opened.diagnostics, []);

    const broken = original.replace('data-start="intro + 0.5"', 'data-start="intr + 0.5"');
    const v2 = client.change(uri, broken);
    const published = await client.waitForDiagnostics(uri, 'the unknown reference', p => p.version === v2);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic.code, 'unknown-start-reference');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic.source, 'hyperframes');
    assert.deepEqual(diagnostic.range, rangeOf(broken, 'intr + 0.5'));
    assert.deepEqual(diagnostic.data, { ref: 'intr', suggestion: 'intro' });

    const v3 = client.change(uri, original);
    const fixed = await client.waitForDiagnostics(uri, 'the fix', p => p.version === v3);
    assert.deepEqual(fixed.diagnostics, []);
  });

  it('publishes [] when a file with problems closes', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const broken = fs.readFileSync(file, 'utf8').replace('data-duration="1.5"', 'data-duration="-2"');
    const uri = client.open(file, broken);
    const published = await client.waitForDiagnostics(uri, 'the negative duration', p => p.version === 1);
    assert.deepEqual(codes(published.diagnostics), ['negative-number']);
    assert.deepEqual(published.diagnostics[0].range, rangeOf(broken, '-2'));
    const before = client.lastSequence();
    client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, 'the clear on close', () => true, before);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('stays silent on ordinary HTML', async () => {
    const file = path.join(fixture('plain'), 'page.html');
    const uri = client.open(file);
    client.change(uri, fs.readFileSync(file, 'utf8').replace('Just a page.', 'Still just a page.'));
    // A composition opened afterwards is answered; by then the plain page would have been answered too.
    const marker = path.join(fixture('basic'), 'index.html');
    const markerUri = client.open(marker);
    await client.waitForDiagnostics(markerUri, 'the composition after the plain page', p => p.version === 1);
    await new Promise(resolve => setTimeout(resolve, 400)); // past the debounce of the plain page's change
    assert.equal(client.published.filter(p => p.uri === uri).length, 0);
  });
});

describe('probe diagnostics on save', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeTimeoutMs: 5000 }); });
  after(async () => { await client.stop(); });

  it('reports a zero duration on the root tag with the "no timeline" hint', async () => {
    const file = path.join(fixture('zero'), 'index.html');
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, text);
    await probeFinished(client, uri, 1);
    const published = lastPublish(client, uri)!;
    assert.equal(published.version, 1);
    assert.deepEqual(codes(published.diagnostics), ['missing_timeline_registry', 'timeline_element_missing_timing', 'zero-duration']);
    const zero = published.diagnostics.find(d => d.code === 'zero-duration')!;
    assert.equal(zero.severity, DiagnosticSeverity.Error);
    const rootTag = '<div id="stage" data-composition-id="main" data-width="640" data-height="360" data-fps="30">';
    assert.deepEqual(zero.range, rangeOf(text, rootTag));
    assert.match(messageOf(zero), /^Composition duration is 0 — this would produce a black video\.\nGSAP is loaded but no timelines were registered on window\.__timelines/);
    const registration = published.diagnostics.find(d => d.code === 'missing_timeline_registry')!;
    assert.equal(registration.severity, DiagnosticSeverity.Error);
    assert.deepEqual(registration.range, rangeOf(text, 'gsap.timeline'));
    // The status item follows: probing this entry, then idle with the problems counted.
    const statuses = client.notificationsOf(ProbeStatusNotification.type);
    assert.ok(statuses.some(s => s.state === 'probing' && s.uris.includes(uri)));
    assert.deepEqual(await client.waitFor('idle status', () => {
      const last = client.notificationsOf(ProbeStatusNotification.type).at(-1);
      return last?.state === 'idle' ? last : undefined;
    }), { state: 'idle', uris: [], problems: { errors: 2, warnings: 1 } });
  });

  it('reports a failed request on the src value after a save, and clears it after the fix is saved', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const original = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, original);
    await probeFinished(client, uri, 1);
    const withImage = original.replace('</div>\n  <script', '  <img id="logo" class="clip" src="assets/logo.png" data-start="0" data-duration="1" data-track-index="2">\n  </div>\n  <script');
    const v2 = client.change(uri, withImage);
    client.save(uri, file, withImage);
    await probeFinished(client, uri, v2);
    const published = lastPublish(client, uri)!;
    assert.equal(published.version, v2);
    const srcRange = rangeOf(withImage, 'assets/logo.png');
    // The static check's missing_local_asset and the probe's 404 are one problem on one range: said once.
    const onSrc = published.diagnostics.filter(d => d.range.start.line === srcRange.start.line && d.range.start.character === srcRange.start.character);
    assert.deepEqual(onSrc.map(d => [d.code, d.range, d.severity]), [['missing_local_asset', srcRange, DiagnosticSeverity.Error]]);

    const v3 = client.change(uri, original);
    client.save(uri, file, original);
    await probeFinished(client, uri, v3);
    assert.deepEqual(lastPublish(client, uri)!.diagnostics, []);
    assert.equal(lastPublish(client, uri)!.version, v3);
  });

  it("lands a sub-composition's static and probe diagnostics in its own file", async () => {
    const dir = fixture('sub');
    const entry = path.join(dir, 'index.html');
    const card = path.join(dir, 'compositions/card.html');
    const cardText = fs.readFileSync(card, 'utf8');
    const uri = client.open(entry);
    await probeFinished(client, uri, 1);
    const cardUri = uriOf(card);
    const cardPublish = lastPublish(client, cardUri)!;
    assert.deepEqual(codes(cardPublish.diagnostics), ['page-error', 'unknown-start-reference']);
    assert.deepEqual(cardPublish.diagnostics.find(d => d.code === 'unknown-start-reference')!.range, rangeOf(cardText, 'card-titel'));
    const pageError = cardPublish.diagnostics.find(d => d.code === 'page-error')!;
    assert.equal(pageError.range.start.line, rangeOf(cardText, 'window.cardSettings.apply()').start.line);
    assert.match(messageOf(pageError), /Cannot read properties of undefined \(reading 'apply'\)/);
    // The card's slot starts after the intro (2 s) and fills the root's 4 s: nothing on the host (the
    // reference's lint reads the relative start as 0 and warns subcomposition_blanks_before_host).
    assert.deepEqual(codes(lastPublish(client, uri)!.diagnostics), []);

    // Editing the sub-composition (open beside its includer) re-checks through the includer, in the sub's file.
    const cardOpened = client.open(card, cardText);
    const fixedCard = cardText.replace('card-titel', 'card-title').replace('      window.cardSettings.apply();\n', '');
    const v2 = client.change(cardOpened, fixedCard);
    const staticFix = await client.waitForDiagnostics(cardUri, 'the fixed reference', p => p.version === v2
      && !p.diagnostics.some(d => d.code === 'unknown-start-reference'));
    assert.deepEqual(codes(staticFix.diagnostics), ['page-error']); // the browser has not seen the fix yet
    client.save(cardOpened, card, fixedCard);
    // Saving the sub-composition re-probes the composition that includes it.
    await probeFinished(client, uri, 1);
    await client.waitForDiagnostics(cardUri, 'the probe of the fixed sub-composition', p => p.version === v2 && p.diagnostics.length === 0);
  });

  it('checks a sub-composition opened on its own as a fragment, then through its includer once that is open', async () => {
    const dir = fixture('sub');
    const card = path.join(dir, 'compositions/card.html');
    const cardText = fs.readFileSync(card, 'utf8');
    const cardUri = client.open(card, cardText);
    const alone = await client.waitForDiagnostics(cardUri, 'the fragment check', p => p.version === 1);
    // Static only: the fragment's scripts need their host page, so it is not probed on its own.
    assert.deepEqual(codes(alone.diagnostics), ['unknown-start-reference']);
    assert.deepEqual(alone.diagnostics[0].range, rangeOf(cardText, 'card-titel'));

    const entryUri = client.open(path.join(dir, 'index.html'));
    await probeFinished(client, entryUri, 1);
    const inContext = lastPublish(client, cardUri)!;
    assert.equal(inContext.version, 1);
    assert.deepEqual(codes(inContext.diagnostics), ['page-error', 'unknown-start-reference']);
    assert.equal(client.notificationsOf(PageConsoleNotification.type).some(n => n.uri === cardUri), false);
  });
});
