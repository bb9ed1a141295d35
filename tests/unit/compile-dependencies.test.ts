// Composition.dependencies: every local file the composition reads or looks for — entry, sub-compositions,
// stylesheets, scripts and media, also those that do not exist yet — so that the language server can re-check
// a composition when one of them changes or appears on disk. Remote and outside references are not listed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';

const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-compile-deps-'));
after(() => fs.rmSync(project, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = path.join(project, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

write('hyperframes.json', '{}');
write('styles/main.css', '#stage { background: url(bg.png); }');
write('styles/card.css', '.card { color: red; }');
write('vendor/lib.js', 'window.lib = 1;');
write('scripts/anim.mjs', 'export {};');
write('scripts/card.js', 'window.card = 1;');
write('assets/logo.png', 'not really a png');
write('compositions/card.html', `<template id="card-template">
  <div data-composition-id="card" data-width="640" data-height="360" data-duration="1">
    <link rel="stylesheet" href="styles/card.css">
    <div id="card-title" class="clip" data-start="0" data-duration="1">Card</div>
    <script src="scripts/card.js"></script>
  </div>
</template>
`);
const entry = write('index.html', `<!doctype html>
<html>
<head>
  <link rel="stylesheet" href="styles/main.css">
  <link rel="icon" href="favicon.ico">
  <link rel="stylesheet" href="https://cdn.example.com/remote.css">
  <script src="vendor/lib.js"></script>
</head>
<body>
  <div id="stage" data-composition-id="main" data-width="640" data-height="360" data-duration="2">
    <img id="logo" class="clip" src="assets/logo.png" data-start="0" data-duration="1">
    <img id="later" class="clip" src="assets/later.png" data-start="0" data-duration="1">
    <div id="card-host" data-composition-id="card" data-composition-src="compositions/card.html" data-start="0" data-duration="1"></div>
    <div id="late-host" data-composition-id="late" data-composition-src="compositions/late.html" data-start="1" data-duration="1"></div>
  </div>
  <script type="module" src="scripts/anim.mjs"></script>
  <script src="https://cdn.example.com/gsap.js"></script>
  <script src="../outside.js"></script>
</body>
</html>
`);

describe('compile: dependencies', () => {
  it('lists the entry, sub-compositions, stylesheets, scripts and media, missing ones included, and nothing remote or outside', async () => {
    const { composition, diagnostics } = await compile({ entryFile: entry });
    const listed = composition.dependencies.map(file => path.relative(project, file)).sort();
    assert.deepEqual(listed, [
      'assets/later.png',
      'assets/logo.png',
      'compositions/card.html',
      'compositions/late.html',
      'index.html',
      'scripts/anim.mjs',
      'scripts/card.js',
      'styles/card.css',
      'styles/main.css',
      'vendor/lib.js',
    ]);
    // The missing ones are reported too: the dependency is what lets their creation clear the report.
    assert.deepEqual(diagnostics.map(d => d.code).filter(code => code === 'missing_local_asset' || code === 'missing_or_empty_sub_composition').sort(),
      ['missing_local_asset', 'missing_or_empty_sub_composition']);
  });

  it('follows what an editor overlay says, not the disk', async () => {
    const overlay = fs.readFileSync(entry, 'utf8').replace('styles/main.css', 'styles/other.css');
    const { composition } = await compile({ entryFile: entry, readOverlay: file => (file === entry ? overlay : undefined) });
    assert.ok(composition.dependencies.includes(path.join(project, 'styles/other.css')));
    assert.ok(!composition.dependencies.includes(path.join(project, 'styles/main.css')));
  });
});
