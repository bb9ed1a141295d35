// The compiled page: sub-compositions inlined into their hosts (nested ones too), their scripts moved
// after the entry's, preload="none" dropped, entry lines kept, and a line map back to every source line.
// Also: editor overlays win over the disk, cycles and template-less files are reported in their own file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile, mapCompiledLine } from '../../server/engine/compile/index';
import { brief, FIXTURES, compileFindings, withCode } from './compileSupport';

const ENTRY = path.join(FIXTURES, 'timing/index.html');
const ONE = path.join(FIXTURES, 'timing/compositions/one.html');

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `"${needle}" is in the text`);
  return text.slice(0, index).split('\n').length - 1;
}

describe('compile: compiled page', () => {
  it('inlines each template inside its host, nested ones too, and drops preload="none"', async () => {
    const { composition } = await compile({ entryFile: ENTRY });
    const html = composition.compiledHtml;
    // h1's content (one.html) sits between h1's tags, and two.html's inside h2 within it.
    const h1 = html.indexOf('id="h1"');
    const x = html.indexOf('<div id="x"');
    const h2 = html.indexOf('id="h2"');
    const zUnderH2 = html.indexOf('<div id="z"', h2);
    const h3 = html.indexOf('id="h3"');
    assert.ok(h1 < x && x < h2 && h2 < zUnderH2 && zUnderH2 < h3, 'document order host → content');
    assert.equal(html.split('<div id="z"').length - 1, 2, 'two.html is inlined under h2 and h3');
    assert.doesNotMatch(html, /<template>/);
    assert.doesNotMatch(html, /preload=/);
    assert.match(html, /<video id="clip-video" src="https:\/\/example.com\/v.mp4" muted data-start="0"/);
  });

  it('keeps entry lines before the first host and maps every compiled line back to its source', async () => {
    const { composition, lineMap } = await compile({ entryFile: ENTRY });
    const html = composition.compiledHtml;
    const entryText = fs.readFileSync(ENTRY, 'utf8');
    assert.ok(lineMap && lineMap.length > 0);
    // The head script is above every splice: same line in the page as in the file.
    assert.equal(lineOf(html, 'window.__entryHeadLine'), lineOf(entryText, 'window.__entryHeadLine'));
    assert.equal(lineOf(entryText, 'window.__entryHeadLine'), 3);
    // The body script comes after inlined content: the map gives back its file and line.
    assert.deepEqual(mapCompiledLine(lineMap, lineOf(html, 'window.__entryBodyLine')), { file: ENTRY, line: 22 });
    // The sub-composition's script runs after the entry's scripts, and maps to one.html line 7.
    const oneScript = lineOf(html, 'window.__oneScriptLine');
    assert.ok(oneScript > lineOf(html, 'window.__entryBodyLine'));
    assert.ok(oneScript < lineOf(html, '</body>'));
    assert.deepEqual(mapCompiledLine(lineMap, oneScript), { file: ONE, line: 6 });
    // Every non-blank compiled line starts with text found on the source line it maps to.
    const sources = new Map<string, string[]>();
    html.split('\n').forEach((line, index) => {
      // Injected durations (and an inner root's fill) sit right after the tag name; the rest of the line is as written.
      // So does the scope wrapper of a sub-composition script, on the script's first and last lines.
      // The deterministic-fonts <style> is spliced in right after <head>.
      const text = line.replace(/<style data-hf-fonts>.*?<\/style>/, '').replace(/^(\s*<\w+)(?: (?:data-duration|style)="[^"]*")+/, '$1')
        .replace('(function (document, window, gsap) {', '').replace(/^\s*\}\)\.apply\(window, .*?\]\);/, '').trim().slice(0, 12);
      if (!text) return;
      const mapped = mapCompiledLine(lineMap, index);
      assert.ok(mapped, `compiled line ${index} is mapped`);
      if (!sources.has(mapped.file)) sources.set(mapped.file, fs.readFileSync(mapped.file, 'utf8').split('\n'));
      assert.ok(sources.get(mapped.file)![mapped.line].includes(text), `line ${index} "${text}" ↔ ${path.basename(mapped.file)}:${mapped.line}`);
    });
  });

  it('reads unsaved editor text before the disk (entry and sub-composition)', async () => {
    const overlays = new Map<string, string>([
      [ONE, fs.readFileSync(ONE, 'utf8').replace('data-start="0" data-duration="1"', 'data-start="0" data-duration="4"').replace('__oneScriptLine', '__fromOverlay')],
      [ENTRY, fs.readFileSync(ENTRY, 'utf8').replace('data-start="a + 0.5"', 'data-start="a + 1"')],
    ]);
    const { composition } = await compile({ entryFile: ENTRY, readOverlay: file => overlays.get(file) });
    const clip = (id: string) => composition.clips.find(c => c.id === id)!;
    assert.equal(clip('b').start, 3);
    assert.equal(clip('x').duration, 4);
    assert.equal(clip('x').start, 4); // h1 now starts at b's end, 4
    assert.match(composition.compiledHtml, /__fromOverlay/);
    assert.doesNotMatch(composition.compiledHtml, /__oneScriptLine/);
  });

  it('reports a sub-composition cycle (through inline compositions) and a template-less file in the file where each is written', async () => {
    const { diagnostics, composition } = await compile({ entryFile: path.join(FIXTURES, 'cycle/index.html') });
    assert.deepEqual(compileFindings(diagnostics).map(brief), [
      'b.html 2:64-2:68 error invalid-number',
      'b.html 4:75-4:94 error cyclic-composition',
    ]);
    // The template-less file is the reference's missing_or_empty_sub_composition, said once, in that file.
    assert.deepEqual(withCode(diagnostics, 'missing_or_empty_sub_composition').map(brief), ['plain.html 0:0-0:0 error missing_or_empty_sub_composition']);
    assert.equal(compileFindings(diagnostics)[1].file, path.join(FIXTURES, 'cycle/compositions/b.html'));
    assert.match(compileFindings(diagnostics)[1].message, /index\.html → compositions\/a\.html → compositions\/b\.html → compositions\/a\.html/);
    assert.equal(composition.compiledHtml.split('id="host-b"').length - 1, 1, 'the cycle is inlined once, not forever');
  });
});

describe('compile: a sub-composition file on its own', () => {
  it('compiles standalone (the editor opens it without its host): no missing-root error, template unwrapped', async () => {
    const outro = path.resolve(__dirname, '../../examples/hello/compositions/outro.html');
    const { composition, diagnostics } = await compile({ entryFile: outro });
    assert.deepEqual(compileFindings(diagnostics), []);
    assert.equal(composition.id, 'outro');
    assert.deepEqual(composition.clips.map(clip => [clip.id, clip.start, clip.end]), [['outro-card', 0, 2]]);
    assert.equal(composition.duration, 2);
    assert.doesNotMatch(composition.compiledHtml, /<\/?template>/);
    assert.match(composition.compiledHtml, /window\.__timelines\["outro"\] = outro;/);
  });

  it('a sub-composition without its own size is not asked for one', async () => {
    const two = path.join(FIXTURES, 'timing/compositions/two.html');
    const { diagnostics, composition } = await compile({ entryFile: two });
    assert.deepEqual(compileFindings(diagnostics), []);
    assert.equal(composition.id, 'two');
  });
});
