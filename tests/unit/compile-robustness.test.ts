// Bad input gets diagnostics, never a crash: malformed HTML, CRLF line ends, parse errors that matter,
// cross-composition references; a missing entry is a typed StageError; an aborted compile says so.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile, isCompositionDocument, LineIndex } from '../../server/engine/compile/index';
import { RenderCancelledError, StageError } from '../../server/engine/errors';
import { brief, FIXTURES, compileFindings } from './compileSupport';

const ENTRY = path.join(FIXTURES, 'generated/robust.html'); // never on disk: every test passes its text

function compileText(text: string) {
  return compile({ entryFile: ENTRY, readOverlay: file => (file === ENTRY ? text : undefined), probeMedia: false });
}

const MALFORMED = [
  '',
  '<',
  '<div data-composition-id="x" data-width="1" data-height="1"',
  '<div data-composition-id="x"><div id="a" data-start= data-duration="1"><p><span></div></div></body></html></html>',
  '<!-- never closed <div data-composition-id="x">',
  '<div data-composition-id="x" data-width="10" data-height="10"><div id="a" class="clip" data-start="a" data-duration="1"></div>',
  '<div data-composition-id="x" data-composition-variables="{"><script>window.__timelines[</script><template><div data-start="1"></template>',
  '\u0000\uFFFD<html><svg><foreignObject><div data-composition-id="q" data-start="+ 1"></div></svg>',
  '<div data-composition-id="x"><video><source src="%E0%A4%A"></video><img src="data:image/png;base64,AAAA" data-start="0"></div>',
];

describe('compile: robustness', () => {
  it('never throws on malformed HTML', async () => {
    for (const text of MALFORMED) {
      const result = await compileText(text);
      assert.equal(typeof result.composition.compiledHtml, 'string', JSON.stringify(text));
    }
  });

  it('a self-reference is a cycle of one; "+ 1" alone is not a start', async () => {
    const self = await compileText(MALFORMED[5]);
    assert.deepEqual(compileFindings(self.diagnostics).map(brief), ['robust.html 0:99-0:100 error cyclic-start-reference']);
    const plus = await compileText('<div data-composition-id="x" data-width="1" data-height="1" data-duration="1"><div id="p" class="clip" data-start="+ 1" data-duration="1"></div></div>');
    assert.deepEqual(compileFindings(plus.diagnostics).map(brief), ['robust.html 0:115-0:118 error invalid-number']);
  });

  it('counts positions across CRLF line ends like the editor does', async () => {
    const text = '<!doctype html>\r\n<div data-composition-id="crlf" data-width="1" data-height="1">\r\n  <div id="a" class="clip"\r\n       data-start="0" data-duration="x"></div>\r\n</div>\r\n';
    const { diagnostics } = await compileText(text);
    // No usable clip end and no timeline: root_composition_missing_duration_source too, a lint code compileFindings leaves out.
    assert.deepEqual(compileFindings(diagnostics).map(brief), ['robust.html 3:37-3:38 error invalid-number']);
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(text.indexOf('"x"') + 1), { line: 3, character: 37 });
    assert.equal(index.offsetAt({ line: 3, character: 37 }), text.indexOf('"x"') + 1);
  });

  it('reports a duplicated attribute (the browser ignores the second) and an unclosed comment', async () => {
    const text = '<div data-composition-id="d" data-width="1" data-height="1" data-duration="2">\n  <div id="a" class="clip" data-start="0" data-start="1" data-duration="1"></div>\n  <!-- open\n</div>';
    const { diagnostics, composition } = await compileText(text);
    assert.deepEqual(compileFindings(diagnostics).map(brief), ['robust.html 1:42-1:52 warning parse-error', 'robust.html 3:6-3:6 warning parse-error']);
    assert.equal(composition.clips[0].start, 0);
  });

  it('a relative start naming a clip of another composition says so', async () => {
    const text = '<div data-composition-id="m" data-width="1" data-height="1">\n<div id="outer" class="clip" data-start="0" data-duration="1"></div>\n<div id="in" data-composition-id="n" data-start="0" data-duration="2"><div id="inner" class="clip" data-start="outer" data-duration="1"></div></div>\n</div>';
    const { diagnostics } = await compileText(text);
    assert.deepEqual(compileFindings(diagnostics).map(brief), ['robust.html 2:111-2:116 error unknown-start-reference']);
    assert.match(compileFindings(diagnostics)[0].message, /clip of another composition/);
  });

  it('letters that are no clip id and near none are an invalid data-start value, not a reference to fix', async () => {
    const text = '<div data-composition-id="m" data-width="1" data-height="1">\n<div id="title" class="clip" data-start="0" data-duration="1"></div>\n<div id="card" class="clip" data-start="abc" data-duration="1"></div>\n</div>';
    const { diagnostics } = await compileText(text);
    assert.deepEqual(compileFindings(diagnostics).map(brief), ['robust.html 2:40-2:43 error invalid-number']);
    assert.equal(compileFindings(diagnostics)[0].message,
      'data-start="abc" is neither a number of seconds nor the id of a clip. Write seconds (data-start="1.5") or a clip\'s id (data-start="intro", data-start="intro + 0.5"). Clips of this composition: "title".');
  });

  it('a missing entry is a StageError; an aborted compile a RenderCancelledError', async () => {
    await assert.rejects(compile({ entryFile: path.join(FIXTURES, 'no-such-dir/index.html') }),
      (error: unknown) => error instanceof StageError && error.stage === 'compile' && error.code === 'entry-unreadable');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(compile({ entryFile: ENTRY, readOverlay: () => '<div data-composition-id="x"></div>', signal: controller.signal }),
      (error: unknown) => error instanceof RenderCancelledError);
  });

  it('isCompositionDocument is a cheap test for data-composition-id', () => {
    assert.equal(isCompositionDocument('<div data-composition-id="x">'), true);
    assert.equal(isCompositionDocument('<div data-composition="x">'), false);
  });
});

describe('compile: automatic ids', () => {
  it('gives id-less clips an hf-auto id in the model and the page (replacing an empty id="")', async () => {
    const text = '<div data-composition-id="m" data-width="1" data-height="1" data-duration="2">\n<audio src="https://example.com/a.mp3" data-start="0" data-duration="1"></audio>\n<div id="" class="clip" data-start="0.5" data-duration="1"></div>\n</div>';
    const { composition } = await compileText(text);
    assert.deepEqual(composition.clips.map(clip => [clip.id, clip.autoId, clip.start]), [['hf-auto-1', true, 0], ['hf-auto-2', true, 0.5]]);
    assert.match(composition.compiledHtml, /<audio id="hf-auto-1" src=/);
    assert.match(composition.compiledHtml, /<div id="hf-auto-2" class="clip"/);
  });
});
