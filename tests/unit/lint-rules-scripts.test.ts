// The reference's script rules read from the inline scripts' syntax tree (scriptAst.ts): per rule its code,
// severity and exact range (asserted as the text the range covers), silence on the safe form, and each
// mechanical quick fix applied and re-compiled clean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compile } from '../../server/engine/compile/index';
import type { EngineDiagnostic } from '../../server/engine/model';
import { codeActionsFor } from '../../server/lsp/features/codeActions';
import { toLspDiagnostic } from '../../server/lsp/convert';

const projects: string[] = [];
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-lint-scripts-'));
  projects.push(dir);
  for (const [name, text] of Object.entries({ 'hyperframes.json': '{}', ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const REGISTER = 'window.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;';
const GSAP = '<script src="https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"></script>';

/** A root composition around `body` with GSAP loaded and `script` inline. */
function page(body: string, script: string, { style = '', head = GSAP } = {}): string {
  return `<!doctype html>
<html><head>${head}<style>${style}</style></head><body>
<div id="root" data-composition-id="main" data-width="640" data-height="360" data-duration="4">
${body}
</div>
<script>
${script}
</script>
</body></html>
`;
}

async function lint(dir: string): Promise<EngineDiagnostic[]> {
  return (await compile({ entryFile: path.join(dir, 'index.html'), probeMedia: false })).diagnostics;
}

/** "code severity line:char «covered text»" for the diagnostics with one of `codes`. */
function at(diagnostics: readonly EngineDiagnostic[], ...codes: string[]): string[] {
  return diagnostics.filter(d => codes.includes(d.code)).map(d => {
    const doc = TextDocument.create('file:///x', 'html', 0, fs.readFileSync(d.file, 'utf8'));
    return `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character} «${doc.getText(d.range)}»`;
  });
}

async function findings(files: Record<string, string>, ...codes: string[]): Promise<string[]> {
  return at(await lint(project(files)), ...codes);
}

/** Applies the quick fix for the first diagnostic with `code`, writes the file, returns its new text. */
async function applyFix(dir: string, code: string): Promise<string> {
  const compiled = await compile({ entryFile: path.join(dir, 'index.html'), probeMedia: false });
  const diagnostic = compiled.diagnostics.find(d => d.code === code);
  assert.ok(diagnostic, `no ${code} to fix`);
  const document = TextDocument.create(`file://${diagnostic.file}`, 'html', 1, fs.readFileSync(diagnostic.file, 'utf8'));
  const actions = codeActionsFor({ document, file: diagnostic.file, composition: compiled.composition }, [toLspDiagnostic(diagnostic)]);
  const action = actions[0];
  assert.ok(action?.edit?.changes, `no quick fix for ${code}`);
  const edited = TextDocument.applyEdits(document, action.edit.changes[document.uri]);
  fs.writeFileSync(diagnostic.file, edited);
  return edited;
}

describe('script rules (syntax tree): codes, severities, exact ranges', () => {
  it('invalid_inline_script_syntax: on the token the parser stopped at', async () => {
    assert.deepEqual(await findings({ 'index.html': page('', `const tl = gsap.timeline({ paused: true });\ntl.to("#a", { x: 10 );\n${REGISTER}`) }, 'invalid_inline_script_syntax'),
      ['invalid_inline_script_syntax error 7:20 «)»']);
    // Cut short: on the last character written.
    assert.deepEqual(await findings({ 'index.html': page('', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a", {`) }, 'invalid_inline_script_syntax'),
      ['invalid_inline_script_syntax error 9:12 «{»']);
    // A module script is not checked (the reference leaves modules to the browser); a valid script is silent.
    assert.deepEqual(await findings({ 'index.html': page('', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`) }, 'invalid_inline_script_syntax'), []);
    assert.deepEqual(await findings({ 'index.html': page('', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`).replace('</body>', '<script type="module">import x from "./x.js"; x(</script>\n</body>') }, 'invalid_inline_script_syntax'), []);
  });

  it('invalid_inline_script_syntax: a malformed </script close, and its fix', async () => {
    const dir = project({ 'index.html': page('', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`).replace('</script>\n</body>', '</script >\n</body>') });
    assert.deepEqual(at(await lint(dir), 'invalid_inline_script_syntax'), ['invalid_inline_script_syntax error 9:0 «</script >»']);
    await applyFix(dir, 'invalid_inline_script_syntax');
    assert.deepEqual(at(await lint(dir), 'invalid_inline_script_syntax'), []);
  });

  it('gsap_timeline_not_registered: on the gsap.timeline of a script that registers nothing when another registers', async () => {
    const second = '<script>\nconst intro = gsap.timeline({ paused: true });\nintro.to("#a", { x: 10, duration: 1 });\n</script>\n';
    const dir = project({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`).replace('</body>', `${second}</body>`) });
    assert.deepEqual(at(await lint(dir), 'gsap_timeline_not_registered', 'missing_timeline_registry'), ['gsap_timeline_not_registered error 11:14 «gsap.timeline»']);
    // No registration at all: the compile stage's missing_timeline_registry says it on the same call, once.
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', 'const tl = gsap.timeline({ paused: true });') }, 'gsap_timeline_not_registered', 'missing_timeline_registry'),
      ['missing_timeline_registry error 6:11 «gsap.timeline»']);
    // Registered by another script under its own name; a sub-composition inherits its host's registry.
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', 'const tl = gsap.timeline({ paused: true });').replace('</body>', `<script>\n${REGISTER}\n</script>\n</body>`) }, 'gsap_timeline_not_registered'), []);
    assert.deepEqual(await findings({
      'index.html': page('<div id="s" data-composition-id="scene" data-composition-src="compositions/scene.html" data-start="0" data-duration="2"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`),
      'compositions/scene.html': '<template><div data-composition-id="scene" data-width="640" data-height="360"><div id="t"></div></div><script>const tl = gsap.timeline({ paused: true }); tl.to("#t", { x: 1 });</script></template>',
    }, 'gsap_timeline_not_registered'), []);
  });

  it('gsap_timeline_registered_before_async_build: on the early registration', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\nwindow.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;\ndocument.fonts.ready.then(() => {\n  tl.to("#a", { x: 10, duration: 1 });\n});`) }, 'gsap_timeline_registered_before_async_build'),
      ['gsap_timeline_registered_before_async_build error 8:0 «window.__timelines["main"]»']);
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\ndocument.fonts.ready.then(() => {\n  tl.to("#a", { x: 10, duration: 1 });\n  window.__timelines = window.__timelines || {};\n  window.__timelines["main"] = tl;\n});`) }, 'gsap_timeline_registered_before_async_build'), []);
  });

  it('gsap_timeline_return_used_as_tween: a pushed or killed timeline return, not a kept gsap.to()', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\nconst parts = [];\nparts.push(tl.to("#a", { x: 10 }));\nconst t = tl.to("#a", { y: 5 }, 1);\nt.kill();\nconst g = gsap.to("#a", { scale: 2 });\ng.kill();\nconst kept = tl.to("#a", { rotation: 5 }, 2);`) }, 'gsap_timeline_return_used_as_tween'),
      ['gsap_timeline_return_used_as_tween error 10:11 «tl.to»', 'gsap_timeline_return_used_as_tween error 11:10 «tl.to»']);
  });

  it('gsap_repeat_floor_unclamped: on the repeat expression, and the fix clamps it', async () => {
    const dir = project({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a", { rotation: 360, duration: 2, repeat: Math.floor(4 / 2) - 1 }, 0);`) });
    assert.deepEqual(at(await lint(dir), 'gsap_repeat_floor_unclamped'), ['gsap_repeat_floor_unclamped warning 9:50 «Math.floor(4 / 2) - 1»']);
    assert.match(await applyFix(dir, 'gsap_repeat_floor_unclamped'), /repeat: Math\.max\(0, Math\.floor\(4 \/ 2\) - 1\)/);
    assert.deepEqual(at(await lint(dir), 'gsap_repeat_floor_unclamped'), []);
  });

  it('gsap_repeat_refresh_relative_value: on repeatRefresh beside a relative value only', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div><div id="b"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a", { x: "+=40", repeat: 3, repeatRefresh: true }, 0);\ntl.to("#b", { x: 40, repeat: 3, repeatRefresh: true }, 0);`) }, 'gsap_repeat_refresh_relative_value'),
      ['gsap_repeat_refresh_relative_value error 9:36 «repeatRefresh: true»']);
  });

  it('gsap_group_selector_keyframes: on the group selector', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div><div id="b"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a, #b", { keyframes: [{ x: 10 }, { x: 0 }], duration: 1 }, 0);\ntl.to("#a", { keyframes: [{ y: 10 }], duration: 1 }, 1);`) }, 'gsap_group_selector_keyframes'),
      ['gsap_group_selector_keyframes warning 9:7 «#a, #b»']);
  });

  it('gsap_repeated_fromto_without_baseline: on the last fromTo, and the fix adds immediateRender: false to the later ones', async () => {
    const dir = project({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.fromTo("#a", { opacity: 0 }, { opacity: 1, duration: 0.5 }, 0);\ntl.fromTo("#a", { opacity: 1 }, { opacity: 0, duration: 0.5 }, 2);`) });
    assert.deepEqual(at(await lint(dir), 'gsap_repeated_fromto_without_baseline'), ['gsap_repeated_fromto_without_baseline warning 10:11 «#a»']);
    assert.match(await applyFix(dir, 'gsap_repeated_fromto_without_baseline'), /\{ opacity: 0, duration: 0\.5, immediateRender: false \}, 2\);/);
    assert.deepEqual(at(await lint(dir), 'gsap_repeated_fromto_without_baseline'), []);
  });

  it('missing_gsap_plugin: on motionPath when MotionPathPlugin is not loaded, silent when it is', async () => {
    const script = `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a", { motionPath: { path: "#p" }, duration: 2 }, 0);`;
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', script) }, 'missing_gsap_plugin'), ['missing_gsap_plugin error 9:14 «motionPath»']);
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', script, { head: `${GSAP}<script src="https://cdn.jsdelivr.net/npm/gsap@3/dist/MotionPathPlugin.min.js"></script>` }) }, 'missing_gsap_plugin'), []);
  });

  it('gsap_function_value_hazard: error on a transform-sensitive read or a member of the index, warning on a layout read', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div class="c"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to(".c", { x: (i, el) => el.getBoundingClientRect().width, duration: 1 }, 0);\ntl.to(".c", { y: (el) => el.offsetTop, duration: 1 }, 1);\ntl.to(".c", { width: (i, el) => el.offsetWidth * 2, duration: 1 }, 2);\ntl.to(".c", { rotation: (i) => i * 20, scale: (i) => i.toFixed(1), duration: 1 }, 3);\ntl.to(".c", { x: 5, ease: (t) => t, onUpdate: () => document.body.getBoundingClientRect(), duration: 1 }, 4);`) }, 'gsap_function_value_hazard'),
      ['gsap_function_value_hazard error 9:14 «x»', 'gsap_function_value_hazard error 10:14 «y»', 'gsap_function_value_hazard warning 11:14 «width»']);
  });

  it('gsap_callback_dom_measurement: callbacks that measure, directly or through a named function', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<svg><path id="p" d="M0 0L10 10"></path></svg><div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\nfunction measure() { return document.getElementById("p").getTotalLength(); }\nfunction layout() { measure(); }\ntl.call(layout, [], 1);\ntl.to("#a", { x: 10, duration: 1, onUpdate: () => document.getElementById("a").getBoundingClientRect() }, 0);\ntl.to("#a", { y: 10, duration: 1, onComplete: () => console.log("done") }, 2);`) }, 'gsap_callback_dom_measurement'),
      ['gsap_callback_dom_measurement warning 11:8 «layout»', 'gsap_callback_dom_measurement warning 12:34 «onUpdate»']);
  });

  it('gsap_undefined_css_variable: on the var() name nothing defines; defined or with a fallback is silent', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#a", { color: "var(--accent)", backgroundColor: "var(--brand)", borderColor: "var(--missing, #fff)", duration: 1 }, 0);`, { style: ':root { --brand: #f00; }' }) }, 'gsap_undefined_css_variable'),
      ['gsap_undefined_css_variable warning 9:26 «--accent»']);
  });

  it('imperative_media_control: play()/currentTime on managed media, by id or through a variable', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<video id="v" class="clip" src="a.mp4" muted data-start="0" data-duration="2" data-track-index="0"></video><div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ndocument.getElementById("v").play();\nconst video = document.querySelector("#v");\nvideo.currentTime = 2;\ndocument.getElementById("a").style.opacity = 1;`) }, 'imperative_media_control'),
      ['imperative_media_control error 9:0 «document.getElementById("v").play»', 'imperative_media_control error 11:0 «video.currentTime»']);
  });

  it('media_runtime_src_mutation: a src written at run time on a <video>, not on an <img>', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<video id="v" class="clip" src="a.mp4" muted data-start="0" data-duration="2" data-track-index="0"></video><img id="i" src="a.png">', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ndocument.getElementById("v").src = "b.mp4";\ndocument.getElementById("i").setAttribute("src", "b.png");`) }, 'media_runtime_src_mutation'),
      ['media_runtime_src_mutation warning 9:0 «document.getElementById("v").src = "b.mp4"»']);
  });

  it('runtime_hidden_style_opacity: on the selector that aliases the runtime hidden style; host-scoped is fine', async () => {
    assert.deepEqual(await findings({ 'index.html': page('<div id="a"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}`, { style: '[style*="visibility: hidden"] { opacity: 0; }\n[data-composition-src][style*="visibility: hidden"] { opacity: 0; }' }) }, 'runtime_hidden_style_opacity'),
      ['runtime_hidden_style_opacity error 1:95 «[style*="visibility: hidden"]»']);
  });

  it('gsap_cold_seek_hidden_fromto_missing_reveal: on the target, and the fix adds the visible end state', async () => {
    const dir = project({ 'index.html': page('<div id="a"></div><div id="b"></div>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.fromTo("#a", { opacity: 1, y: 20 }, { y: 0, duration: 1 }, 0);\ntl.fromTo("#b", { opacity: 1, y: 20 }, { y: 0, opacity: 1, duration: 1 }, 0);`, { style: '#a { opacity: 0; }\n#b { opacity: 0; }' }) });
    assert.deepEqual(at(await lint(dir), 'gsap_cold_seek_hidden_fromto_missing_reveal'), ['gsap_cold_seek_hidden_fromto_missing_reveal error 10:11 «#a»']);
    assert.match(await applyFix(dir, 'gsap_cold_seek_hidden_fromto_missing_reveal'), /\{ y: 0, duration: 1, opacity: 1 \}, 0\);/);
    assert.deepEqual(at(await lint(dir), 'gsap_cold_seek_hidden_fromto_missing_reveal'), []);
  });

  it('audio_volume_tween_overrides_gain / audio_volume_double_automation: on data-volume / data-automation of the tweened clip', async () => {
    const media = '<audio id="music" src="a.mp3" data-start="0" data-duration="4" data-track-index="0" data-volume="0.5"></audio>\n<audio id="voice" src="b.mp3" data-start="0" data-duration="4" data-track-index="1" data-automation=\'[{"target":"volume","points":[[0,1],[1,0]]}]\'></audio>\n<audio id="fx" src="c.mp3" data-start="0" data-duration="4" data-track-index="2" data-volume="0.5"></audio>';
    assert.deepEqual(await findings({ 'index.html': page(media, `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#music", { volume: 0, duration: 1 }, 2);\ntl.to("#voice", { volume: 0.2, duration: 1 }, 2);`) }, 'audio_volume_tween_overrides_gain', 'audio_volume_double_automation'),
      ['audio_volume_tween_overrides_gain warning 3:84 «data-volume="0.5"»', 'audio_volume_double_automation warning 4:84 «data-automation=\'[{"target":"volume","points":[[0,1],[1,0]]}]\'»']);
  });

  it('audio_reactive_single_tween_per_group: on the peak value read once per caption group', async () => {
    const script = `const tl = gsap.timeline({ paused: true });\n${REGISTER}\nconst AUDIO = { bands: [] };\nconst groups = [{ start: 0, end: 1, peakBass: 0.8, el: "#g0" }];\ngroups.forEach(group => { tl.to(group.el, { scale: 1 + group.peakBass * 0.2, duration: 0.2 }, group.start); });`;
    assert.deepEqual(await findings({ 'index.html': page('<div id="g0" class="caption-group"></div>', script, { style: '.caption-group { position: absolute; }' }) }, 'audio_reactive_single_tween_per_group'),
      ['audio_reactive_single_tween_per_group warning 10:36 «peakBass»']);
  });

  it('shader_unbounded_cosine_pow: on pow(1.0 - dot(...)) in a shader string, and the fix clamps the cosine', async () => {
    const shader = 'const frag = `\nvoid main() {\n  float rim = pow(1.0 - dot(normal, view), 3.0);\n  float ok = pow(1.0 - clamp(dot(normal, view), 0.0, 1.0), 3.0);\n  gl_FragColor = vec4(rim);\n}`;';
    const dir = project({ 'index.html': page('<canvas id="c"></canvas>', `const tl = gsap.timeline({ paused: true });\n${REGISTER}\n${shader}`) });
    assert.deepEqual(at(await lint(dir), 'shader_unbounded_cosine_pow'), ['shader_unbounded_cosine_pow warning 11:14 «pow(1.0 - dot(normal, view), 3.0)»']);
    assert.match(await applyFix(dir, 'shader_unbounded_cosine_pow'), /float rim = pow\(1\.0 - clamp\(dot\(normal, view\), 0\.0, 1\.0\), 3\.0\);/);
    assert.deepEqual(at(await lint(dir), 'shader_unbounded_cosine_pow'), []);
  });

  it('svg_measure_before_path_d: error with no d anywhere, warning when d is only assigned in a function, silent when assigned first', async () => {
    const body = '<svg><path id="p1"></path><path id="p2"></path><path id="p3"></path><path id="p4" d="M0 0L9 9"></path></svg>';
    const script = `const tl = gsap.timeline({ paused: true });\n${REGISTER}\nconst p1 = document.getElementById("p1");\nconst p2 = document.getElementById("p2");\nconst p3 = document.getElementById("p3");\nconst p4 = document.getElementById("p4");\nfunction draw() { p2.setAttribute("d", "M0 0L5 5"); }\np3.setAttribute("d", "M0 0L5 5");\nconst lengths = [p1.getTotalLength(), p2.getTotalLength(), p3.getTotalLength(), p4.getTotalLength()];\ntl.call(draw, [], 1);`;
    assert.deepEqual(await findings({ 'index.html': page(body, script) }, 'svg_measure_before_path_d'),
      ['svg_measure_before_path_d error 15:17 «p1.getTotalLength»', 'svg_measure_before_path_d warning 15:38 «p2.getTotalLength»']);
  });

  it('script rules are silent on the bundled example and parse each script once per text', async () => {
    const { diagnostics } = await compile({ entryFile: path.resolve(__dirname, '../../examples/hello/index.html'), probeMedia: false });
    assert.deepEqual(diagnostics, []);
  });

  it('gsap_fullscreen_overlay_starts_visible: on the overlay revealed and hidden later but authored visible; the fix authors it hidden', async () => {
    const body = '<div id="flash" style="position: absolute; inset: 0; background: #fff"></div>\n<div id="veil" style="position: absolute; inset: 0; background: #000; opacity: 0"></div>';
    const script = `const tl = gsap.timeline({ paused: true });\n${REGISTER}\ntl.to("#flash", { opacity: 1, duration: 0.2 }, 2);\ntl.to("#flash", { opacity: 0, duration: 0.2 }, 2.5);\ntl.to("#veil", { opacity: 1, duration: 0.2 }, 2);\ntl.to("#veil", { opacity: 0, duration: 0.2 }, 2.5);`;
    const dir = project({ 'index.html': page(body, script) });
    assert.deepEqual(at(await lint(dir), 'gsap_fullscreen_overlay_starts_visible'), ['gsap_fullscreen_overlay_starts_visible error 3:1 «div»']);
    assert.match(await applyFix(dir, 'gsap_fullscreen_overlay_starts_visible'), /<div id="flash" style="position: absolute; inset: 0; background: #fff; opacity: 0">/);
    assert.deepEqual(at(await lint(dir), 'gsap_fullscreen_overlay_starts_visible'), []);
  });

  it('the scripts fixture (compared with the reference CLI by scripts/compare-lint.mjs): each script rule once, where the reference finds it', async () => {
    const { diagnostics } = await compile({ entryFile: path.resolve(__dirname, '../fixtures/lint/scripts/index.html'), probeMedia: false });
    const lines = diagnostics.filter(d => d.code.includes('_')).map(d => `${d.code} ${d.range.start.line + 1}`).sort();
    assert.deepEqual(lines, [
      'audio_src_not_found 20', 'audio_volume_tween_overrides_gain 20', 'gsap_callback_dom_measurement 39', 'gsap_cold_seek_hidden_fromto_missing_reveal 28',
      'gsap_fullscreen_overlay_starts_visible 13', 'gsap_function_value_hazard 34', 'gsap_group_selector_keyframes 31', 'gsap_repeat_floor_unclamped 32',
      'gsap_repeat_refresh_relative_value 33', 'gsap_repeated_fromto_without_baseline 30', 'gsap_timeline_not_registered 52', 'gsap_timeline_return_used_as_tween 43',
      'gsap_undefined_css_variable 35', 'imperative_media_control 44', 'invalid_inline_script_syntax 53', 'media_runtime_src_mutation 45', 'missing_gsap_plugin 36',
      'missing_local_asset 19', 'runtime_hidden_style_opacity 8', 'shader_unbounded_cosine_pow 48', 'svg_measure_before_path_d 41',
    ]);
  });
});
