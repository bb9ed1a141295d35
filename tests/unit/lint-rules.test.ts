// The reference's lint rules in the compile stage: per rule its code, severity and exact range (asserted as
// the text the range covers), configuration from hyperframes.json and the editor, and each quick fix applied
// and re-compiled clean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyFix, at, codesAfter, lint, page, project, scratch } from './lintSupport';

describe('lint rules: codes, severities, exact ranges', () => {
  it('media: video_missing_muted on the tag name, media_missing_id, crossorigin on the attribute, preload="none"', async () => {
    const dir = project({ 'index.html': page(`<video src="a.mp4" data-start="0" data-duration="1" data-track-index="0" class="clip"></video>
<video id="v2" src="a.mp4" data-start="0" data-duration="1" data-track-index="1" muted crossorigin="anonymous" preload="none"></video>
<video id="v3" src="a.mp4" data-start="0" data-duration="1" data-track-index="2" muted data-has-audio="true"></video>`) });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'video_missing_muted', 'media_missing_id', 'media_crossorigin_breaks_preview', 'media_preload_none', 'video_muted_with_declared_audio'), [
      'index.html video_missing_muted error 3:1 «video»',
      'index.html media_missing_id error 3:1 «video»',
      'index.html media_crossorigin_breaks_preview error 4:87 «crossorigin="anonymous"»',
      'index.html media_preload_none warning 4:111 «preload="none"»',
      'index.html video_muted_with_declared_audio error 5:81 «muted»',
    ]);
    assert.match(diagnostics.find(d => d.code === 'video_missing_muted')!.message, /data-has-audio="true"/);
  });

  it('structure: host without composition id, timeline element without id, missing clip class, nested structure, caption track kind', async () => {
    const dir = project({
      'index.html': page(`<div id="host" data-composition-src="compositions/scene.html" data-start="0" data-duration="2" data-track-index="0"></div>
<div data-start="0" data-duration="1" data-track-index="1" class="clip">untitled</div>
<div id="card" class="panel" data-start="1" data-duration="1" data-track-index="2"><div class="inner">x</div></div>
<div id="cap" class="caption-layer" data-composition-id="captions" data-start="0" data-duration="4" data-track-index="3"></div>`,
      { script: 'const tl = gsap.timeline({ paused: true });\nwindow.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;\nwindow.__timelines["captions"] = gsap.timeline({ paused: true });\nwindow.__timelines["scene"] = gsap.timeline({ paused: true });' }),
      'compositions/scene.html': '<template><div data-composition-id="scene" data-width="640" data-height="360"></div></template>\n',
    });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'host_missing_composition_id', 'studio_missing_editable_id', 'timed_element_missing_clip_class', 'nested_structure_needs_subcomposition', 'caption_track_kind_missing'), [
      'index.html host_missing_composition_id error 3:1 «div»',
      'index.html studio_missing_editable_id warning 4:1 «div»',
      'index.html nested_structure_needs_subcomposition warning 5:1 «div»',
      'index.html timed_element_missing_clip_class warning 5:22 «panel»',
      'index.html caption_track_kind_missing warning 6:1 «div»',
    ]);
  });

  it('scripts: no registry at all (on the root), requestAnimationFrame and Math.random on the call, template-literal selector', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="clip" data-start="0" data-duration="1"></div>', {
      script: 'const x = Math.random();\nrequestAnimationFrame(() => {});\ndocument.querySelector(`#${x}`);\n// Date.now() in a comment is not code\nconst s = "performance.now()";',
    }) });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'missing_timeline_registry', 'missing_data_no_timeline', 'non_deterministic_code', 'requestanimationframe_in_composition', 'template_literal_selector'), [
      'index.html missing_timeline_registry error 2:1 «div»',
      'index.html missing_data_no_timeline warning 2:1 «div»',
      'index.html non_deterministic_code error 6:10 «Math.random»',
      'index.html requestanimationframe_in_composition error 7:0 «requestAnimationFrame»',
      'index.html template_literal_selector error 8:9 «querySelector(`#${x}`)»',
    ]);
  });

  it('a GSAP timeline never registered: missing_timeline_registry once, on gsap.timeline (not again on the root)', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="clip" data-start="0" data-duration="1"></div>', { script: 'const tl = gsap.timeline({ paused: true });\ntl.to("#a", { opacity: 1 });' }) });
    assert.deepEqual(at(dir, await lint(dir), 'missing_timeline_registry'), ['index.html missing_timeline_registry error 6:11 «gsap.timeline»']);
  });

  it('GSAP: CSS transform conflict on the declaration, overlapping tweens on the later target, layout motion on the property', async () => {
    const dir = project({ 'index.html': page('<div id="title" class="clip" data-start="0" data-duration="4">Hi</div>\n<div id="bar" class="clip" data-start="0" data-duration="4"></div>', {
      style: '#title { position: absolute; transform: translateX(-50%); }',
      script: 'const tl = gsap.timeline({ paused: true });\ntl.to("#title", { x: 100, duration: 2 }, 0);\ntl.to(root.querySelector("#title"), { x: 0, duration: 1 }, 1);\ntl.to("#bar", { left: "100%", duration: 1 }, 2);\nwindow.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;',
    }) });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'gsap_css_transform_conflict', 'overlapping_gsap_tweens', 'gsap_non_transform_motion'), [
      'index.html gsap_css_transform_conflict error 1:48 «transform: translateX(-50%)»',
      'index.html overlapping_gsap_tweens warning 9:26 «#title»',
      'index.html gsap_non_transform_motion error 10:16 «left»',
    ]);
    assert.match(diagnostics.find(d => d.code === 'overlapping_gsap_tweens')!.message, /for x between 1\.00s and 2\.00s/);
    assert.match(diagnostics.find(d => d.code === 'gsap_css_transform_conflict')!.message, /xPercent: -50/);
  });

  it('CSS: transitions, negative z-index without a stacking parent (a contained one passes), caption layout', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="clip" data-start="0" data-duration="1"><span class="back">x</span></div>\n<div id="iso" style="isolation: isolate"><i class="under">y</i></div>', {
      style: '.a { transition: opacity 0.3s; }\n.back { z-index: -1; }\n.under { z-index: -2; }\n.caption-group .caption-text { white-space: nowrap; position: relative; }',
    }) });
    assert.deepEqual(at(dir, await lint(dir), 'css_transition_used', 'negative_z_index', 'caption_text_overflow_risk', 'caption_container_relative_position'), [
      'index.html css_transition_used warning 1:24 «transition: opacity 0.3s»',
      'index.html negative_z_index warning 2:8 «z-index: -1»',
      'index.html caption_text_overflow_risk warning 4:0 «.caption-group .caption-text»',
      'index.html caption_container_relative_position error 4:52 «position: relative»',
    ]);
  });

  it('sub-composition files are linted in their own file: nested media start basis, missing sub-composition file', async () => {
    const dir = project({
      'index.html': page('<div id="s" data-composition-id="scene" data-composition-src="compositions/scene.html" data-start="0" data-duration="4" data-track-index="0"></div>\n<div id="gone" data-composition-id="gone" data-composition-src="compositions/gone.html" data-start="0" data-duration="1" data-track-index="1"></div>'),
      'compositions/scene.html': '<template>\n<div data-composition-id="scene" data-width="640" data-height="360">\n<video id="pip" src="../a.mp4" data-start="2" data-duration="1" data-track-index="0" muted></video>\n</div>\n<script>window.__timelines["scene"] = gsap.timeline({ paused: true });</script>\n</template>\n',
    });
    assert.deepEqual(at(dir, await lint(dir), 'nested_media_start_basis_ambiguous', 'missing_or_empty_sub_composition'), [
      'index.html missing_or_empty_sub_composition error 4:64 «compositions/gone.html»',
      'compositions/scene.html nested_media_start_basis_ambiguous warning 2:43 «2»',
    ]);
  });

  it('project: two root compositions side by side; a file over 300 lines', async () => {
    const long = page(Array.from({ length: 310 }, (_, i) => `<p>${i}</p>`).join('\n'));
    const dir = project({ 'index.html': long, 'other.html': page('') });
    assert.deepEqual(at(dir, await lint(dir), 'multiple_root_compositions', 'composition_file_too_large'), [
      'index.html composition_file_too_large warning 2:1 «div»',
      'index.html multiple_root_compositions error 2:1 «div»',
    ]);
  });

  it('the fonts check says the reference\'s font_family_without_font_face (one finding, not two)', async () => {
    const dir = project({ 'index.html': page('<p id="t" class="clip" data-start="0" data-duration="1">x</p>', { style: 'p { font-family: "Some Font Nobody Has", sans-serif; }' }) });
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'font_family_without_font_face', 'font-not-bundled'), ['index.html font_family_without_font_face error 1:36 «"Some Font Nobody Has"»']);
  });
});

describe('lint configuration: hyperframes.json lint.rules and the editor setting', () => {
  const body = '<video id="v" src="a.mp4" data-start="0" data-duration="1" data-track-index="0"></video>\n<div data-start="0" data-duration="1"></div>';
  it('off drops a rule, a severity overrides it; the editor setting wins over the project file; ESLint spellings work', async () => {
    const dir = project({ 'index.html': page(body), 'hyperframes.json': JSON.stringify({ lint: { rules: { video_missing_muted: 'warn', studio_missing_editable_id: 'off', timed_element_missing_clip_class: 'error', bogus_value: 'loud' } } }) });
    const fromProject = await lint(dir);
    assert.deepEqual(fromProject.filter(d => ['video_missing_muted', 'studio_missing_editable_id', 'timed_element_missing_clip_class'].includes(d.code)).map(d => `${d.code} ${d.severity}`),
      ['video_missing_muted warning', 'timed_element_missing_clip_class error']);
    const fromEditor = await lint(dir, 'index.html', { lintRules: { video_missing_muted: 'off', timed_element_missing_clip_class: 'info' } });
    assert.deepEqual(fromEditor.filter(d => ['video_missing_muted', 'timed_element_missing_clip_class'].includes(d.code)).map(d => `${d.code} ${d.severity}`),
      ['timed_element_missing_clip_class info']);
  });
});

describe('lint quick fixes: applied, re-compiled clean', () => {
  it('video_missing_muted: add muted, or data-has-audio="true"', async () => {
    const body = '<video id="v" src="a.mp4" data-start="0" data-duration="1" data-track-index="0"></video>';
    const muted = project({ 'index.html': page(body) });
    assert.match(await applyFix(muted, 'video_missing_muted', /muted/), /<video muted id="v"/);
    assert.ok(!(await codesAfter(muted)).includes('video_missing_muted'));
    const audible = project({ 'index.html': page(body) });
    assert.match(await applyFix(audible, 'video_missing_muted', /data-has-audio/), /<video data-has-audio="true" id="v"/);
    assert.ok(!(await codesAfter(audible)).includes('video_missing_muted'));
  });

  it('media_missing_id and studio_missing_editable_id: add a fresh id', async () => {
    const dir = project({ 'index.html': page('<audio src="a.mp3" data-start="0" data-duration="1" data-track-index="0"></audio>\n<div id="div-1" class="clip" data-start="0" data-duration="1" data-track-index="1"></div>\n<div class="clip" data-start="0" data-duration="1" data-track-index="2"></div>') });
    assert.match(await applyFix(dir, 'media_missing_id'), /<audio id="audio-1" src/);
    assert.match(await applyFix(dir, 'studio_missing_editable_id'), /<div id="div-2" class="clip"/);
    const codes = await codesAfter(dir);
    assert.ok(!codes.includes('media_missing_id') && !codes.includes('studio_missing_editable_id'), codes.join());
  });

  it('timed_element_missing_clip_class: appended to the class, or a new class attribute', async () => {
    const dir = project({ 'index.html': page('<div id="a" class="panel" data-start="0" data-duration="1"></div>\n<div id="b" data-start="0" data-duration="1"></div>') });
    assert.match(await applyFix(dir, 'timed_element_missing_clip_class'), /class="panel clip"/);
    assert.match(await applyFix(dir, 'timed_element_missing_clip_class'), /<div class="clip" id="b"/);
    assert.ok(!(await codesAfter(dir)).includes('timed_element_missing_clip_class'));
  });

  it('host_missing_composition_id: the sub-composition\'s own id; missing_data_no_timeline: data-no-timeline', async () => {
    const dir = project({
      'index.html': page('<div id="host" data-composition-src="compositions/intro.html" data-start="0" data-duration="1" data-track-index="0"></div>', { script: 'window.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = gsap.timeline({ paused: true });\nwindow.__timelines["opening"] = gsap.timeline({ paused: true });' }),
      'compositions/intro.html': '<template><div data-composition-id="opening" data-width="640" data-height="360"></div></template>\n',
    });
    assert.match(await applyFix(dir, 'host_missing_composition_id'), /<div data-composition-id="opening" id="host"/);
    assert.ok(!(await codesAfter(dir)).includes('host_missing_composition_id'));
    const still = project({ 'index.html': page('<div id="a" class="clip" data-start="0" data-duration="1"></div>', { script: '' }) });
    assert.match(await applyFix(still, 'missing_data_no_timeline'), /<div data-no-timeline id="root"/);
    const codes = await codesAfter(still);
    assert.ok(!codes.includes('missing_data_no_timeline') && !codes.includes('missing_timeline_registry'), codes.join());
  });

  it('media_crossorigin_breaks_preview: the attribute removed', async () => {
    const dir = project({ 'index.html': page('<video id="v" src="a.mp4" muted crossorigin="anonymous" data-start="0" data-duration="1" data-track-index="0"></video>') });
    assert.match(await applyFix(dir, 'media_crossorigin_breaks_preview'), /<video id="v" src="a.mp4" muted data-start/);
    assert.ok(!(await codesAfter(dir)).includes('media_crossorigin_breaks_preview'));
  });

  it('gsap_css_transform_conflict: the transform moves from the CSS into gsap.set before the timeline', async () => {
    const dir = project({ 'index.html': page('<div id="title" class="clip" data-start="0" data-duration="4">Hi</div>', {
      style: '#title { position: absolute; transform: translate(-50%, 10px); }',
      script: 'const tl = gsap.timeline({ paused: true });\ntl.to("#title", { x: 100, duration: 2 }, 0);\nwindow.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;',
    }) });
    const edited = await applyFix(dir, 'gsap_css_transform_conflict');
    assert.match(edited, /#title \{ position: absolute; \}/);
    assert.match(edited, /gsap\.set\("#title", \{ xPercent: -50, y: 10 \}\);\nconst tl = gsap\.timeline/);
    assert.ok(!(await codesAfter(dir)).includes('gsap_css_transform_conflict'));
  });
});

const NEW_RULES = ['gsap_timeline_set_initial_hide', 'gsap_relative_value_second_writer', 'gsap_infinite_repeat', 'deprecated_data_layer', 'deprecated_data_end',
  'self_closing_media_tag', 'media_missing_data_start', 'duplicate_composition_id', 'invalid_parent_traversal_in_asset_path', 'audio_src_not_found', 'missing_local_asset'];

describe('lint rules ported second: the "more" fixture', () => {
  const fixture = path.resolve(__dirname, '../fixtures/lint/more');
  const copy = () => {
    const dir = scratch('hf-lint-more-');
    fs.cpSync(fixture, path.join(dir, 'project'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'project/hyperframes.json'), '{}');
    return path.join(dir, 'project');
  };

  it('reports each rule under its code and severity, on the exact range', async () => {
    const dir = copy();
    assert.deepEqual(at(dir, await lint(dir), ...NEW_RULES), [
      'index.html invalid_parent_traversal_in_asset_path error 4:24 «../../outside.png»',
      // On the root, where the reference points; the message names the <meta> to remove.
      'index.html duplicate_composition_id error 7:36 «more»',
      'index.html deprecated_data_layer error 8:64 «data-layer="1"»',
      'index.html deprecated_data_end error 10:46 «data-end="3"»',
      'index.html self_closing_media_tag error 11:3 «video»',
      'index.html missing_local_asset error 11:25 «intro.mp4»',
      'index.html media_missing_data_start error 12:3 «audio»',
      'index.html audio_src_not_found error 12:23 «bed.wav»',
      // Said once: our own path-outside-project on the same value is this finding.
      'index.html invalid_parent_traversal_in_asset_path error 14:22 «../logo.png»',
      // #badge is hidden by its CSS already, so its tl.set at 0 is only a re-assertion.
      'index.html gsap_timeline_set_initial_hide warning 18:2 «tl.set("#title", { opacity: 0 }, 0)»',
      'index.html gsap_relative_value_second_writer error 22:20 «x: "+=40"»',
      // A warning, not an error: the root declares a finite data-duration.
      'index.html gsap_infinite_repeat warning 23:35 «repeat: -1»',
    ]);
    assert.ok(!(await lint(dir)).some(d => d.code === 'path-outside-project'));
  });

  it('missing GSAP, media without src or with base64, tweens on a querySelectorAll variable and a selector constant, an infinite repeat without a duration', async () => {
    const dir = copy();
    assert.deepEqual(at(dir, await lint(dir, 'standalone.html'), 'missing_gsap_script', 'media_missing_src', 'media_variable_src_no_fallback', 'base64_media_prohibited', 'gsap_css_transform_conflict', 'gsap_infinite_repeat'), [
      'standalone.html gsap_css_transform_conflict error 3:10 «transform: scale(0.5)»',
      // The tween's target is a string constant: ".badge".
      'standalone.html gsap_css_transform_conflict error 4:11 «transform: translateX(-50%)»',
      'standalone.html media_missing_src error 10:3 «audio»',
      'standalone.html media_variable_src_no_fallback warning 11:3 «audio»',
      'standalone.html base64_media_prohibited error 12:32 «data:video/mp4;base64,AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDE=»',
      'standalone.html missing_gsap_script error 17:13 «gsap»',
      // An error: this root declares no data-duration, so nothing bounds the loop.
      'standalone.html gsap_infinite_repeat error 18:40 «repeat: -1»',
    ]);
  });

  it('a sub-composition slot that goes blank, its root styled by its class, heavy overlays, duplicated media', async () => {
    const dir = copy();
    assert.deepEqual(at(dir, await lint(dir, 'slots.html'), 'subcomposition_blanks_before_host', 'subcomposition_root_styled_by_class', 'composition_heavy_overlay_count_high', 'duplicate_media_discovery_risk'), [
      'slots.html composition_heavy_overlay_count_high warning 6:1 «div»',
      'slots.html subcomposition_blanks_before_host warning 7:3 «div»',
      'slots.html duplicate_media_discovery_risk warning 9:3 «img»',
      'compositions/scene.html subcomposition_root_styled_by_class error 1:14 «scene-frame»',
    ]);
    const finding = (await lint(dir, 'slots.html')).find(d => d.code === 'subcomposition_root_styled_by_class')!;
    assert.equal(finding.data?.selector, '.scene-frame, .scene-frame .title');
    assert.match(await applyFix(dir, 'subcomposition_blanks_before_host', undefined, 'slots.html'), /data-start="0" data-duration="6" data-track-index="0"/);
    assert.ok(!(await codesAfter(dir, 'slots.html')).includes('subcomposition_blanks_before_host'));
    // A slot that starts after another clip does not start at ~0 (the reference reads "still-a" as 0).
    const relative = fs.readFileSync(path.join(dir, 'slots.html'), 'utf8').replace('data-start="0" data-duration="6"', 'data-start="still-a" data-duration="2"');
    fs.writeFileSync(path.join(dir, 'relative.html'), relative);
    assert.deepEqual(at(dir, await lint(dir, 'relative.html'), 'subcomposition_blanks_before_host'), []);
  });

  it('missing timing, captions on two tracks, Lottie and Three.js without their scripts, a placeholder URL, a timed video in a timed wrapper', async () => {
    const dir = copy();
    const codes = ['timeline_element_missing_timing', 'multiple_caption_tracks', 'missing_lottie_script', 'missing_three_script', 'placeholder_media_url', 'video_nested_in_timed_element'];
    assert.deepEqual(at(dir, await lint(dir, 'runtimes.html'), ...codes), [
      'runtimes.html timeline_element_missing_timing warning 3:3 «div»',
      'runtimes.html multiple_caption_tracks warning 5:114 «4»',
      'runtimes.html video_nested_in_timed_element error 7:5 «video»',
      'runtimes.html placeholder_media_url error 9:35 «https://picsum.photos/640/360»',
      'runtimes.html missing_lottie_script error 10:17 «data-lottie-src="anim.json"»',
      'runtimes.html missing_three_script error 13:20 «THREE»',
    ]);
  });

  it('digit ids, an unclosed <style>, a clip\'s autoAlpha tweened, two attributes in one selector, from() opacity 0 onto CSS opacity 0', async () => {
    const dir = copy();
    const codes = ['id_requires_css_escape', 'unbalanced_style_tags', 'gsap_animates_clip_element', 'split_data_attribute_selector', 'gsap_from_opacity_noop'];
    assert.deepEqual(at(dir, await lint(dir, 'selectors.html'), ...codes), [
      // An error where a selector names it (#2nd-scene in the CSS), a warning where none does.
      'selectors.html id_requires_css_escape error 11:11 «2nd-scene»',
      'selectors.html id_requires_css_escape warning 12:11 «3rd»',
      'selectors.html gsap_animates_clip_element error 18:19 «autoAlpha»',
      'selectors.html gsap_from_opacity_noop error 19:22 «opacity»',
      'selectors.html split_data_attribute_selector error 20:9 «[data-composition-id="selectors" data-role="title"]»',
    ]);
    assert.match(await applyFix(dir, 'split_data_attribute_selector', undefined, 'selectors.html'), /tl\.to\('\[data-composition-id="selectors"\]\[data-role="title"\]'/);
    assert.ok(!(await codesAfter(dir, 'selectors.html')).includes('split_data_attribute_selector'));
    // The <style> never closes: everything after it is read as CSS, the composition's elements are gone.
    assert.deepEqual(at(dir, await lint(dir, 'unclosed.html'), ...codes), ['unclosed.html unbalanced_style_tags error 2:1 «style»']);
  });

  it('a project index.html wrapped in <template>', async () => {
    const dir = scratch('hf-lint-wrapped-');
    fs.cpSync(path.resolve(__dirname, '../fixtures/lint/wrapped'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}');
    assert.deepEqual(at(dir, await lint(dir), 'standalone_composition_wrapped_in_template'), ['index.html standalone_composition_wrapped_in_template error 0:1 «template»']);
  });

  it('a bare fragment as index.html, /* */ in visible text, a <video> or <img> whose src is another kind of file', async () => {
    const dir = scratch('hf-lint-markup-');
    fs.cpSync(path.resolve(__dirname, '../fixtures/lint/markup'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}');
    const diagnostics = await lint(dir);
    assert.deepEqual(at(dir, diagnostics, 'root_composition_missing_html_wrapper', 'visible_markup_comment', 'media_src_kind_mismatch'), [
      // The sub-composition file is a fragment by design: only the entry must be a document.
      'index.html root_composition_missing_html_wrapper error 0:1 «div»',
      'index.html visible_markup_comment error 1:88 «/* TODO: swap copy */»',
      // Not in <pre>, an HTML comment, an attribute, <style> or <script>; a template's content shows once cloned.
      'index.html media_src_kind_mismatch error 5:25 «assets/photo.png»',
      'index.html media_src_kind_mismatch error 6:25 «https://cdn.acme-media.net/media/intro.MP4?v=2»',
      'index.html visible_markup_comment error 9:27 «/* in a template */»',
      'compositions/card.html visible_markup_comment error 2:8 «/* card note */»',
    ]);
    const message = (needle: string) => diagnostics.find(d => d.message.includes(needle))?.message ?? '';
    assert.match(message('id="still"'), /<video id="still"> src is an image, not a video/);
    assert.match(message('id="clipimg"'), /<img id="clipimg"> src is a video, not an image/);
    // A document (a comment may come before the doctype) is not a fragment.
    fs.writeFileSync(path.join(dir, 'index.html'), `<!-- intro -->\n<!DOCTYPE html>\n<html><body>${fs.readFileSync(path.join(dir, 'index.html'), 'utf8')}</body></html>\n`);
    assert.deepEqual(at(dir, await lint(dir), 'root_composition_missing_html_wrapper'), []);
  });

  it('nested_clip_never_visible: a nested clip outside its timed parent\'s window, on its data-start', async () => {
    const dir = scratch('hf-lint-nested-');
    fs.cpSync(path.resolve(__dirname, '../fixtures/lint/nested'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}');
    const diagnostics = await lint(dir);
    // "inside" and "chained" (its relative start resolves to 2s) overlap the scene's 2s-5s; audio keeps its own time.
    assert.deepEqual(at(dir, diagnostics, 'nested_clip_never_visible'), [
      'index.html nested_clip_never_visible warning 4:43 «1»',
      'index.html nested_clip_never_visible warning 6:64 «5»',
    ]);
    assert.match(diagnostics.find(d => d.code === 'nested_clip_never_visible')!.message,
      /<p id="early"> plays from 1s to 2s, but it sits inside <div id="scene">, which only shows from 2s to 5s/);
  });

  it('root_composition_duration_derived: the length its clips give, and the quick fix writes it down', async () => {
    const dir = copy();
    const [finding] = (await lint(dir, 'derived.html')).filter(d => d.code === 'root_composition_duration_derived');
    assert.deepEqual(at(dir, [finding], 'root_composition_duration_derived'), ['derived.html root_composition_duration_derived warning 2:1 «div»']);
    assert.match(finding.message, /at least 3\.75s, and 1 clip\(s\) whose length is only known at runtime\./);
    assert.match(await applyFix(dir, 'root_composition_duration_derived', undefined, 'derived.html'), /<div data-duration="3\.75" id="root"/);
    assert.ok(!(await codesAfter(dir, 'derived.html')).includes('root_composition_duration_derived'));
  });

  const fixes: [string, RegExp][] = [
    ['gsap_timeline_set_initial_hide', /\n  gsap\.set\("#title", \{ opacity: 0 \}\);\n/],
    ['self_closing_media_tag', /data-track-index="4"><\/video>\n/],
    ['deprecated_data_layer', /data-duration="2" data-track-index="1">Title/],
    ['deprecated_data_end', /data-start="1" data-duration="2" data-track-index="3"/],
    ['media_missing_data_start', /<audio data-start="0" id="bed"/],
  ];
  for (const [code, edited] of fixes) {
    it(`${code}: the quick fix leaves a document the rule passes`, async () => {
      const dir = copy();
      assert.match(await applyFix(dir, code), edited);
      assert.ok(!(await codesAfter(dir)).includes(code), `${code} still reported`);
    });
  }
});
