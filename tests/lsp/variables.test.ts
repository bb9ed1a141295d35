// Variables in the editor: hovering a data-var-text binding shows the variable's declaration (type, label,
// default, where it is declared) and what the element shows, per instance in a sub-composition used twice;
// a binding naming no declared variable says so. Against the real server over stdio.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

describe('variable hover', () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    client = await LspTestClient.start({ probeOnSave: false });
    dir = fixture('variables');
  });
  after(async () => { await client.stop(); });

  async function hover(file: string, needle: string): Promise<{ value: string; range: unknown } | undefined> {
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, text);
    // A sub-composition file publishes nothing of its own (its entry's compile covers it).
    if (path.basename(file) === 'index.html') await client.waitForDiagnostics(uri, 'the open', p => p.version === 1);
    const at = rangeOf(text, needle);
    const result = await client.request(HoverRequest.type, { textDocument: { uri }, position: { line: at.start.line, character: at.start.character + 1 } });
    return result ? { value: (result.contents as MarkupContent).value, range: result.range } : undefined;
  }

  it('a top-level binding: the declaration, its default and the value shown', async () => {
    const entry = path.join(dir, 'index.html');
    const text = fs.readFileSync(entry, 'utf8');
    const title = await hover(entry, 'title">Hello');
    assert.equal(title?.value, [
      '**title** · `string` variable · "Title" · `data-var-text`', '',
      'Default: `"Hello"`', '',
      'Declared in index.html:2', '',
      'Shows `"Hello"`',
    ].join('\n'));
    const bound = rangeOf(text, 'title">Hello').start;
    assert.deepEqual(title?.range, { start: bound, end: { line: bound.line, character: bound.character + 'title'.length } });
    const size = await hover(entry, 'size">m');
    assert.match(size?.value ?? '', /Options: `s`, `m`/);
  });

  it('a binding in a sub-composition used by two hosts: each instance\'s value', async () => {
    const card = path.join(dir, 'compositions/card.html');
    const name = await hover(card, 'name">Nobody');
    assert.equal(name?.value, [
      '**name** · `string` variable · "Name" · `data-var-text`', '',
      'Default: `"Nobody"`', '',
      'Declared in card.html:3', '',
      '- `card-a`: `"Ada"`',
      '- `card-b`: `"Grace"`',
    ].join('\n'));
  });
});
