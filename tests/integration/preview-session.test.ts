// The preview's extension side without VS Code: what PreviewSession serves (the compiled entry with the
// runtime and the bridge), what the webview is told (clips resolved by compile, rows per track including a
// sub-composition's, problems, the media warning), and editor sync's clip lookup in the editor's text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clipAtOffset, clipExtents } from '../../extension/preview/clipLocator';
import { describeForWebview, externalEntryUrl, injectPreviewBridge, PreviewSession } from '../../extension/preview/session';
import { groupRows } from '../../webview/timeline';
import { languageServerSource, refreshComposition, repoRoot } from './previewHarness';

describe('preview session on the example', { timeout: 60_000 }, () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-session-'));
  fs.cpSync(path.join(repoRoot, 'examples', 'hello'), project, { recursive: true });
  const entry = path.join(project, 'index.html');
  let server: Awaited<ReturnType<typeof languageServerSource>>;
  let session: PreviewSession;

  before(async () => {
    server = await languageServerSource();
    session = new PreviewSession({
      entryFile: entry,
      compositionSource: server.source,
      bridgeScriptPath: path.join(repoRoot, 'dist', 'preview-bridge.js'),
      runtimePath: path.join(repoRoot, 'dist', 'runtime.js'),
    });
    await refreshComposition(session);
  });
  after(async () => {
    await session.close();
    await server.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  test('the file server serves the compiled entry with the runtime first and the bridge last', async () => {
    const html = await (await fetch(session.entryUrl!)).text();
    const runtimeAt = html.indexOf('<script src="/__hf/runtime.js">');
    const inlineRuntimeAt = html.indexOf('<script data-hf-preview-runtime>window.__hfManifest = {');
    const bridgeAt = html.indexOf('<script data-hf-preview-bridge>');
    assert.ok(runtimeAt > 0 && inlineRuntimeAt > runtimeAt && bridgeAt > inlineRuntimeAt, 'runtime in <head>, bridge at the end of <body>');
    assert.ok(inlineRuntimeAt < html.indexOf('<style>'), 'the inline runtime (for path-prefixed proxies) precedes the page\'s content');
    assert.ok(bridgeAt > html.indexOf('window.__timelines["hello"] = tl'), 'the bridge runs after the page\'s scripts');
    assert.ok(html.indexOf('Made with HyperFrames') > 0, 'the sub-composition is inlined');
  });

  test('the webview gets the clips as compile resolved them, grouped into rows per track', () => {
    const composition = describeForWebview(session.snapshot!, 'http://127.0.0.1:1/index.html', 'file:///x/index.html');
    const byId = new Map(composition.clips.map(c => [c.id, c]));
    assert.deepEqual({ ...byId.get('subtitle') }, { id: 'subtitle', kind: 'element', start: 1, duration: 3.5, trackIndex: 1, depth: 0, parentId: undefined });
    assert.equal(byId.get('box-c')!.start, 1.5, 'relative starts resolved: box-b ends at 1 + 4 = 5, box-c = 5 - 3.5');
    assert.equal(byId.get('outro-card')!.start, 3, 'a sub-composition clip is in root time');
    const rows = groupRows(composition.clips).map(r => [r.key, r.clips.map(c => c.id)]);
    assert.deepEqual(rows, [
      ['0', ['title']], ['1', ['subtitle']], ['2', ['box-a']], ['3', ['box-b']], ['4', ['box-c']],
      ['5', ['spinner']], ['6', ['outro']], ['7', ['chime']], ['outro/0', ['outro-card']],
    ]);
    // A sub-composition's rows are named by their composition, then their clips.
    assert.deepEqual(groupRows(composition.clips).map(r => r.label).slice(-2), ['chime', 'outro › outro-card']);
    assert.equal(composition.mediaWarning, undefined, 'a WAV plays in the webview');
    assert.deepEqual(composition.problems, []);
  });

  test('editor sync finds the innermost clip around the cursor, in the entry and in a sub-composition', async () => {
    const clips = session.snapshot!.composition.clips;
    const text = fs.readFileSync(entry, 'utf8');
    const extents = await clipExtents(entry, text, clips);
    assert.equal(clipAtOffset(extents, text.indexOf('Rendered frame by frame')), 'subtitle');
    assert.equal(clipAtOffset(extents, text.indexOf('<div id="box-b"') + 3), 'box-b');
    assert.equal(clipAtOffset(extents, text.indexOf('<script src="vendor')), undefined, 'outside every clip');
    // The id survives edits above it: the lookup reads the current text, not the compiled ranges.
    const edited = '<!-- a comment added above -->\n' + text;
    assert.equal(clipAtOffset(await clipExtents(entry, edited, clips), edited.indexOf('Rendered frame by frame')), 'subtitle');
    const outroFile = path.join(project, 'compositions', 'outro.html');
    const outroText = fs.readFileSync(outroFile, 'utf8');
    assert.equal(clipAtOffset(await clipExtents(outroFile, outroText, clips), outroText.indexOf('Made with')), 'outro-card');
  });

  test('media the webview cannot decode is called out', async () => {
    fs.copyFileSync(path.join(project, 'assets', 'chime.wav'), path.join(project, 'assets', 'voice.m4a'));
    const source = fs.readFileSync(entry, 'utf8');
    fs.writeFileSync(entry, source.replace('src="assets/chime.wav"', 'src="assets/voice.m4a"'));
    try {
      // A change on disk: the server compiles again (reuse false, what a save or the file watcher asks).
      const snapshot = await refreshComposition(session);
      const composition = describeForWebview(snapshot, 'http://127.0.0.1:1/index.html', 'file:///x/index.html');
      assert.match(composition.mediaWarning ?? '', /voice\.m4a.*may not play in the preview.*The render contains it/);
    } finally {
      fs.writeFileSync(entry, source);
    }
  });
});

test('the bridge is inserted before the last </body>, and cannot close its own script early', () => {
  const html = '<html><body><p>x</p><script>"</body>"</script></body></html>';
  const out = injectPreviewBridge(html, 'console.log("</script>")');
  assert.equal(out, '<html><body><p>x</p><script>"</body>"</script><script data-hf-preview-bridge>console.log("<\\/script>")</script></body></html>');
  assert.equal(injectPreviewBridge('<p>no body</p>', 'x'), '<p>no body</p><script data-hf-preview-bridge>x</script>');
});

test('the entry path is joined under the external origin, keeping a proxy prefix', () => {
  const entry = 'http://127.0.0.1:4100/sub%20dir/index.html';
  assert.equal(externalEntryUrl('http://127.0.0.1:4100', entry), entry);
  assert.equal(externalEntryUrl('http://127.0.0.1:4100/', entry), entry);
  assert.equal(externalEntryUrl('https://host.example/proxy/4100/', entry), 'https://host.example/proxy/4100/sub%20dir/index.html');
  assert.equal(externalEntryUrl('https://host.example/proxy/4100', entry), 'https://host.example/proxy/4100/sub%20dir/index.html');
});
