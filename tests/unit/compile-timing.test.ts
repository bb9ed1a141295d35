// Timing resolution: relative starts (chains, "+" and "-" offsets, "a-0.5"), inline and file-based
// sub-compositions offset by their host's start (nested), host durations from the sub-composition or the
// probe's recompile, the static duration and the frame-count rule.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { frameCount, type Clip } from '../../server/engine/model';
import { FIXTURES, compileFindings } from './compileSupport';

const ENTRY = path.join(FIXTURES, 'timing/index.html');
const ONE = path.join(FIXTURES, 'timing/compositions/one.html');
const TWO = path.join(FIXTURES, 'timing/compositions/two.html');

type Timing = [id: string, start: number, duration: number | undefined, compositionOffset: number, parentId: string | undefined];

function timings(clips: readonly Clip[]): Timing[] {
  return clips.map(clip => [clip.id, clip.start, clip.duration, clip.compositionOffset, clip.parentId]);
}

describe('compile: timing', () => {
  it('resolves relative starts and sub-composition offsets to exact numbers', async () => {
    const { composition, diagnostics } = await compile({ entryFile: ENTRY });
    assert.deepEqual(compileFindings(diagnostics), []);
    assert.deepEqual(timings(composition.clips), [
      ['a', 0, 2, 0, undefined],
      ['b', 2.5, 1, 0, undefined], // a + 0.5
      ['c', 3.25, 1.5, 0, undefined], // b - 0.25
      ['d', 4.75, 0.5, 0, undefined], // c
      ['f', 1.5, 0.1, 0, undefined], // a-0.5
      ['h1', 3.5, 3, 0, undefined], // b; duration from one.html's root
      ['h3', 6.25, undefined, 0, undefined], // d + 1; two.html says nothing
      ['inline', 1, 2, 0, undefined],
      ['k', 1.5, 1, 1, 'inline'],
      ['k2', 2.6, 0.2, 1, 'inline'], // k + 0.1 inside the inline composition
      ['clip-video', 0, 1, 0, undefined],
      ['x', 3.5, 1, 3.5, 'h1'],
      ['y', 4.75, 1, 3.5, 'h1'], // x + 0.25, offset by h1
      ['h2', 5.25, 2, 3.5, 'h1'], // y - 0.5, nested host
      ['z', 6.75, 1, 6.25, 'h3'], // two.html under h3
      ['z', 5.75, 1, 5.25, 'h2'], // two.html under h2 (depth 2)
    ]);
    const byHost = (host: string) => composition.clips.find(clip => clip.parentId === host && clip.id === 'z')!;
    assert.equal(byHost('h2').depth, 2);
    assert.equal(byHost('h2').file, TWO);
    assert.equal(composition.clips.find(clip => clip.id === 'x')!.file, ONE);
    assert.deepEqual(composition.clips.find(clip => clip.id === 'c')!.startExpression, { ref: 'b', offset: -0.25 });
    assert.deepEqual(composition.clips.find(clip => clip.id === 'f')!.startExpression, { ref: 'a', offset: -0.5 });
    assert.equal(composition.clips.find(clip => clip.id === 'h1')!.durationSource, 'sub-composition');
    // No root data-duration: the latest clip end (z under h3: 6.75 + 1) and ceil(7.75 × 30 = 232.5).
    assert.equal(composition.durationSource, 'clips');
    assert.equal(composition.duration, 7.75);
    assert.equal(composition.frameCount, 233);
    assert.deepEqual(composition.subCompositions.map(sub => [sub.hostId, sub.compositionId, sub.file, sub.unresolvedDuration]), [
      ['h1', 'one', ONE, false],
      ['h3', 'two', TWO, true],
      ['h2', 'two', TWO, false],
    ]);
  });

  it('uses the durations the probe resolved, and injects them into the compiled page', async () => {
    const { composition } = await compile({ entryFile: ENTRY, resolvedDurations: { h3: 1.25 } });
    const h3 = composition.clips.find(clip => clip.id === 'h3')!;
    assert.equal(h3.duration, 1.25);
    assert.equal(h3.durationSource, 'browser');
    assert.equal(h3.end, 7.5);
    assert.equal(composition.duration, 7.75);
    assert.equal(composition.subCompositions.find(sub => sub.hostId === 'h3')!.unresolvedDuration, false);
    assert.match(composition.compiledHtml, /<div data-duration="1.25" id="h3" data-composition-id="two"/);
    assert.match(composition.compiledHtml, /<div data-duration="3" id="h1" data-composition-id="one"/);
  });

  it('input.fps overrides data-fps for the frame count', async () => {
    const { composition } = await compile({ entryFile: ENTRY, fps: 24 });
    assert.equal(composition.fps, 24);
    assert.equal(composition.frameCount, 186); // 7.75 × 24 = 186 exactly
  });

  it('frame count: round within 1e-3 of an integer, else ceil', () => {
    assert.equal(frameCount(1 / 3, 30), 10); // 9.999999… rounds
    assert.equal(frameCount(2.0004 / 30, 30), 2); // 2.0004 is within 1e-3
    assert.equal(frameCount(2.01 / 30, 30), 3); // 2.01 is not: ceil
    assert.equal(frameCount(5, 30), 150);
  });
});
