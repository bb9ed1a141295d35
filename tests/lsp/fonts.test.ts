// Fonts in the editor: hovering a font-family value says which font each family is drawn with, and the
// Google Fonts family that is not bundled is a warning on the link's URL. Against the real server over stdio.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

describe('font hover and diagnostics', () => {
  let client: LspTestClient;
  let text: string;
  let uri: string;
  before(async () => {
    client = await LspTestClient.start({ probeOnSave: false });
    const file = path.join(fixture('fonts'), 'index.html');
    text = fs.readFileSync(file, 'utf8');
    uri = client.open(file, text);
    await client.waitForDiagnostics(uri, 'the open', p => p.version === 1);
  });
  after(async () => { await client.stop(); });

  async function hoverAt(needle: string): Promise<Hover | null> {
    return client.request(HoverRequest.type, { textDocument: { uri }, position: rangeOf(text, needle).start });
  }

  it('shows the bundled font, the Inter put in front of a generic, and a system font substituted', async () => {
    const title = await hoverAt('Montserrat, sans-serif');
    assert.equal((title!.contents as MarkupContent).value, [
      '**font-family** · rendered with **Montserrat**', '',
      '- `Montserrat`: bundled (weights 400, 700, 900)',
      '- `sans-serif`: generic, the machine\'s default font',
    ].join('\n'));
    assert.deepEqual(title!.range, rangeOf(text, 'Montserrat, sans-serif'));
    const body = await hoverAt('sans-serif; }');
    assert.equal((body!.contents as MarkupContent).value, [
      '**font-family** · rendered with **Inter**', '',
      '- `Inter` put in front, bundled: the first family is generic, which draws differently on every machine',
      '- `system-ui`: generic, the machine\'s default font',
      '- `sans-serif`: generic, the machine\'s default font',
    ].join('\n'));
    const code = await hoverAt('Menlo');
    assert.match((code!.contents as MarkupContent).value, /rendered with \*\*JetBrains Mono\*\*[\s\S]*`Menlo` → \*\*JetBrains Mono\*\*, bundled \(weights 400, 700\)/);
  });

  it('a font-family inside a clip\'s style attribute hovers as a font; the rest of the tag still hovers the clip', async () => {
    const inAttribute = await hoverAt("'Lobster', cursive");
    assert.equal((inAttribute!.contents as MarkupContent).value, [
      '**font-family** · rendered with whatever the machine has', '',
      '- `Lobster`: not bundled, the machine\'s own font if it is installed',
      '- `cursive`: generic, the machine\'s default font',
    ].join('\n'));
    const clip = await hoverAt('id="title"');
    assert.match((clip!.contents as MarkupContent).value, /^\*\*title\*\* · `<p>` clip/);
  });

  it('publishes the Google family that is not bundled as a warning on the URL', async () => {
    const published = client.published.filter(p => p.uri === uri).at(-1)!;
    const google = published.diagnostics.filter(d => d.code === 'google-font-unavailable');
    assert.equal(google.length, 1);
    assert.deepEqual(google[0].range, rangeOf(text, 'https://fonts.googleapis.com/css2?family=Montserrat:wght@700&family=Lobster&display=swap'));
    assert.equal(google[0].severity, 2);
    assert.match(String(google[0].message), /"Lobster"/);
    assert.deepEqual(published.diagnostics.filter(d => d.code === 'font-substituted').map(d => d.range), [rangeOf(text, 'Menlo')]);
  });
});
