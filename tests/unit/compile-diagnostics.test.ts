// Static diagnostics of the compile stage: each one's exact range (the attribute value, or the tag name
// for a missing attribute), code, severity and the facts a code action needs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { brief, FIXTURES, withCode } from './compileSupport';

describe('compile: static diagnostics', () => {
  it('reports every problem of the diagnostics fixture on its exact value', async () => {
    const { diagnostics } = await compile({ entryFile: path.join(FIXTURES, 'diagnostics/index.html') });
    assert.deepEqual(diagnostics.map(brief), [
      'index.html 1:51-1:52 error invalid_composition_variables_declaration',
      'index.html 4:61-4:64 error invalid-number',
      'index.html 5:59-5:61 error negative-number',
      'index.html 6:42-6:53 error unknown-start-reference',
      'index.html 7:44-7:50 error cyclic-start-reference',
      'index.html 8:44-8:54 error cyclic-start-reference',
      'index.html 9:11-9:16 error duplicate-id',
      'index.html 10:42-10:43 warning clip-outside-composition',
      'index.html 11:60-11:61 warning clip_ends_past_root_duration',
      'index.html 12:21-12:39 error missing_local_asset',
      'index.html 13:24-13:40 error invalid_parent_traversal_in_asset_path',
      'index.html 14:25-14:37 error invalid_parent_traversal_in_asset_path',
      'index.html 15:64-15:86 error missing_or_empty_sub_composition',
      'index.html 16:3-16:8 error video_missing_muted',
      'index.html 16:24-16:42 error missing_local_asset',
      'index.html 17:3-17:6 warning timed_element_missing_clip_class',
      'index.html 19:13-19:70 warning gsap-from-cdn',
      'index.html 23:22-23:26 error timeline_id_mismatch',
    ]);
  });

  it('says how to fix each problem and carries the facts code actions need', async () => {
    const { diagnostics } = await compile({ entryFile: path.join(FIXTURES, 'diagnostics/index.html') });
    const [unknown] = withCode(diagnostics, 'unknown-start-reference');
    assert.deepEqual(unknown.data, { ref: 'intor', suggestion: 'intro' });
    assert.match(unknown.message, /Did you mean "intro"\?/);
    const cycles = withCode(diagnostics, 'cyclic-start-reference');
    assert.ok(cycles.every(d => d.message.includes('loop-a → loop-b → loop-a')));
    const [mismatch] = withCode(diagnostics, 'timeline_id_mismatch');
    assert.deepEqual(mismatch.data, { key: 'mian', suggestion: 'main' });
    assert.match(withCode(diagnostics, 'video_missing_muted')[0].message, /add `muted`/);
    assert.match(withCode(diagnostics, 'gsap-from-cdn')[0].message, /node_modules\/gsap\/dist\/gsap\.min\.js/);
    assert.match(withCode(diagnostics, 'duplicate-id')[0].message, /first used on line 5/);
    const [late] = withCode(diagnostics, 'clip-outside-composition');
    const [long] = withCode(diagnostics, 'clip_ends_past_root_duration');
    assert.deepEqual(late.data, { clipId: 'late', start: 5, end: 6, compositionDuration: 4 });
    assert.deepEqual(long.data, { clipId: 'long', start: 3, end: 5, compositionDuration: 4 });
  });

  it('without any data-composition-id: one error at 0:0', async () => {
    const { diagnostics, composition } = await compile({ entryFile: path.join(FIXTURES, 'missing-root/index.html') });
    assert.deepEqual(diagnostics.map(brief), ['index.html 0:0-0:0 error root_missing_composition_id']);
    assert.equal(composition.id, undefined);
  });

  it('a root without size, fps 0 and nothing timed: size on the tag name, fps on its value, root_composition_missing_duration_source', async () => {
    const { diagnostics, composition } = await compile({ entryFile: path.join(FIXTURES, 'root-no-size/index.html') });
    assert.deepEqual(diagnostics.map(brief), [
      'index.html 3:3-3:7 error root_missing_dimensions',
      'index.html 3:3-3:7 error missing_timeline_registry',
      'index.html 3:3-3:7 warning missing_data_no_timeline',
      'index.html 3:3-3:7 error root_composition_missing_duration_source',
      'index.html 3:56-3:57 error negative-number',
    ]);
    assert.deepEqual(diagnostics[0].data, { missing: ['data-width', 'data-height'] });
    assert.equal(composition.duration, undefined);
    assert.equal(composition.frameCount, 0);
    assert.equal(composition.fps, 30);
  });

  it('a GSAP timeline never registered: warning on the gsap.timeline call, with the statement-end line', async () => {
    const { diagnostics } = await compile({ entryFile: path.join(FIXTURES, 'no-registration/index.html') });
    assert.deepEqual(diagnostics.map(brief), ['index.html 9:18-9:31 error missing_timeline_registry']);
    assert.deepEqual(diagnostics[0].data, { compositionId: 'scene', line: 11, variable: 'scene' });
    assert.match(diagnostics[0].message, /window\.__timelines\["scene"\] = scene;/);
  });

  it('the bundled example compiles with no diagnostics at all', async () => {
    const { diagnostics, composition } = await compile({ entryFile: path.resolve(__dirname, '../../examples/hello/index.html') });
    assert.deepEqual(diagnostics, []);
    assert.equal(composition.duration, 5);
    assert.equal(composition.frameCount, 150);
  });
});
