// A generated 2,000-clip composition resolves correctly (the benchmark, scripts/bench-compile.mjs, times it).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { manyClipsComposition } from '../fixtures/compile/manyClips';
import { FIXTURES, compileFindings } from './compileSupport';

const COUNT = 2000;

describe('compile: scale', () => {
  it(`resolves a chain of ${COUNT} relative starts written against document order`, async () => {
    const entryFile = path.join(FIXTURES, 'generated/many.html'); // never on disk: the overlay is the text
    const text = manyClipsComposition(COUNT);
    const { composition, diagnostics } = await compile({ entryFile, readOverlay: file => (file === entryFile ? text : undefined) });
    assert.deepEqual(compileFindings(diagnostics), []);
    assert.equal(composition.clips.length, COUNT);
    composition.clips.forEach((clip, i) => {
      assert.equal(clip.id, `c${i}`);
      assert.equal(clip.start, (COUNT - 1 - i) / 2);
      assert.equal(clip.trackIndex, i % 8);
    });
    assert.equal(composition.duration, (COUNT - 1) / 2 + 1); // c0 ends last
    assert.equal(composition.frameCount, ((COUNT - 1) / 2 + 1) * 30);
    // Only the deterministic-fonts <style> is added (first in <head>, on the line of the tag it follows).
    assert.equal(composition.compiledHtml.replace(/<style data-hf-fonts>.*?<\/style>/, ''), text, 'nothing to inline or inject: the page is the file');
  });
});
