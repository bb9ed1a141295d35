// Code actions (the edits' exact text and range), hover, CodeLens, completion, document symbols and the custom
// requests, against the real server over stdio.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CodeAction, CodeActionRequest, CodeLensRequest, CompletionRequest, DiagnosticSeverity, DocumentSymbol, DocumentSymbolRequest,
  HoverRequest, type CompletionItem, type Diagnostic, type MarkupContent, type Position,
} from 'vscode-languageserver-protocol';
import { CheckEnvironmentRequest, CompositionInfoRequest } from '../../server/protocol/lsp';
import { LspTestClient, lastPublish, probeFinished, uriOf } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

/** The single text edit of a quick fix, as [title, range, newText]. */
function editOf(action: CodeAction, uri: string): { title: string; range: Diagnostic['range']; newText: string } {
  const edits = action.edit?.changes?.[uri] ?? [];
  assert.equal(edits.length, 1, `one edit expected in "${action.title}"`);
  return { title: action.title, range: edits[0].range, newText: edits[0].newText };
}

function point(line: number, character: number): Diagnostic['range'] {
  return { start: { line, character }, end: { line, character } };
}

// The protocol lets a server answer these requests in several shapes; ours answers one, and a change of shape fails here.
async function codeActions(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const actions = await client.request(CodeActionRequest.type, {
    textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics },
  });
  assert.ok(actions?.every(a => CodeAction.is(a)), 'code actions, not bare commands');
  return actions as CodeAction[];
}

async function completions(client: LspTestClient, uri: string, position: Position): Promise<CompletionItem[]> {
  const items = await client.request(CompletionRequest.type, { textDocument: { uri }, position });
  assert.ok(Array.isArray(items), 'a list of items, not a CompletionList');
  return items;
}

async function documentSymbols(client: LspTestClient, uri: string): Promise<DocumentSymbol[]> {
  const symbols = await client.request(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.ok(symbols?.every(s => DocumentSymbol.is(s)), 'a tree of DocumentSymbols');
  return symbols as DocumentSymbol[];
}

describe('quick fixes', () => {
  let client: LspTestClient;
  before(async () => { client = await LspTestClient.start(); });
  after(async () => { await client.stop(); });

  it('fixes a zero duration with data-duration on the root, or by registering the timeline after the line that builds it', async () => {
    const file = path.join(fixture('zero'), 'index.html');
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, text);
    await probeFinished(client, uri, 1);
    const diagnostics = lastPublish(client, uri)!.diagnostics;
    const zero = diagnostics.find(d => d.code === 'zero-duration')!;
    const rootTagEnd = rangeOf(text, 'data-fps="30"').end;
    const creationLine = rangeOf(text, 'const tl = gsap.timeline({ paused: true });');
    const expectedRegistration = {
      title: 'Register the timeline: window.__timelines["main"] = tl',
      range: point(creationLine.end.line, creationLine.end.character),
      newText: '\n    window.__timelines = window.__timelines || {};\n    window.__timelines["main"] = tl;',
    };
    assert.deepEqual((await codeActions(client, uri, [zero])).map(a => editOf(a, uri)), [
      {
        title: 'Set data-duration="5" on the composition root (then edit it to the length you want)',
        range: point(rootTagEnd.line, rootTagEnd.character),
        newText: ' data-duration="5"',
      },
      expectedRegistration,
    ]);
    const registration = diagnostics.find(d => d.code === 'missing_timeline_registry')!;
    assert.deepEqual((await codeActions(client, uri, [registration])).map(a => editOf(a, uri)), [expectedRegistration]);
    client.close(uri);
  });

  it('registers the timeline after an existing window.__timelines init below it, so the page runs on its own', async () => {
    const file = path.join(fixture('zero'), 'index.html');
    const text = fs.readFileSync(file, 'utf8').replace('tl.to("#title", { x: 100, duration: 2 });',
      'window.__timelines = window.__timelines || {};\n    tl.to("#title", { x: 100, duration: 2 });');
    const uri = client.open(file, text);
    await probeFinished(client, uri, 1);
    const registration = lastPublish(client, uri)!.diagnostics.find(d => d.code === 'missing_timeline_registry')!;
    const initLine = rangeOf(text, 'window.__timelines = window.__timelines || {};');
    assert.deepEqual((await codeActions(client, uri, [registration])).map(a => editOf(a, uri)), [{
      title: 'Register the timeline: window.__timelines["main"] = tl',
      range: point(initLine.end.line, initLine.end.character),
      newText: '\n    window.__timelines["main"] = tl;',
    }]);
    client.close(uri);
  });

  it('sets data-duration to the end of the last clip when the clips imply one', async () => {
    const file = path.join(fixture('zero'), 'index.html');
    const text = fs.readFileSync(file, 'utf8').replace('data-start="0" data-track-index="0"', 'data-start="0.5" data-duration="2.25" data-track-index="0"');
    const uri = client.open(file, text);
    await client.waitForDiagnostics(uri, 'static diagnostics', p => p.version === 1);
    // The probe would not call this composition zero-length; the fix is asked for a missing duration.
    const missing: Diagnostic = { range: rangeOf(text, 'div', 1), code: 'root_composition_missing_duration_source', message: 'no duration', source: 'hyperframes' };
    const rootTagEnd = rangeOf(text, 'data-fps="30"').end;
    assert.deepEqual((await codeActions(client, uri, [missing])).map(a => editOf(a, uri)), [{
      title: 'Set data-duration="2.75" on the composition root (the end of its last clip)',
      range: point(rootTagEnd.line, rootTagEnd.character),
      newText: ' data-duration="2.75"',
    }]);
    client.close(uri);
  });

  it('replaces an unknown relative-start reference with the nearest id, keeping the offset', async () => {
    const file = path.join(fixture('basic'), 'index.html');
    const text = fs.readFileSync(file, 'utf8').replace('data-start="intro + 0.5"', 'data-start="intr + 0.5"');
    const uri = client.open(file, text);
    const published = await client.waitForDiagnostics(uri, 'the unknown reference', p => p.diagnostics.some(d => d.code === 'unknown-start-reference'));
    const unknown = published.diagnostics.filter(d => d.code === 'unknown-start-reference');
    assert.deepEqual((await codeActions(client, uri, unknown)).map(a => editOf(a, uri)), [{
      title: 'Change the reference to "intro"', range: { start: rangeOf(text, 'intr + 0.5').start, end: rangeOf(text, ' + 0.5').start }, newText: 'intro',
    }]);
    client.close(uri);
  });

  it('adds muted or data-has-audio to a <video> (video_missing_muted)', async () => {
    const dir = fixture('basic');
    const file = path.join(dir, 'index.html');
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'assets/clip.mp4'), '');
    const text = fs.readFileSync(file, 'utf8').replace('</div>\n  <script', '  <video id="film" src="assets/clip.mp4" data-start="0" data-duration="1" data-track-index="2"></video>\n  </div>\n  <script');
    const uri = client.open(file, text);
    const published = await client.waitForDiagnostics(uri, 'video_missing_muted', p => p.diagnostics.some(d => d.code === 'video_missing_muted'));
    const notMuted = published.diagnostics.filter(d => d.code === 'video_missing_muted');
    assert.deepEqual(notMuted[0].range, rangeOf(text, 'video', 0));
    assert.equal(notMuted[0].severity, DiagnosticSeverity.Error);
    const videoTag = rangeOf(text, '<video');
    const at = point(videoTag.end.line, videoTag.end.character);
    assert.deepEqual((await codeActions(client, uri, notMuted)).map(a => editOf(a, uri)), [
      { title: 'Add `muted` (silent footage)', range: at, newText: ' muted' },
      { title: 'Add data-has-audio="true" (its sound should be heard)', range: at, newText: ' data-has-audio="true"' },
    ]);
    client.close(uri);
  });
});

describe('hover, CodeLens, symbols, completion and custom requests', () => {
  let client: LspTestClient;
  let text: string;
  let uri: string;
  before(async () => {
    client = await LspTestClient.start({ probeOnSave: false });
    const file = path.join(fixture('basic'), 'index.html');
    text = fs.readFileSync(file, 'utf8').replace('<div id="outro"', [
      '<div id="scene" data-composition-id="scene" data-start="0" data-duration="2" data-track-index="3">',
      '      <div id="scene-a" class="clip" data-start="0" data-duration="1" data-track-index="0">A</div>',
      '    </div>',
      '    <div id="outro"',
    ].join('\n'));
    uri = client.open(file, text);
    await client.waitForDiagnostics(uri, 'the open', p => p.version === 1);
  });
  after(async () => { await client.stop(); });

  it('hovers a clip with its resolved timing, frames and what its relative start resolved to', async () => {
    const hover = await client.request(HoverRequest.type, { textDocument: { uri }, position: rangeOf(text, 'id="outro"').start });
    assert.equal((hover?.contents as MarkupContent | undefined)?.value, [
      '**outro** · `<div>` clip',
      '',
      'Start 2.00 s · end 3.00 s · duration 1.00 s · track 1',
      '',
      'Frames 60–89 @ 30 fps',
      '',
      'Relative start: end of `intro` (ends at 1.50 s) + 0.50 s → 2.00 s',
    ].join('\n'));
    const outside = await client.request(HoverRequest.type, { textDocument: { uri }, position: rangeOf(text, 'ntro</div>').start });
    assert.equal(outside, null);
  });

  it('puts duration · frames @ fps, Preview and Render lenses on the root', async () => {
    const lenses = await client.request(CodeLensRequest.type, { textDocument: { uri } });
    const rootStart = rangeOf(text, '<div id="stage"').start;
    assert.deepEqual((lenses ?? []).map(l => [l.command?.title, l.command?.command, l.command?.arguments, l.range.start]), [
      ['3.00 s · 90 frames @ 30 fps', '', undefined, rootStart],
      ['Preview', 'hyperframesLive.openPreview', [uri], rootStart],
      ['Render', 'hyperframesLive.render', [uri], rootStart],
    ]);
  });

  it('lists the clip tree under the composition\'s root node, with a nested composition\'s clips under their host', async () => {
    const symbols = await documentSymbols(client, uri);
    const tree = (list: DocumentSymbol[]): unknown[] => list.map(s => (s.children?.length ? [s.name, s.detail, tree(s.children)] : [s.name, s.detail]));
    assert.deepEqual(tree(symbols), [
      ['main', '3.00 s · 90 frames @ 30 fps · 640×360', [
        ['intro', '0.00–1.50 s · track 0'],
        ['scene', '0.00–2.00 s · track 3', [['scene-a', '0.00–1.00 s · track 0']]],
        ['outro', '2.00–3.00 s · track 1'],
      ]],
    ]);
    assert.deepEqual(symbols[0].selectionRange, rangeOf(text, 'main'));
    assert.deepEqual(symbols[0].children?.[0].selectionRange, rangeOf(text, 'intro'));
  });

  it('completes data-* attributes in a tag (those not yet written) and clip ids in a data-start value', async () => {
    const inTag = rangeOf(text, 'class="clip" data-start="0" data-duration="1.5"').start;
    const attributes = await completions(client, uri, inTag);
    assert.deepEqual(attributes.map(i => i.label), [
      'data-composition-id', 'data-composition-src', 'data-composition-variables', 'data-width', 'data-height', 'data-fps',
    ]);
    assert.equal(attributes[0].insertText, 'data-composition-id="$1"');

    const inStart = rangeOf(text, 'intro + 0.5').start;
    const ids = await completions(client, uri, inStart);
    // Not scene-a: a clip of the nested composition "scene", which a relative start cannot name.
    assert.deepEqual(ids.map(i => [i.label, i.detail]), [
      ['intro', 'ends at 1.50 s'], ['scene', 'ends at 2.00 s'],
    ]);
    // In intro's own data-start: not intro itself, not outro (it starts after intro: naming it makes a cycle).
    const inIntroStart = rangeOf(text, 'data-start="0" data-duration="1.5"').start;
    const forIntro = await completions(client, uri, { line: inIntroStart.line, character: inIntroStart.character + 'data-start="'.length });
    assert.deepEqual(forIntro.map(i => i.label), ['scene']);
    const inText = await completions(client, uri, rangeOf(text, 'ntro</div>').start);
    assert.deepEqual(inText, []);
  });

  it('answers compositionInfo with every clip\'s resolved timing', async () => {
    const info = await client.request(CompositionInfoRequest.type, { uri });
    assert.ok(info, 'the document is a composition');
    assert.equal(info.entryUri, uri);
    assert.deepEqual([info.compositionId, info.width, info.height, info.fps, info.duration, info.frameCount, info.version], ['main', 640, 360, 30, 3, 90, 1]);
    assert.deepEqual(info.clips.map(c => [c.id, c.start, c.end, c.trackIndex, c.parentId, c.startExpression]), [
      ['intro', 0, 1.5, 0, null, null],
      ['scene', 0, 2, 3, null, null],
      ['scene-a', 0, 1, 0, 'scene', null],
      ['outro', 2, 3, 1, null, 'intro + 0.5'],
    ]);
    assert.equal(await client.request(CompositionInfoRequest.type, { uri: uriOf('/nonexistent/page.html') }), null);
  });

  it('reports the Chromium and ffmpeg the server would use, with versions', async () => {
    const environment = await client.request(CheckEnvironmentRequest.type, {});
    assert.equal(environment.chromium.found, true);
    assert.match(environment.chromium.version ?? '', /Chromium \d+/);
    assert.match(environment.ffmpeg.version ?? '', /^ffmpeg version/);
    assert.match(environment.ffprobe.version ?? '', /^ffprobe version/);
    assert.equal(environment.probeOnSave, false);
    void client.configure({ hyperframesLive: { ffmpegPath: '/nonexistent/ffmpeg' } });
    const missing = await client.request(CheckEnvironmentRequest.type, {});
    assert.equal(missing.ffmpeg.found, false);
    assert.match(missing.ffmpeg.error ?? '', /ffmpeg not found at "\/nonexistent\/ffmpeg"/);
    // The engine's message is neutral; in VS Code it ends with the setting that fixes it.
    assert.match(missing.ffmpeg.error ?? '', /In VS Code, the hyperframesLive\.ffmpegPath setting gives its path\.$/);
  });
});

describe('bad input', () => {
  it('answers every request on broken markup, odd URIs and positions past the end, and keeps running', async () => {
    const client = await LspTestClient.start({ probeOnSave: false });
    try {
      const dir = fixture('plain');
      const file = path.join(dir, 'broken.html');
      const broken = '<div data-composition-id="x" data-start="a +" <<<>>> <video src=\u0000 "\'\n<template><template><div data-composition-src="../../../etc/passwd" data-composition-id=';
      fs.writeFileSync(file, broken);
      const uri = client.open(file, broken);
      const published = await client.waitForDiagnostics(uri, 'diagnostics of the broken file', p => p.version === 1);
      assert.ok(published.diagnostics.some(d => d.code === 'parse-error'));
      const documents = [uri, 'untitled:Untitled-1', 'file:///nonexistent/x.html', 'not a uri'];
      for (const target of documents) {
        for (const position of [{ line: 0, character: 0 }, { line: 0, character: 47 }, { line: 1, character: 30 }, { line: 99, character: 99 }]) {
          await client.request(HoverRequest.type, { textDocument: { uri: target }, position });
          await client.request(CompletionRequest.type, { textDocument: { uri: target }, position });
        }
        await client.request(CodeLensRequest.type, { textDocument: { uri: target } });
        await client.request(DocumentSymbolRequest.type, { textDocument: { uri: target } });
        await client.request(CodeActionRequest.type, { textDocument: { uri: target }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
          context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'unknown-start-reference', data: { suggestion: 42 } }] } });
        await client.request(CompositionInfoRequest.type, { uri: target });
      }
      void client.configure('nonsense');
      const v2 = client.change(uri, '');
      await client.waitForDiagnostics(uri, 'the emptied file', p => p.version === v2);
      assert.equal(client.process.exitCode, null);
      // The guard around every handler is a safety net: none of these inputs should have needed it.
      assert.deepEqual(client.logs.filter(l => / failed: /.test(l)), []);
    } finally {
      await client.stop();
    }
  });
});
