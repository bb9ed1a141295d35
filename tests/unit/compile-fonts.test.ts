// Deterministic fonts in the compile stage: generic-first font-family values get Inter in front, bundled
// and aliased families get @font-face rules for the bundled faces, Google Fonts links are dropped (a
// warning on the URL for a family that is not bundled), and the editor learns what each family resolves to.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile';
import { bundledFontsDir } from '../../server/engine/compile/fonts/catalog';
import { scanCss, splitFamilies } from '../../server/engine/compile/fonts/css';
import { googleFontsFamilies } from '../../server/engine/compile/fonts/googleFonts';
import { startFileServer } from '../../server/engine/fileServer';
import type { EngineDiagnostic } from '../../server/engine/model';
import { buildRuntimeManifest } from '../../server/engine/runtime/manifest';
import { FIXTURES, brief } from './compileSupport';

const ENTRY = path.join(FIXTURES, 'fonts/index.html');
const CARD = path.join(FIXTURES, 'fonts/compositions/card.html');
const entryText = fs.readFileSync(ENTRY, 'utf8');

/** "index.html L:C-L:C" of the `occurrence`-th (0-based) `needle` in the entry, for exact-range assertions. */
function rangeOf(needle: string, occurrence = 0): string {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = entryText.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const position = (offset: number) => {
    const before = entryText.slice(0, offset).split('\n');
    return `${before.length - 1}:${before[before.length - 1].length}`;
  };
  return `index.html ${position(at)}-${position(at + needle.length)}`;
}

const FONT_CODES = new Set<EngineDiagnostic['code']>(['font-substituted', 'font_family_without_font_face', 'google-font-unavailable']);

/** The injected @font-face rules as "family → file, weight", sorted. */
function injectedFaces(html: string): string[] {
  const style = /<style data-hf-fonts>(.*?)<\/style>/.exec(html);
  assert.ok(style, 'the fonts <style> is injected');
  return [...style[1].matchAll(/@font-face\{font-family:"([^"]+)";src:url\("\/__hf\/fonts\/([^"]+)"\) format\("woff2"\);font-style:normal;font-weight:(\d+);font-display:block\}/g)]
    .map(([, family, file, weight]) => `${family} → ${file} ${weight}`).sort();
}

describe('compile: deterministic fonts', () => {
  it('puts Inter in front of a generic first family, in <style>, style attributes, custom properties and sub-compositions', async () => {
    const html = (await compile({ entryFile: ENTRY, probeMedia: false })).composition.compiledHtml;
    for (const rewritten of [
      'body { font-family: Inter, -apple-system, BlinkMacSystemFont, sans-serif; }',
      ':root { --ui: Inter, ui-sans-serif, system-ui; --title: "Playfair Display", serif; --accent: #f00; }',
      '<p style="font-family: Inter, monospace">x</p>',
      '<p style=font-family:Inter,serif>y</p>', // unquoted: no space, which would end the attribute
      '{ font-family: Inter, serif; }', // the sub-composition's own <style> (scoped by the inliner)
    ]) assert.ok(html.includes(rewritten), rewritten);
    for (const untouched of [
      '/* font-family: serif; in a comment is not a declaration */',
      '.a { font-family: Arial, sans-serif }',
      '.b { font-family: "Foo Sans", Inter; }',
      ".c { font-family: 'Brand Face', serif; }",
      "@font-face { font-family: 'Brand Face'; src: url(fonts/brand.woff2) format(\"woff2\"); }",
      `style="font-family: 'JetBrains Mono', monospace"`,
      '<p style="color: red">z</p>',
    ]) assert.ok(html.includes(untouched), untouched);
  });

  it('injects the bundled faces of every bundled or aliased family used, under the name written, first in <head>', async () => {
    const html = (await compile({ entryFile: ENTRY, probeMedia: false })).composition.compiledHtml;
    assert.ok(html.startsWith('<!doctype html>\n<html><head><style data-hf-fonts>'));
    assert.deepEqual(injectedFaces(html), [
      'Arial → inter-latin-400-normal.woff2 400', 'Arial → inter-latin-700-normal.woff2 700', 'Arial → inter-latin-900-normal.woff2 900',
      'Bebas Neue → league-gothic-latin-400-normal.woff2 400',
      'Inter → inter-latin-400-normal.woff2 400', 'Inter → inter-latin-700-normal.woff2 700', 'Inter → inter-latin-900-normal.woff2 900',
      'JetBrains Mono → jetbrains-mono-latin-400-normal.woff2 400', 'JetBrains Mono → jetbrains-mono-latin-700-normal.woff2 700',
      'Montserrat → montserrat-latin-400-normal.woff2 400', 'Montserrat → montserrat-latin-700-normal.woff2 700', 'Montserrat → montserrat-latin-900-normal.woff2 900',
      'Playfair Display → playfair-display-latin-400-normal.woff2 400', 'Playfair Display → playfair-display-latin-700-normal.woff2 700',
      'Playfair Display → playfair-display-latin-900-normal.woff2 900',
    ]);
    // Roboto has the composition's own @font-face; Brand Face, Foo Sans, Lobster and Pacifico are not bundled.
    assert.ok(html.includes('html,body,*{text-rendering:geometricPrecision}</style>'));
  });

  it('drops Google Fonts links and @imports, keeping every line where it was', async () => {
    const { composition, lineMap } = await compile({ entryFile: ENTRY, probeMedia: false });
    const html = composition.compiledHtml;
    assert.ok(!/fonts\.(googleapis|gstatic)\.com/.test(html), 'no Google Fonts URL is left');
    const lineIn = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
    assert.equal(lineIn(html, '.r { font-family: Roboto; }'), lineIn(entryText, '.r { font-family: Roboto; }'));
    assert.equal(lineIn(html, 'data-composition-id="fonts"'), lineIn(entryText, 'data-composition-id="fonts"'));
    assert.ok(lineMap && lineMap.length > 0);
  });

  it('reports a Google family that is not bundled on the URL, and a substituted or unavailable primary family once per file', async () => {
    const { diagnostics } = await compile({ entryFile: ENTRY, probeMedia: false });
    const fonts = diagnostics.filter(d => FONT_CODES.has(d.code));
    const cssUrl = 'https://fonts.googleapis.com/css2?family=Montserrat:wght@400;700&family=Lobster&display=swap';
    const importUrl = 'https://fonts.googleapis.com/css?family=Pacifico|Bebas+Neue';
    assert.deepEqual(fonts.map(d => `${brief(d)} ${String(d.data?.family)}`), [
      `${rangeOf(cssUrl)} warning google-font-unavailable Lobster`,
      `${rangeOf(importUrl)} warning google-font-unavailable Pacifico`,
      `${rangeOf(importUrl)} info font-substituted Bebas Neue`,
      `${rangeOf('Arial')} info font-substituted Arial`, // not again for `.a2 { font-family: arial }`
      `${rangeOf('"Foo Sans"')} error font_family_without_font_face Foo Sans`,
    ]);
    assert.match(fonts[0].message, /Google Fonts family "Lobster" is not bundled/);
    assert.match(fonts[0].message, /Montserrat/); // the bundled families are listed
    assert.match(fonts[3].message, /"Arial" is drawn with the bundled Inter/);
  });

  it('tells what each family resolves to (for the hover)', async () => {
    const { composition } = await compile({ entryFile: ENTRY, probeMedia: false });
    const describe = (file: string, first: string) => {
      const use = composition.fonts.find(u => u.file === file && u.families[0]?.name === first);
      assert.ok(use, first);
      return [use.addedPrimary ?? '-', ...use.families.map(f => `${f.name}:${f.source}${f.font ? `=${f.font}` : ''}`)].join(' ');
    };
    assert.equal(describe(ENTRY, '-apple-system'), 'Inter -apple-system:generic BlinkMacSystemFont:generic sans-serif:generic');
    assert.equal(describe(ENTRY, 'Arial'), '- Arial:alias=Inter sans-serif:generic');
    assert.equal(describe(ENTRY, 'Foo Sans'), '- Foo Sans:system Inter:bundled=Inter');
    assert.equal(describe(ENTRY, 'Brand Face'), '- Brand Face:font-face serif:generic');
    assert.equal(describe(ENTRY, 'Roboto'), '- Roboto:font-face');
    assert.equal(describe(ENTRY, 'Playfair Display'), '- Playfair Display:bundled=Playfair Display serif:generic'); // --title, through var()
    assert.equal(describe(CARD, 'serif'), 'Inter serif:generic');
    assert.equal(describe(CARD, 'JetBrains Mono'), '- JetBrains Mono:bundled=JetBrains Mono monospace:generic');
    const arial = composition.fonts.find(u => u.families[0]?.name === 'Arial')!;
    assert.deepEqual(arial.families[0].weights, [400, 700, 900]);
    assert.deepEqual(arial.range, { start: { line: 11, character: 20 }, end: { line: 11, character: 37 } });
  });

  it('the file server serves the bundled faces by name and nothing else under /__hf/fonts/', async () => {
    const { composition } = await compile({ entryFile: ENTRY, probeMedia: false });
    const server = await startFileServer({ projectRoot: path.dirname(ENTRY), entryFile: ENTRY, entryHtml: composition.compiledHtml, manifest: buildRuntimeManifest(composition) });
    try {
      const font = await fetch(`${server.origin}/__hf/fonts/montserrat-latin-700-normal.woff2`);
      assert.equal(font.status, 200);
      assert.equal(font.headers.get('content-type'), 'font/woff2');
      assert.deepEqual(Buffer.from(await font.arrayBuffer()), fs.readFileSync(path.join(bundledFontsDir(), 'montserrat-latin-700-normal.woff2')));
      assert.equal((await fetch(`${server.origin}/__hf/fonts/montserrat-latin-300-normal.woff2`)).status, 404);
      assert.equal((await fetch(`${server.origin}/__hf/fonts/inter-LICENSE.txt`)).status, 404);
      assert.equal((await fetch(`${server.origin}/__hf/fonts/..%2F..%2Fpackage.json`)).status, 403);
    } finally {
      await server.close();
    }
  });
});

describe('fonts: CSS and Google Fonts URLs', () => {
  it('finds declarations past strings, comments, url() and nested blocks', () => {
    const css = `@media (min-width: 1px) { a { b: "x;}"; font-family: A, "B, C" } }
@font-face { font-family: F; src: url(data:font/woff2;base64,AA==) }
p{font-family:/*c*/ D !important}`;
    const { declarations } = scanCss(css, 'stylesheet');
    const text = (d: { valueStart: number; valueEnd: number }) => css.slice(d.valueStart, d.valueEnd);
    assert.deepEqual(declarations.map(d => `${d.property}=${text(d)}${d.inFontFace ? ' (font-face)' : ''}`), [
      'b="x;}"', 'font-family=A, "B, C"', 'font-family=F (font-face)', 'src=url(data:font/woff2;base64,AA==) (font-face)', 'font-family=D',
    ]);
    const family = declarations[1];
    assert.deepEqual(splitFamilies(css, family.valueStart, family.valueEnd).map(p => p.name), ['A', 'B, C']);
  });

  it('reads the families of css and css2 URLs', () => {
    assert.deepEqual(googleFontsFamilies('https://fonts.googleapis.com/css2?family=Open+Sans:wght@400;700&amp;family=Space%20Mono&display=swap'), ['Open Sans', 'Space Mono']);
    assert.deepEqual(googleFontsFamilies('//fonts.googleapis.com/css?family=Roboto:400,700|Lato'), ['Roboto', 'Lato']);
    assert.deepEqual(googleFontsFamilies('https://example.com/css2?family=Inter'), []);
  });
});
