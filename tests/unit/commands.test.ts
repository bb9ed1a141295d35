// The manifest's commands are the one table's (extension/commands.ts): the same ids, titles and palette
// conditions, nothing contributed that the extension does not register, no internal command in the palette.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../extension/commands';

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: { commandPalette: Array<{ command: string; when?: string }> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as Manifest;

describe('commands: one table for the manifest and the code', () => {
  it('contributes exactly the table\'s palette commands, with their titles, in the HyperFrames category', () => {
    const contributed = manifest.contributes.commands.map(c => [c.command, c.title, c.category]);
    const expected = COMMANDS.filter(c => c.title !== undefined).map(c => [c.id, c.title, 'HyperFrames']);
    assert.deepEqual(contributed.sort(), expected.sort());
  });

  it('offers each command in the palette under the table\'s condition', () => {
    const palette = new Map(manifest.contributes.menus.commandPalette.map(entry => [entry.command, entry.when]));
    for (const command of COMMANDS.filter(c => c.title !== undefined)) assert.equal(palette.get(command.id), command.paletteWhen, command.id);
    for (const id of palette.keys()) assert.ok(COMMANDS.some(c => c.id === id && c.title !== undefined), `${id} is a palette command of the table`);
  });

  it('every id is registered by the extension', () => {
    const sources = ['extension/main.ts', 'extension/status.ts', 'extension/walkthrough.ts', 'extension/render/index.ts', 'extension/preview/index.ts']
      .map(file => fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8')).join('\n');
    const registered = [...sources.matchAll(/registerCommand\((\w+)\.(\w+)/g)].map(m => `${m[1]}.${m[2]}`);
    assert.equal(registered.length, COMMANDS.length, registered.join(', '));
  });
});
