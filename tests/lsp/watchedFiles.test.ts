// Files a composition reads but the server does not sync (stylesheets, media, a sub-composition not open) reach
// it as workspace/didChangeWatchedFiles: a change re-checks the compositions that read, look for or requested
// the file. Also: which files keep diagnostics when one closes. Real server over stdio, real Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { ProbeStatusNotification } from '../../server/protocol/lsp';
import { LspTestClient, lastPublish, probeAfter, probeCount, probeFinished, uriOf } from '../support/lspClient';
import { codes, fixtureCopies, messageOf, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

const LATE_COMPOSITION = `<template>
  <div data-composition-id="late" data-width="640" data-height="360" data-duration="1">
    <div id="late-title" class="clip" data-start="0" data-duration="1" data-track-index="0">Late</div>
  </div>
</template>
`;

describe('watched files', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeTimeoutMs: 5000 }); });
  after(async () => { await client.stop(); });

  it("reports a stylesheet's failed url() on the stylesheet after it changes on disk, and clears it when the file appears", async () => {
    const dir = fixture('watch');
    const entry = path.join(dir, 'index.html');
    const css = path.join(dir, 'styles/look.css');
    const cssUri = uriOf(css);
    const uri = client.open(entry);
    await probeFinished(client, uri, 1);
    assert.equal(client.published.some(p => p.uri === cssUri), false, 'the clean stylesheet gets nothing');

    const probes = probeCount(client, uri);
    const broken = fs.readFileSync(css, 'utf8').replace('background: #123;', 'background: #123 url(missing.png);');
    client.changeOnDisk(css, broken);
    await probeAfter(client, uri, probes);
    const published = lastPublish(client, cssUri)!;
    assert.equal(published.version, undefined, 'the stylesheet is not an open document');
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics));
    const [failed] = published.diagnostics;
    assert.equal(failed.code, 'http-error');
    assert.equal(failed.severity, DiagnosticSeverity.Error);
    assert.equal(failed.source, 'hyperframes');
    assert.deepEqual(failed.range, rangeOf(broken, 'missing.png'));
    assert.match(messageOf(failed), /^styles\/missing\.png answered HTTP 404/);

    // The page asked for styles/missing.png: its creation re-checks the composition, and the report goes.
    const afterBroken = probeCount(client, uri);
    client.changeOnDisk(path.join(dir, 'styles/missing.png'), 'any bytes answer 200');
    await probeAfter(client, uri, afterBroken);
    assert.deepEqual(lastPublish(client, cssUri)!.diagnostics, []);

    // Back to a missing file, then fixed in the stylesheet itself.
    const afterCreated = probeCount(client, uri);
    const brokenAgain = broken.replace('missing.png', 'gone.png');
    client.changeOnDisk(css, brokenAgain);
    await probeAfter(client, uri, afterCreated);
    assert.deepEqual(lastPublish(client, cssUri)!.diagnostics.map(d => [d.code, d.range]), [['http-error', rangeOf(brokenAgain, 'gone.png')]]);
    const afterGone = probeCount(client, uri);
    client.changeOnDisk(css, brokenAgain.replace(' url(gone.png)', ''));
    await probeAfter(client, uri, afterGone);
    assert.deepEqual(lastPublish(client, cssUri)!.diagnostics, []);
    assert.equal(lastPublish(client, uri)!.version, 1, 'the entry is re-published at its open version');
  });

  it('clears missing_or_empty_sub_composition when the sub-composition file is created', async () => {
    const dir = fixture('watch');
    const entry = path.join(dir, 'index.html');
    const text = fs.readFileSync(entry, 'utf8');
    const uri = client.open(entry, text);
    await probeFinished(client, uri, 1);
    const missing = lastPublish(client, uri)!.diagnostics.filter(d => d.code === 'missing_or_empty_sub_composition');
    assert.deepEqual(missing.map(d => d.range), [rangeOf(text, 'compositions/late.html')]);

    const probes = probeCount(client, uri);
    const late = path.join(dir, 'compositions/late.html');
    client.changeOnDisk(late, LATE_COMPOSITION);
    await probeAfter(client, uri, probes);
    assert.deepEqual(lastPublish(client, uri)!.diagnostics, []);
    // Now included: a broken edit to it on disk lands in its own file.
    const lateProbes = probeCount(client, uri);
    const brokenLate = LATE_COMPOSITION.replace('data-duration="1" data-track-index', 'data-duration="-1" data-track-index');
    client.changeOnDisk(late, brokenLate);
    await probeAfter(client, uri, lateProbes);
    assert.deepEqual(codes(lastPublish(client, uriOf(late))!.diagnostics), ['negative-number']);
    assert.deepEqual(lastPublish(client, uriOf(late))!.diagnostics[0].range, rangeOf(brokenLate, '-1'));

    // Deleting it brings the report back.
    const beforeDelete = probeCount(client, uri);
    client.changeOnDisk(late, undefined);
    await probeAfter(client, uri, beforeDelete);
    assert.deepEqual(codes(lastPublish(client, uri)!.diagnostics), ['missing_or_empty_sub_composition']);
    assert.deepEqual(lastPublish(client, uriOf(late))!.diagnostics, []);
  });

  it('ignores files no checked composition reads', async () => {
    const dir = fixture('watch');
    const uri = client.open(path.join(dir, 'index.html'));
    await probeFinished(client, uri, 1);
    await client.waitFor('idle status', () => client.notificationsOf(ProbeStatusNotification.type).at(-1)?.state === 'idle' || undefined);
    const probes = probeCount(client, uri);
    const sequence = client.lastSequence();
    const statuses = client.notificationsOf(ProbeStatusNotification.type).length;
    client.changeOnDisk(path.join(dir, 'styles/unused.css'), 'body { color: red; }');
    await new Promise(resolve => setTimeout(resolve, 1_000)); // well past the watcher's debounce
    assert.equal(client.lastSequence(), sequence, 'nothing re-published');
    assert.equal(client.notificationsOf(ProbeStatusNotification.type).length, statuses, 'nothing probed');
    // A file the composition does read is still answered.
    client.changeOnDisk(path.join(dir, 'styles/look.css'), fs.readFileSync(path.join(dir, 'styles/look.css'), 'utf8'));
    await probeAfter(client, uri, probes);
  });
});

describe('closing a file that a checked composition still covers', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start({ probeTimeoutMs: 5000 }); });
  after(async () => { await client.stop(); });

  it("keeps a sub-composition's diagnostics while its host is open, re-read from disk, and clears them when the host closes", async () => {
    const dir = fixture('sub');
    const entry = path.join(dir, 'index.html');
    const card = path.join(dir, 'compositions/card.html');
    const cardText = fs.readFileSync(card, 'utf8');
    const uri = client.open(entry);
    await probeFinished(client, uri, 1);
    const cardUri = client.open(card, cardText);
    // Fix the reference without saving, then close (discarding the edit): the disk's problem is back.
    const v2 = client.change(cardUri, cardText.replace('card-titel', 'card-title'));
    await client.waitForDiagnostics(cardUri, 'the unsaved fix', p => p.version === v2 && !codes(p.diagnostics).includes('unknown-start-reference'));
    const probes = probeCount(client, uri);
    const beforeClose = client.lastSequence();
    client.close(cardUri);
    await probeAfter(client, uri, probes); // the browser saw the discarded text: it looks again
    const afterClose = client.published.filter(p => p.uri === cardUri && p.sequence > beforeClose);
    assert.ok(afterClose.length > 0);
    assert.equal(afterClose.some(p => p.diagnostics.length === 0), false, 'never cleared while its host is open');
    assert.equal(afterClose.at(-1)!.version, undefined);
    assert.deepEqual(codes(afterClose.at(-1)!.diagnostics), ['page-error', 'unknown-start-reference']);
    assert.deepEqual(afterClose.at(-1)!.diagnostics.find(d => d.code === 'unknown-start-reference')!.range, rangeOf(cardText, 'card-titel'));

    const beforeHostClose = client.lastSequence();
    client.close(uri);
    const cleared = await client.waitForDiagnostics(cardUri, 'the clear when the host closes', () => true, beforeHostClose);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('keeps the host\'s diagnostics while a sub-composition it includes is open, and clears them with the last one', async () => {
    const dir = fixture('sub');
    const entry = path.join(dir, 'index.html');
    const card = path.join(dir, 'compositions/card.html');
    const text = fs.readFileSync(entry, 'utf8').replace('data-duration="4"', 'data-duration="-4"');
    fs.writeFileSync(entry, text);
    const uri = client.open(entry, text);
    await probeFinished(client, uri, 1);
    assert.ok(codes(lastPublish(client, uri)!.diagnostics).includes('negative-number'));
    const cardUri = client.open(card);
    await client.waitForDiagnostics(cardUri, 'the sub-composition checked through its host', p => p.version === 1);
    const beforeClose = client.lastSequence();
    client.close(uri); // saved: nothing to look at again; the host's report stays, no longer versioned
    const republished = await client.waitForDiagnostics(uri, 'the host re-read from disk', () => true, beforeClose);
    assert.equal(republished.version, undefined);
    assert.deepEqual(republished.diagnostics.find(d => d.code === 'negative-number')?.range, rangeOf(text, '-4'));
    assert.equal(client.published.some(p => p.uri === uri && p.sequence > beforeClose && p.diagnostics.length === 0), false);

    const beforeLastClose = client.lastSequence();
    client.close(cardUri);
    const cleared = await client.waitForDiagnostics(uri, 'the clear with the last document', () => true, beforeLastClose);
    assert.deepEqual(cleared.diagnostics, []);
  });
  it('re-probes an open composition reverted on disk by another tool (git checkout), and not the echo of its own save', async () => {
    const dir = fixture('watch');
    const entry = path.join(dir, 'index.html');
    const original = fs.readFileSync(entry, 'utf8');
    const uri = client.open(entry, original);
    await probeFinished(client, uri, 1);

    // Saved with a broken background: the save's probe reports it.
    const broken = original.replace('<div id="intro" class="clip"', '<div id="intro" style="background: url(gone.png)" class="clip"');
    let probes = probeCount(client, uri);
    client.change(uri, broken);
    client.save(uri, entry, broken);
    await probeAfter(client, uri, probes);
    assert.ok(lastPublish(client, uri)!.diagnostics.some(d => d.code === 'http-error'), 'the broken url is reported');

    // The save's own watcher event: the browser already saw this text, so no second probe.
    probes = probeCount(client, uri);
    client.changeOnDisk(entry, broken);
    await new Promise(resolve => setTimeout(resolve, 1_500));
    assert.equal(probeCount(client, uri), probes, 'no probe for the echo of a save');

    // `git checkout index.html`: the file goes back on disk, the editor reloads it (didChange, no save).
    client.changeOnDisk(entry, original);
    client.change(uri, original);
    await probeAfter(client, uri, probes);
    await client.waitFor('the stale http-error to clear', () => (lastPublish(client, uri)!.diagnostics.some(d => d.code === 'http-error') ? undefined : true));
    fs.writeFileSync(entry, original);
  });
});
