// The reference's markup, CSS, media-graph, caption, texture and slideshow rules in the compile stage: per
// rule its code, severity and exact range (asserted as the text the range covers), each quick fix applied and
// re-compiled clean; and `check` linting every file under compositions/ once, as a sub-composition.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lintOtherCompositionFiles } from '../../server/cli/check';
import { compile } from '../../server/engine/compile/index';
import { applyFix, at, codesAfter, lint, page, project, REGISTER_MAIN } from './lintSupport';

describe('lint markup rules: codes, severities, exact ranges', () => {
  it('canvas: stale html/body size and viewport meta (on the stale number), zoom on the root (a descendant\'s passes)', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="clip x" data-start="0" data-duration="1">a</div>', {
      head: '<meta name="viewport" content="width=1920, height=1080">',
      style: 'html, body { width: 1920px; height: 1080px; overflow: hidden; }\n#root { zoom: 2; }\n#root .x { zoom: 3; }',
    }) });
    assert.deepEqual(at(dir, await lint(dir), 'root_dimensions_mismatch', 'root_zoom_rescales_a_fixed_canvas'), [
      'index.html root_dimensions_mismatch warning 1:95 «1920»',
      'index.html root_zoom_rescales_a_fixed_canvas error 2:8 «zoom: 2»',
    ]);
    const fixed = await applyFix(dir, 'root_dimensions_mismatch');
    assert.match(fixed, /width: 640px; height: 360px/);
    assert.match(fixed, /content="width=640, height=360"/);
    assert.ok(!(await codesAfter(dir)).includes('root_dimensions_mismatch'));
  });

  it('a fourth timed element on one track, on its data-track-index value (media, caption cues and mounts do not count)', async () => {
    const clip = (id: string, track: number) => `<div id="${id}" class="clip" data-start="0" data-duration="1" data-track-index="${track}">${id}</div>`;
    const dense = project({ 'index.html': page([clip('a', 1), clip('b', 1), clip('c', 1), clip('d', 1), clip('e', 1), clip('f', 2)].join('\n')) });
    const diagnostics = await lint(dense);
    assert.deepEqual(at(dense, diagnostics, 'timeline_track_too_dense'), ['index.html timeline_track_too_dense warning 6:76 «1»']);
    assert.match(diagnostics.find(d => d.code === 'timeline_track_too_dense')!.message, /Track 1 has 5 timed elements/);
    const exempt = project({ 'index.html': page([clip('a', 1), clip('b', 1), clip('c', 1),
      '<video id="v" src="v.mp4" muted data-start="0" data-duration="1" data-track-index="1"></video>',
      '<div id="w" class="caption-word" data-start="0" data-duration="1" data-track-index="1">w</div>',
      '<div id="m" data-composition-src="compositions/x.html" data-start="0" data-duration="1" data-track-index="1"></div>'].join('\n')) });
    assert.deepEqual(at(exempt, await lint(exempt), 'timeline_track_too_dense'), []);
  });

  it('a canvas wider than the reference\'s 4096px inspection viewport, on the data-width value', async () => {
    const dir = project({ 'index.html': page('').replace('data-width="640"', 'data-width="5000"') });
    assert.deepEqual(at(dir, await lint(dir), 'composition_exceeds_inspection_viewport_cap'), ['index.html composition_exceeds_inspection_viewport_cap warning 2:54 «5000»']);
  });

  it('a start tag missing its ">": on the swallowed "<span", fixed by closing the tag', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="clip" data-start="0" data-duration="1"\n  <span id="b">x</span></div>') });
    assert.deepEqual(at(dir, await lint(dir), 'unclosed_tag_swallowed_element'), ['index.html unclosed_tag_swallowed_element error 4:2 «<span»']);
    assert.match(await applyFix(dir, 'unclosed_tag_swallowed_element'), /data-duration="1">\n {2}<span id="b">/);
    assert.ok(!(await codesAfter(dir)).includes('unclosed_tag_swallowed_element'));
  });

  it('a "<style>" mentioned in an HTML comment is no unclosed stylesheet', async () => {
    const dir = project({ 'index.html': page('<!-- the pass only rewrites <style> declarations -->\n<p id="p" class="clip" data-start="0" data-duration="1">p</p>') });
    assert.deepEqual(at(dir, await lint(dir), 'unbalanced_style_tags'), []);
  });

  it('no length source: Three.js, and an infinite CSS animation, on the root\'s tag name (a data-duration passes)', async () => {
    const three = project({ 'index.html': page('<canvas id="c"></canvas>', { script: 'const scene = new THREE.Scene();' }).replace(' data-duration="4"', '') });
    assert.deepEqual(at(three, await lint(three), 'root_composition_missing_duration_source'), ['index.html root_composition_missing_duration_source error 2:1 «div»']);
    const spin = project({ 'index.html': page('<i class="s">*</i>', { script: '', style: '@keyframes spin { to { rotate: 1turn; } }\n.s { animation: spin 1s infinite; }' }).replace(' data-duration="4"', '') });
    const diagnostics = await lint(spin);
    assert.deepEqual(at(spin, diagnostics, 'root_composition_missing_duration_source'), ['index.html root_composition_missing_duration_source error 3:1 «div»']);
    assert.match(diagnostics.find(d => d.code === 'root_composition_missing_duration_source')!.message, /infinite/);
    const timed = project({ 'index.html': page('<i class="s">*</i>', { script: '', style: '.s { animation: spin 1s infinite; }' }) });
    assert.deepEqual(at(timed, await lint(timed), 'root_composition_missing_duration_source'), []);
  });

  it('a blank index.html beside a standalone timed composition under compositions/ (a mounted template is not one)', async () => {
    const standalone = '<!doctype html>\n<html><body>\n<div id="scene" data-composition-id="scene" data-width="640" data-height="360" data-duration="2">\n<p id="t" class="clip" data-start="0" data-duration="2">hi</p>\n</div>\n</body></html>\n';
    const dir = project({ 'index.html': page('', { script: '' }).replace('data-duration="4"', 'data-duration="4" data-no-timeline'), 'compositions/scene.html': standalone });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'blank_root_with_standalone_composition'), ['index.html blank_root_with_standalone_composition error 2:1 «div»']);
    assert.match(diagnostics.find(d => d.code === 'blank_root_with_standalone_composition')!.message, /compositions\/scene\.html/);
    const mounted = project({ 'index.html': page('', { script: '' }).replace('data-duration="4"', 'data-duration="4" data-no-timeline'), 'compositions/scene.html': `<template>${standalone.replace(/<!doctype html>\n<html><body>\n|<\/body><\/html>\n/g, '')}</template>\n` });
    assert.deepEqual(at(mounted, await lint(mounted), 'blank_root_with_standalone_composition'), []);
  });

  it('slideshow: invalid JSON on the island\'s content, an unknown sceneId on its value', async () => {
    const island = (json: string) => `<div id="s1" data-composition-id="intro" data-start="0" data-duration="2" data-track-index="0"></div>\n<script type="application/hyperframes-slideshow+json">${json}</script>`;
    const broken = project({ 'index.html': page(island('{ "slides": [ }')) });
    assert.deepEqual(at(broken, await lint(broken), 'slideshow_invalid', 'slideshow_unresolved_ref'), ['index.html slideshow_invalid error 4:54 «{ "slides": [ }»']);
    const unknown = project({ 'index.html': page(island('{ "slides": [{ "sceneId": "intro" }, { "sceneId": "outro" }] }')) });
    const diagnostics = await lint(unknown);
    assert.deepEqual(at(unknown, diagnostics, 'slideshow_invalid', 'slideshow_unresolved_ref'), ['index.html slideshow_unresolved_ref error 4:105 «outro»', 'index.html slideshow_unresolved_ref error 4:105 «outro»']);
    // Unresolved, its slide is [0, 0], which the reference then also finds overlapping the first.
    assert.deepEqual(diagnostics.filter(d => d.code === 'slideshow_unresolved_ref').map(d => d.message.replace(/\.\s.*$/, '')),
      ['Slideshow manifest error: slide references unresolved sceneId "outro"', 'Slideshow manifest error: main-line slides "intro" and "outro" overlap']);
  });

  it('CSS: a parse error at the unclosed "{", a selector needing #root inside #root, [id=…] position overrides, CSS scoped to a missing composition', async () => {
    const dir = project({ 'index.html': page('<div id="card" class="clip" data-start="0" data-duration="1">c</div>', {
      head: '<style>.broken { color: red;</style>',
      style: '#root #root .x { color: red; }\n[id="card"] { left: 10px; }\n[data-composition-id="ghost"] .y { color: blue; }\n[data-composition-id="main"] .z { color: green; }',
    }) });
    assert.deepEqual(at(dir, await lint(dir), 'css_parse_error', 'repeated_id_descendant_selector', 'id_override_reduced_specificity', 'scoped_css_missing_wrapper'), [
      'index.html css_parse_error error 1:27 «{»',
      'index.html repeated_id_descendant_selector error 1:55 «#root #root .x»',
      'index.html id_override_reduced_specificity warning 2:0 «[id="card"]»',
      'index.html scoped_css_missing_wrapper warning 3:0 «[data-composition-id="ghost"]»',
    ]);
    assert.match(await applyFix(dir, 'repeated_id_descendant_selector'), /<style>#root \.x \{/);
    assert.match(await applyFix(dir, 'id_override_reduced_specificity'), /\n#card \{ left: 10px; \}/);
    const after = await codesAfter(dir);
    assert.ok(!after.includes('repeated_id_descendant_selector') && !after.includes('id_override_reduced_specificity'));
  });

  it('audio groups: a bus nobody joins, timing and a carve on a bus, a carve listing clips, a rate lane on a div', async () => {
    const dir = project({ 'index.html': page([
      '<hf-audio-group id="bus" data-start="0" data-duration="4"></hf-audio-group>',
      '<hf-audio-group id="voice" data-fx-carve=\'{"amount":3}\'></hf-audio-group>',
      '<audio id="v1" class="clip" src="v1.mp3" data-audio-group="voice" data-start="0" data-duration="1" data-track-index="0"></audio>',
      '<audio id="bed" class="clip" src="bed.mp3" data-fx-carve=\'{"sources":["v1","v2"]}\' data-start="0" data-duration="4" data-track-index="1"></audio>',
      '<div id="t" class="clip" data-automation=\'{"target":"rate"}\' data-start="0" data-duration="1">t</div>',
    ].join('\n')) });
    assert.deepEqual(at(dir, await lint(dir), 'audio_group_no_members', 'audio_group_timing_attrs', 'audio_group_carve_attr', 'audio_carve_ungrouped_sources', 'speed_ramp_on_non_media'), [
      'index.html audio_group_no_members error 3:1 «hf-audio-group»',
      'index.html audio_group_timing_attrs warning 3:25 «data-start="0"»',
      'index.html audio_group_carve_attr warning 4:27 «data-fx-carve=\'{"amount":3}\'»',
      'index.html audio_carve_ungrouped_sources warning 6:58 «{"sources":["v1","v2"]}»',
      'index.html speed_ramp_on_non_media warning 7:25 «data-automation=\'{"target":"rate"}\'»',
    ]);
    assert.match(await applyFix(dir, 'audio_group_timing_attrs'), /<hf-audio-group id="bus"><\/hf-audio-group>/);
    assert.match(await applyFix(dir, 'audio_group_carve_attr'), /<hf-audio-group id="voice"><\/hf-audio-group>/);
    const after = await codesAfter(dir);
    assert.ok(!after.includes('audio_group_timing_attrs') && !after.includes('audio_group_carve_attr'));
  });

  it('linked clips, a doubled sound source, media ids twice (one diagnostic), audio files nothing plays', async () => {
    const dir = project({ 'index.html': page([
      '<video id="lv" class="clip" src="a.mp4" muted data-link="L1" data-start="0" data-duration="2" data-track-index="0"></video>',
      '<audio id="la" class="clip" src="a.mp4" data-link="L1" data-start="0.5" data-duration="2" data-track-index="1"></audio>',
      '<img id="lonely" class="clip" src="x.png" data-link="L2" data-start="0" data-duration="1" data-track-index="2">',
      '<video id="dv" class="clip" src="same.mp4" data-has-audio="true" data-start="0" data-duration="2" data-track-index="3"></video>',
      '<audio id="da" class="clip" src="same.mp4" data-start="1" data-duration="2" data-track-index="4"></audio>',
      '<img id="pic" class="clip" src="p.png" data-start="0" data-duration="1" data-track-index="5">',
      '<img id="pic" class="clip" src="p.png" data-start="1" data-duration="1" data-track-index="6">',
    ].join('\n')) });
    assert.deepEqual(at(dir, await lint(dir), 'linked_clip_orphan', 'linked_clips_out_of_sync', 'video_audio_double_source', 'duplicate_media_id', 'duplicate-id'), [
      'index.html linked_clips_out_of_sync warning 3:46 «data-link="L1"»',
      'index.html linked_clip_orphan warning 5:42 «data-link="L2"»',
      'index.html video_audio_double_source error 7:1 «audio»',
      'index.html duplicate_media_id error 9:9 «pic»',
    ]);
    await applyFix(dir, 'linked_clip_orphan');
    assert.ok(!(await codesAfter(dir)).includes('linked_clip_orphan'));
    const silent = project({ 'index.html': page('<p id="t" class="clip" data-start="0" data-duration="1">t</p>'), 'music.mp3': '' });
    assert.deepEqual(at(silent, await lint(silent), 'audio_file_without_element'), ['index.html audio_file_without_element warning 2:1 «div»']);
    const played = project({ 'index.html': page('<p id="t" class="clip" data-start="0" data-duration="1">t</p>'), 'music.mp3': '', 'compositions/sound.html': '<template><div data-composition-id="sound"><audio id="m" src="../music.mp3" data-start="0"></audio></div></template>' });
    assert.deepEqual(at(played, await lint(played), 'audio_file_without_element'), []);
  });

  it('textures: material without the base class (fixed), base without a mask, an unknown material, a drop shadow on textured text, a missing mask file', async () => {
    const dir = project({ 'index.html': page([
      '<h1 id="t1" class="clip hf-texture-lava" data-start="0" data-duration="1">A</h1>',
      '<h1 id="t2" class="hf-texture-text">B</h1>',
      '<h1 id="t3" class="hf-texture-text hf-texture-glass">C</h1>',
    ].join('\n'), { style: '.hf-texture-lava { mask-image: url(masks/lava.png); -webkit-mask-image: url(masks/lava.png); }\n.hf-texture-text { filter: drop-shadow(0 0 2px #000); }' }) });
    assert.deepEqual(at(dir, await lint(dir), 'texture_class_missing_base', 'texture_text_missing_mask', 'texture_class_unknown', 'texture_drop_shadow_on_text', 'texture_mask_asset_not_found'), [
      'index.html texture_mask_asset_not_found error 1:54 «masks/lava.png»',
      'index.html texture_drop_shadow_on_text warning 2:19 «filter: drop-shadow(0 0 2px #000)»',
      'index.html texture_class_missing_base warning 4:19 «clip hf-texture-lava»',
      'index.html texture_text_missing_mask warning 5:19 «hf-texture-text»',
      'index.html texture_class_unknown error 6:35 «hf-texture-glass»',
    ]);
    assert.match(await applyFix(dir, 'texture_class_missing_base'), /class="hf-texture-text clip hf-texture-lava"/);
    assert.ok(!(await codesAfter(dir)).includes('texture_class_missing_base'));
  });

  it('captions: a fetched transcript, overflow: hidden on a group whose words scale, textShadow on the group, a fitText width the scale overflows', async () => {
    const script = `${REGISTER_MAIN}\nfetch("transcript.json");\ntl.to(".caption-group", { textShadow: "0 0 8px #fff" });\nwords.forEach(w => tl.to(w, { scale: 1.3 }));\nfitTextFontSize(el, { maxWidth: 1600 });`;
    const dir = project({ 'index.html': page('<div id="cap" class="caption-group">x</div>', { script, style: '.caption-group { position: absolute; overflow: hidden; }\n.caption-word { color: white; }' }) });
    assert.deepEqual(at(dir, await lint(dir), 'caption_transcript_not_inline', 'caption_overflow_clips_scaled_words', 'caption_textshadow_on_group_container', 'caption_fittext_scale_mismatch'), [
      'index.html caption_overflow_clips_scaled_words error 1:56 «overflow: hidden»',
      'index.html caption_transcript_not_inline error 10:0 «fetch»',
      'index.html caption_textshadow_on_group_container warning 11:26 «textShadow»',
      'index.html caption_fittext_scale_mismatch warning 13:32 «1600»',
    ]);
    assert.match(await applyFix(dir, 'caption_overflow_clips_scaled_words'), /overflow: visible/);
    assert.match(await applyFix(dir, 'caption_fittext_scale_mismatch'), /maxWidth: 1307/);
    const after = await codesAfter(dir);
    assert.ok(!after.includes('caption_overflow_clips_scaled_words') && !after.includes('caption_fittext_scale_mismatch'));
  });

  it('a video slot starting at or past the end of its file (measured by ffprobe), on the data-media-start value', async () => {
    const dir = project({ 'index.html': page([
      '<video id="late" class="clip" src="one.mp4" muted data-start="0" data-duration="1" data-media-start="1.5" data-track-index="0"></video>',
      '<video id="fine" class="clip" src="one.mp4" muted data-start="0" data-duration="1" data-media-start="0.5" data-track-index="1"></video>',
    ].join('\n')) });
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=10:duration=1', '-pix_fmt', 'yuv420p', path.join(dir, 'one.mp4')]);
    const { diagnostics } = await compile({ entryFile: path.join(dir, 'index.html') });
    assert.deepEqual(at(dir, diagnostics, 'video_media_start_at_or_past_eof'), ['index.html video_media_start_at_or_past_eof warning 3:101 «1.5»']);
    assert.match(diagnostics.find(d => d.code === 'video_media_start_at_or_past_eof')!.message, /its 1s source/);
  });

  it('an HEVC video (ffprobe\'s codec), on its src value, as info; an H.264 one passes', async () => {
    const dir = project({ 'index.html': page([
      '<video id="h" class="clip" src="hevc.mp4" muted data-start="0" data-duration="1" data-track-index="0"></video>',
      '<video id="a" class="clip" src="avc.mp4" muted data-start="0" data-duration="1" data-track-index="1"></video>',
    ].join('\n')) });
    const source = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=128x72:rate=10:duration=1', '-pix_fmt', 'yuv420p'];
    execFileSync('ffmpeg', [...source, '-c:v', 'libx265', '-x265-params', 'log-level=error', path.join(dir, 'hevc.mp4')]);
    execFileSync('ffmpeg', [...source, '-c:v', 'libx264', path.join(dir, 'avc.mp4')]);
    const { diagnostics } = await compile({ entryFile: path.join(dir, 'index.html') });
    assert.deepEqual(at(dir, diagnostics, 'hevc_preview_codec'), ['index.html hevc_preview_codec info 3:32 «hevc.mp4»']);
    assert.deepEqual(at(dir, await lint(dir), 'hevc_preview_codec'), [], 'judged only when media is probed');
  });

  it('none of these rules on the bundled example', async () => {
    const example = path.resolve('examples/hello');
    const mine = /^(?:root_dimensions_mismatch|root_zoom|composition_exceeds|blank_root|unclosed_tag|css_parse|repeated_id|id_override|scoped_css|slideshow|audio_|speed_ramp|linked_clip|video_audio_double|duplicate_media_id|texture_|caption_transcript|caption_overflow|caption_textshadow|caption_fittext|root_composition_missing_duration)/;
    assert.deepEqual((await lint(example)).filter(d => mine.test(d.code)).map(d => d.code), []);
  });
});

describe('check: every file under compositions/, once, as a sub-composition', () => {
  /** What `check --no-probe` reports for `target`: the entry's compile, then the composition files it did not cover. */
  async function checkJson(target: string): Promise<Array<{ file: string; code: string; line: number }>> {
    const entry = fs.statSync(target).isDirectory() ? path.join(target, 'index.html') : target;
    const compiled = await compile({ entryFile: entry, probeMedia: false });
    const all = [...compiled.diagnostics, ...await lintOtherCompositionFiles(entry, compiled.composition.dependencies, new AbortController().signal)];
    return all.map(d => ({ file: d.file, code: d.code, line: d.range.start.line + 1 }));
  }

  it('a scene nobody mounts is linted in its own file; a mounted one is not linted twice; components/ and snippets are skipped', async () => {
    const scene = (id: string) => `<template>\n<div data-composition-id="${id}" data-width="640" data-height="360">\n<video id="${id}-v" src="../a.mp4" data-start="2" data-duration="1" data-track-index="0" muted></video>\n</div>\n</template>\n`;
    const dir = project({
      'index.html': page('<div id="m" data-composition-id="mounted" data-composition-src="compositions/mounted.html" data-start="0" data-duration="4" data-track-index="0"></div>'),
      'compositions/mounted.html': scene('mounted'),
      'compositions/later/orphan.html': scene('orphan'),
      'compositions/components/button.html': scene('button'),
      'compositions/snippet.html': `<div data-hf-snippet>\n${scene('snippet')}</div>`,
      'a.mp4': '',
    });
    const found = (await checkJson(dir)).filter(d => d.code === 'nested_media_start_basis_ambiguous').map(d => `${path.relative(dir, d.file)}:${d.line}`);
    assert.deepEqual(found.sort(), ['compositions/later/orphan.html:3', 'compositions/mounted.html:3']);
    // An explicit other entry is checked alone, as the reference's `lint <file>` does.
    fs.writeFileSync(path.join(dir, 'other.html'), page(''));
    assert.deepEqual((await checkJson(path.join(dir, 'other.html'))).filter(d => d.file.includes(`${path.sep}compositions${path.sep}`)), []);
  });
});
