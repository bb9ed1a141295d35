// Hover, CodeLens, document symbols and completion reach VS Code from the language server.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostTest } from '../host/types';
import { assertServerUp, openFixture, waitFor } from '../host/util';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap(h => h.contents).map(c => (typeof c === 'string' ? c : c.value)).join('\n');
}

function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" is in ${document.fileName}`);
  return document.positionAt(offset + delta);
}

export const tests: HostTest[] = [
  {
    name: 'hovering a clip shows its resolved timing and frame range',
    run: async () => {
      const { document } = await openFixture('index.html');
      const at = positionOf(document, '<div id="outro"', 2);
      const text = await waitFor('a hover on the outro clip', async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
        const joined = hoverText(hovers);
        if (!/outro/.test(joined)) await assertServerUp();
        return /outro/.test(joined) ? joined : undefined;
      });
      assert.match(text, /Start 1\.00 s · end 2\.00 s · duration 1\.00 s · track 1/);
      assert.match(text, /Frames 30–59 @ 30 fps/);
      assert.match(text, /end of `intro`/, 'says what the relative start resolved to');
    },
  },
  {
    name: 'the composition root has a duration CodeLens with Preview and Render',
    run: async () => {
      const { document } = await openFixture('index.html');
      const lenses = await waitFor('CodeLenses on index.html', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
        if (found.length === 0) await assertServerUp();
        return found.length > 0 ? found : undefined;
      });
      const titles = lenses.map(l => l.command?.title ?? '');
      assert.ok(titles.includes('2.00 s · 60 frames @ 30 fps'), `duration lens (got ${titles.join(' | ')})`);
      assert.ok(titles.includes('Preview') && titles.includes('Render'), `Preview and Render lenses (got ${titles.join(' | ')})`);
      const rootLine = positionOf(document, 'data-composition-id="main"').line;
      assert.ok(lenses.every(l => l.range.start.line === rootLine), 'the lenses sit on the root element');
    },
  },
  {
    name: 'the outline lists the clips',
    run: async () => {
      const { document } = await openFixture('index.html');
      const symbols = await waitFor('document symbols', async () => {
        const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
        await assertServerUp();
        return found?.some(s => s.name.includes('intro') || s.children.some(c => c.name.includes('intro'))) ? found : undefined;
      });
      const names = symbols.flatMap(s => [s.name, ...s.children.map(c => c.name)]).join(' ');
      assert.match(names, /intro/);
      assert.match(names, /outro/);
    },
  },
  {
    name: 'completion inside a relative data-start offers the clip ids',
    run: async () => {
      const { document } = await openFixture('index.html');
      const at = positionOf(document, 'data-start="intro"', 'data-start="'.length);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
      const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('intro'), `"intro" is offered (got ${labels.slice(0, 20).join(', ')})`);
    },
  },
];
