// Inlining a sub-composition as the reference does: its relative URLs rebased onto the entry (`../` from
// its own folder, a plain path to its sibling when that exists, else as written), its <style> scoped to its
// instance without moving a line, its scripts wrapped in their own scope, and a root sharing its host's id.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { scopeStylesheet } from '../../server/engine/compile/cssScope';
import { rebaseSubCompositionUrl, rewriteCssUrls } from '../../server/engine/compile/subCompositionPaths';
import { compileFindings } from './compileSupport';

const SCOPE = { instance: '[id="h"]', box: '[id="h"] [data-composition-id="s"]' };
const WHERE = ':where([id="h"], [id="h"] *)';

describe('compile: sub-composition styles are scoped to their instance', () => {
  it('constrains every rule\'s subject, maps html/body/:root to the box, keeps keyframes and font faces global', () => {
    const css = `.a, .b > p { color: red }
body { background: #000 }
:root{--x:1}
.c::before, .d:after { content: "" }
@media (min-width: 10px) {
  .e:hover { top: 0 }
}
@keyframes spin { from { transform: none } to { transform: rotate(1turn) } }
@font-face { font-family: X; src: url(x.woff2) }
.f:not(.g, .h) { left: 0 }
* { box-sizing: border-box }`;
    const scoped = scopeStylesheet(css, SCOPE);
    assert.equal(scoped.split('\n').length, css.split('\n').length, 'no line added or removed');
    assert.equal(scoped, `.a${WHERE}, .b > p${WHERE} { color: red }
${SCOPE.box} { background: #000 }
${SCOPE.box}{--x:1}
.c${WHERE}::before, .d${WHERE}:after { content: "" }
@media (min-width: 10px) {
  .e:hover${WHERE} { top: 0 }
}
@keyframes spin { from { transform: none } to { transform: rotate(1turn) } }
@font-face { font-family: X; src: url(x.woff2) }
.f:not(.g, .h)${WHERE} { left: 0 }
* { box-sizing: border-box }`);
  });

  it('survives comments, strings with braces and an unbalanced brace', () => {
    assert.equal(scopeStylesheet('/* } */ .a { content: "}" }', SCOPE), `/* } */ .a${WHERE} { content: "}" }`);
    assert.equal(scopeStylesheet('.a { color: red } }', SCOPE), `.a${WHERE} { color: red } }`);
  });
});

describe('compile: sub-composition URLs resolve from the sub-composition', () => {
  let project: string;
  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-subcomp-'));
    fs.writeFileSync(path.join(project, 'hyperframes.json'), '{}');
    fs.mkdirSync(path.join(project, 'compositions'));
    fs.mkdirSync(path.join(project, 'media'));
    fs.writeFileSync(path.join(project, 'compositions/_shared.css'), '');
    fs.writeFileSync(path.join(project, 'media/a b.png'), 'png');
    fs.writeFileSync(path.join(project, 'index.html'), `<!doctype html><html><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-duration="1">
  <div id="intro" data-composition-id="intro" data-composition-src="compositions/intro.html" data-start="0" data-duration="1"></div>
</div></body></html>`);
    fs.writeFileSync(path.join(project, 'compositions/intro.html'), `<template>
  <div id="intro" data-composition-id="intro" data-width="320" data-height="180">
    <link rel="stylesheet" href="_shared.css">
    <img id="pic" src="../media/a%20b.png?v=2" data-start="0" data-duration="1">
    <div id="bg" style="background: url('../media/a%20b.png')"></div>
    <img id="kept" src="media/a%20b.png" data-start="0" data-duration="1">
    <style>.t { background: url(../media/a%20b.png) }</style>
    <script>
      const root = document.getElementById('intro');
    </script>
  </div>
</template>`);
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('rebases ../ paths, siblings that exist, and leaves project-root paths as written', () => {
    const entry = path.join(project, 'index.html');
    const sub = path.join(project, 'compositions/intro.html');
    assert.equal(rebaseSubCompositionUrl(entry, sub, '../media/a%20b.png?v=2#x'), 'media/a%20b.png?v=2#x');
    assert.equal(rebaseSubCompositionUrl(entry, sub, '_shared.css'), 'compositions/_shared.css');
    assert.equal(rebaseSubCompositionUrl(entry, sub, 'media/a%20b.png'), undefined, 'a project-root path without a sibling stays');
    assert.equal(rebaseSubCompositionUrl(entry, sub, 'https://example.com/x.png'), undefined);
    assert.equal(rebaseSubCompositionUrl(entry, sub, 'data:image/png;base64,AAAA'), undefined);
    assert.equal(rebaseSubCompositionUrl(entry, sub, '/media/x.png'), undefined);
    assert.equal(rewriteCssUrls('a { b: url("../x.png"); } @import "../y.css";', url => url.replace('../', '')), 'a { b: url("x.png"); } @import "y.css";');
  });

  it('compiles with no diagnostic, every URL rebased, the script scoped, and the shared id kept by the host', async () => {
    const { composition, diagnostics } = await compile({ entryFile: path.join(project, 'index.html'), probeMedia: false });
    assert.deepEqual(compileFindings(diagnostics).filter(d => d.severity !== 'info').map(d => `${d.code} ${d.message}`), []);
    const html = composition.compiledHtml;
    assert.match(html, /<link rel="stylesheet" href="compositions\/_shared.css">/);
    assert.match(html, /<img id="pic" src="media\/a%20b.png\?v=2"/);
    assert.match(html, /style="background: url\('media\/a%20b.png'\)"/);
    assert.match(html, /<img id="kept" src="media\/a%20b.png"/);
    assert.match(html, /\.t:where\(\[id="intro"\], \[id="intro"\] \*\) \{ background: url\(media\/a%20b.png\) \}/);
    assert.match(html, /<script>\(function \(document, window, gsap\) \{\n\s+const root = document.getElementById\('intro'\);\n\s+\}\)\.apply\(window, window\.__hfScope \? window\.__hfScope\("intro", "intro", "intro"\)/);
    assert.match(html, /<div style="width:320px;height:180px" data-hf-authored-id="intro" data-composition-id="intro"/);
    assert.equal(html.match(/\sid="intro"/g)?.length, 1, 'one element has the id');
    assert.equal(composition.media.find(m => m.clipId === 'pic')?.localPath, path.join(project, 'media/a b.png'));
  });
});
