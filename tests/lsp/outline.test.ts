// The outline over LSP (textDocument/documentSymbol): one root node per composition, the clips under it,
// a sub-composition's clips nested under their host, a symbol kind per clip type, and in a sub-composition's
// own file its root element as the root node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DocumentSymbol, DocumentSymbolRequest, SymbolKind } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { fixtureCopies, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

async function outline(client: LspTestClient, uri: string): Promise<DocumentSymbol[]> {
  const symbols = await client.request(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.ok(symbols?.every(s => DocumentSymbol.is(s)), 'a tree of DocumentSymbols');
  return symbols as DocumentSymbol[];
}

/** [name, kind, children] for the whole tree (kinds by name, so a failure reads "String", not 15). */
type Shape = [string, string] | [string, string, Shape[]];
const kindName = (kind: SymbolKind): string => Object.entries(SymbolKind).find(([, value]) => value === kind)?.[0] ?? String(kind);
const shapeOf = (list: DocumentSymbol[]): Shape[] =>
  list.map(s => (s.children?.length ? [s.name, kindName(s.kind), shapeOf(s.children)] : [s.name, kindName(s.kind)]));

describe('outline (document symbols)', () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    client = await LspTestClient.start({ probeOnSave: false });
    dir = fixture('outline');
  });
  after(async () => { await client.stop(); });

  it('has a root node for the composition, its clips under it, each clip type with its own kind', async () => {
    const file = path.join(dir, 'index.html');
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, text);
    await client.waitForDiagnostics(uri, 'the open', p => p.version === 1);
    const symbols = await outline(client, uri);
    assert.deepEqual(shapeOf(symbols), [
      ['reel', 'Class', [
        ['headline', 'String'],
        ['panel', 'Object'],
        ['logo', 'File'],
        ['music', 'Field'],
        ['aroll', 'Event'],
        ['inline-scene', 'Struct', [['caption', 'String']]],
        ['card-host', 'Struct'],
      ]],
    ]);
    const [root] = symbols;
    assert.equal(root.detail, '4.00 s · 120 frames @ 30 fps · 640×360');
    assert.deepEqual(root.selectionRange, rangeOf(text, 'reel'));
    assert.deepEqual(root.range.start, rangeOf(text, '<div id="stage"').start, 'the root node is the root element');
    assert.deepEqual(root.children?.[0].selectionRange, rangeOf(text, 'headline'));
  });

  it('in a sub-composition\'s own file, the root node is its root element, with its clips under it', async () => {
    // Opened beside its includer (the first test opened index.html): the includer's compile knows its use.
    const file = path.join(dir, 'compositions/card.html');
    const text = fs.readFileSync(file, 'utf8');
    const symbols = await outline(client, client.open(file, text));
    assert.deepEqual(shapeOf(symbols), [['card', 'Class', [['card-title', 'String'], ['card-box', 'Object']]]]);
    const [root] = symbols;
    assert.equal(root.detail, 'sub-composition in reel at 2.00 s–4.00 s');
    assert.deepEqual(root.selectionRange, rangeOf(text, 'card'));
    assert.deepEqual(root.range, { start: rangeOf(text, '<div data-composition-id').start, end: rangeOf(text, 'data-height="360">').end });
  });
});
