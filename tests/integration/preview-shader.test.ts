// The preview of a shader transition in a browser without the HTML-in-canvas API (VS Code's webview has no
// CanvasDrawElement): served by the engine's file server with the built runtime, in headless Chromium
// launched with the engine's flags minus that feature, seeked through window.__hfRuntime and screenshotted.
// Inside the transition the page must show the shader's mix (not the package's fallback cut), equal to the
// render's frame at the same time (the render's browsers have the native API); before and after, the scenes.
// Three fixtures: render-canvas.test.ts's flat-colour iris; scenes with web fonts, images, gradients, a
// pseudo-element and a running tween under `cross-warp-morph`; a video clip in the outgoing scene — what
// the snapshots (elementSnapshot.ts) must carry. Last, the styled fixture through the preview webview itself
// (previewHarness.ts: bridge, cross-origin iframe, a Chromium without CanvasDrawElement).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { engineChromiumFlags } from '../../server/engine/chromiumFlags';
import { compile } from '../../server/engine/compile';
import { startFileServer, type FileServerHandle } from '../../server/engine/fileServer';
import { renderJob } from '../../server/engine/render/renderJob';
import { buildRuntimeManifest } from '../../server/engine/runtime/manifest';
import { runtimeReadyExpression } from '../../server/engine/runtime/ready';
import { locateChromium } from '../../server/engine/tools';
import { openPreview, type PreviewHarness } from './previewHarness';
import {
  SHADER_SCENE_A, SHADER_SCENE_B, SHADER_TRANSITION, SHADER_TRANSITIONS_BUNDLE, shaderTransitionProject,
} from '../fixtures/render/canvasCompositions';
import { closeTo, compositionHtml, FFMPEG, imagePixel, imagePsnr, makeNumberedVideo, makeProject, removeProject, renderedFrame } from '../fixtures/render/helpers';

const repoRoot = path.resolve(__dirname, '..', '..');
const RUNTIME = path.join(repoRoot, 'dist', 'runtime.js');
const FPS = 30;
const WIDTH = 640;
const HEIGHT = 360;
const WAIT_MS = 30_000;
const MIN_PSNR_DB = 30;
/** Screenshot and PNG frame are both lossless: a flat scene colour is exact but for the shader's rounding. */
const TOLERANCE = 3;
const CENTRE = { x: 320, y: 180 };
const CORNER = { x: 10, y: 10 };
const BEFORE_FRAMES = [15, 29];
/** Frames whose iris has grown past the centre and not yet over the corner. */
const IRIS_FRAMES = [40, 45, 50];
/** Every 3rd frame of the window (30 to 59), compared with the render. */
const INSIDE_FRAMES = Array.from({ length: 10 }, (_, index) => 30 + 3 * index);
const AFTER_FRAMES = [60, 75];
/** Generous for 2 shared cores: scrubbing stays interactive. */
const MAX_TRANSITION_SEEK_MS = 500;
/** The HTML-in-canvas switch the engine's browsers add and VS Code's webview lacks. */
const HTML_IN_CANVAS_FEATURE = 'CanvasDrawElement';

/** The engine's flags for a non-capture browser, without CanvasDrawElement: a browser like VS Code's webview. */
function webviewLikeFlags(): string[] {
  return engineChromiumFlags({ beginFrame: false }).flatMap(flag => {
    if (!flag.startsWith('--enable-features=')) return [flag];
    const features = flag.slice('--enable-features='.length).split(',').filter(feature => feature !== HTML_IN_CANVAS_FEATURE);
    return features.length > 0 ? [`--enable-features=${features.join(',')}`] : [];
  });
}

interface WebviewLikePreview {
  page: Page;
  /** The same composition rendered to PNG frames (frame-00001.png is frame 0). */
  renderFolder: string;
  entryUrl: string;
  /** Seeks through the runtime and screenshots the page. */
  shotAt(frame: number): Promise<string>;
  close(): Promise<void>;
}

/** Renders `project` to PNG frames, then serves it to a browser launched without CanvasDrawElement. */
async function openWebviewLikePreview(project: string): Promise<WebviewLikePreview> {
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-shader-'));
  const renderFolder = path.join(shots, 'render');
  const userDataDir = path.join(shots, 'profile');
  let server: FileServerHandle | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    if (process.env.HF_KEEP_SHOTS) process.stderr.write(`shots kept in ${shots}\n`);
    else fs.rmSync(shots, { recursive: true, force: true });
  };
  try {
    const entryFile = path.join(project, 'index.html');
    await renderJob({ entryFile, outputPath: renderFolder, format: 'png', workers: 1, runtimePath: RUNTIME });
    const { composition } = await compile({ entryFile });
    server = await startFileServer({
      projectRoot: composition.projectRoot, entryFile: composition.entryFile, entryHtml: composition.compiledHtml,
      manifest: buildRuntimeManifest(composition), runtimePath: RUNTIME,
    });
    const chromium = locateChromium();
    browser = await puppeteer.launch({
      executablePath: chromium.path,
      headless: chromium.kind === 'headless-shell' ? 'shell' : true,
      args: [...webviewLikeFlags(), `--user-data-dir=${userDataDir}`],
      pipe: true,
      defaultViewport: { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1 },
    });
    const page = await browser.newPage();
    return {
      page, renderFolder, entryUrl: server.entryUrl, close,
      async shotAt(frame) {
        await page.evaluate(async (t: number) => { await window.__hfRuntime?.seek(t); }, frame / FPS);
        const file = path.join(shots, `preview-${frame}.png`);
        await page.screenshot({ path: file as `${string}.png` });
        return file;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Loads the preview and waits for the runtime; true when the package installed its page-side compositor. */
async function loadPreview(preview: WebviewLikePreview): Promise<boolean> {
  await preview.page.goto(preview.entryUrl, { waitUntil: 'load' });
  assert.equal(await preview.page.evaluate(runtimeReadyExpression(WAIT_MS)), true, 'the runtime became ready');
  return preview.page.evaluate(() => document.getElementById('__hf-page-side-compositor') !== null);
}

describe('preview of a shader transition without drawElementImage (sdf-iris over [1, 2) s)', { timeout: 240_000 }, () => {
  let project: string;
  let preview: WebviewLikePreview;
  let renderFolder: string;
  let page: Page;
  const shotAt = (frame: number) => preview.shotAt(frame);

  before(async () => {
    project = shaderTransitionProject();
    preview = await openWebviewLikePreview(project);
    ({ renderFolder, page } = preview);
  });
  after(async () => {
    await preview?.close();
    removeProject(project);
  });

  test('the browser has no native drawElementImage, as VS Code\'s webview', async () => {
    const native = await page.evaluate(() => 'drawElementImage' in CanvasRenderingContext2D.prototype);
    assert.equal(native, false);
  });

  test('the page loads and the package installs its page-side compositor', async () => {
    assert.equal(await loadPreview(preview), true, 'the package detected the HTML-in-canvas API and installed its compositor');
  });

  for (const frame of BEFORE_FRAMES) {
    test(`frame ${frame}, before the transition: scene A everywhere`, async () => {
      const shot = await shotAt(frame);
      for (const at of [CENTRE, CORNER]) {
        const rgb = imagePixel(shot, at.x, at.y);
        assert.ok(closeTo(rgb, SHADER_SCENE_A, TOLERANCE), `(${at.x}, ${at.y}) ${rgb}`);
      }
    });
  }

  for (const frame of IRIS_FRAMES) {
    test(`frame ${frame}, inside: the shader's iris — scene B at the centre, scene A in the corner`, async () => {
      const shot = await shotAt(frame);
      const centre = imagePixel(shot, CENTRE.x, CENTRE.y);
      const corner = imagePixel(shot, CORNER.x, CORNER.y);
      assert.ok(closeTo(centre, SHADER_SCENE_B, TOLERANCE), `centre ${centre}`);
      assert.ok(closeTo(corner, SHADER_SCENE_A, TOLERANCE), `corner ${corner}`);
    });
  }

  test(`every 3rd frame inside the window equals the render's frame (PSNR ≥ ${MIN_PSNR_DB} dB)`, async t => {
    const results: string[] = [];
    for (const frame of INSIDE_FRAMES) {
      assert.ok(frame / FPS >= SHADER_TRANSITION.time && frame / FPS < SHADER_TRANSITION.time + SHADER_TRANSITION.duration);
      const db = await imagePsnr(await shotAt(frame), renderedFrame(renderFolder, frame));
      results.push(`frame ${frame}: ${db === Infinity ? 'identical' : `${db.toFixed(1)} dB`}`);
      assert.ok(db >= MIN_PSNR_DB, `frame ${frame}: ${db.toFixed(2)} dB < ${MIN_PSNR_DB} dB\n${results.join('\n')}`);
    }
    t.diagnostic(results.join('; '));
  });

  test('the iris grows frame by frame: a point 220 px left of the centre turns from A to B inside the window', async () => {
    const at = async (frame: number) => imagePixel(await shotAt(frame), 100, 180);
    const early = await at(40);
    const late = await at(52);
    assert.ok(closeTo(early, SHADER_SCENE_A, TOLERANCE), `frame 40 ${early}`);
    assert.ok(closeTo(late, SHADER_SCENE_B, TOLERANCE), `frame 52 ${late}`);
  });

  for (const frame of AFTER_FRAMES) {
    test(`frame ${frame}, after: scene B everywhere`, async () => {
      const shot = await shotAt(frame);
      for (const at of [CENTRE, CORNER]) {
        const rgb = imagePixel(shot, at.x, at.y);
        assert.ok(closeTo(rgb, SHADER_SCENE_B, TOLERANCE), `(${at.x}, ${at.y}) ${rgb}`);
      }
    });
  }

  test('the comparison can fail: a frame inside the transition differs from the scene A frame by far more', async () => {
    const db = await imagePsnr(renderedFrame(renderFolder, 15), renderedFrame(renderFolder, 45));
    assert.ok(db < MIN_PSNR_DB - 10, `frames 15 and 45 differ (${db.toFixed(1)} dB)`);
  });
});

/**
 * Scenes with what a snapshot must carry over: bundled web fonts (Inter 900, Space Mono), gradients, an
 * <img> and a CSS background image from the project, a border-radius, a text shadow, a ::before badge and
 * a GSAP tween mid-way at the transition. `cross-warp-morph` mixes both scenes over the whole frame.
 */
function styledShaderTransitionProject(): string {
  const html = compositionHtml({
    id: 'styled',
    width: WIDTH,
    height: HEIGHT,
    duration: 3,
    style: `.scene { position: absolute; inset: 0; overflow: hidden; }
#scene-a { background: linear-gradient(135deg, #0f766e, #f59e0b); }
#scene-a h1 { position: absolute; left: 32px; top: 40px; margin: 0; font-family: 'Inter'; font-weight: 900; font-size: 72px; color: #fff; text-shadow: 0 4px 12px rgba(0, 0, 0, 0.5); }
#scene-a img { position: absolute; right: 32px; bottom: 32px; width: 192px; height: 108px; border-radius: 12px; }
.badge { position: absolute; left: 32px; bottom: 40px; width: 140px; height: 48px; }
.badge::before { content: 'NEW'; display: block; padding: 8px 16px; border-radius: 24px; background: #db2777; color: #fff; font-family: 'Space Mono'; font-weight: 700; font-size: 24px; }
#mover { position: absolute; left: 220px; top: 150px; width: 60px; height: 60px; background: #fde047; border-radius: 50%; }
#scene-b { background: radial-gradient(circle at 30% 40%, #1e3a8a, #111827); }
#scene-b p { position: absolute; left: 40px; top: 60px; margin: 0; font-family: 'Space Mono'; font-weight: 400; font-size: 36px; color: #a5f3fc; }
#scene-b .card { position: absolute; left: 320px; top: 160px; width: 256px; height: 144px; background: url(media/card.png) center / cover; border: 4px dashed #f472b6; }`,
    body: `<div id="scene-a" class="scene"><h1>Snapshot</h1><img src="media/card.png" alt=""><div class="badge"></div><div id="mover"></div></div>
<div id="scene-b" class="scene"><p>Space Mono 0123</p><div class="card"></div></div>`,
    script: `window.__timelines = window.__timelines || {};
const tl = gsap.timeline({ paused: true });
tl.to('#mover', { x: 240, duration: 3, ease: 'none' }, 0);
window.__timelines.styled = tl;
HyperShader.init({
  bgColor: '#000000',
  accentColor: '#ffffff',
  scenes: ['scene-a', 'scene-b'],
  timeline: tl,
  transitions: [{ time: ${SHADER_TRANSITION.time}, shader: 'cross-warp-morph', duration: ${SHADER_TRANSITION.duration} }],
});`,
  });
  const dir = makeProject({ 'index.html': html.replace('<script src="gsap.min.js"></script>', '<script src="gsap.min.js"></script>\n<script src="shader-transitions.js"></script>') });
  fs.copyFileSync(SHADER_TRANSITIONS_BUNDLE, path.join(dir, 'shader-transitions.js'));
  fs.mkdirSync(path.join(dir, 'media'));
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=1', '-frames:v', '1', path.join(dir, 'media', 'card.png')]);
  return dir;
}

describe('preview of a styled shader transition without drawElementImage (fonts, images, gradients, pseudo-elements)', { timeout: 240_000 }, () => {
  let project: string;
  let preview: WebviewLikePreview;

  before(async () => {
    project = styledShaderTransitionProject();
    preview = await openWebviewLikePreview(project);
  });
  after(async () => {
    await preview?.close();
    removeProject(project);
  });

  test('the page loads with its web fonts and the package installs its page-side compositor', async () => {
    assert.equal(await loadPreview(preview), true);
    const fonts = await preview.page.evaluate(() => Array.from(document.fonts).filter(face => face.status === 'loaded').map(face => face.family.replace(/["']/g, '')));
    assert.ok(fonts.includes('Inter') && fonts.includes('Space Mono'), `loaded faces: ${fonts.join(', ')}`);
  });

  test(`before, inside (every 3rd frame) and after the window the preview equals the render's frame (PSNR ≥ ${MIN_PSNR_DB} dB)`, async t => {
    const results: string[] = [];
    for (const frame of [15, ...INSIDE_FRAMES, 75]) {
      const db = await imagePsnr(await preview.shotAt(frame), renderedFrame(preview.renderFolder, frame));
      results.push(`frame ${frame}: ${db === Infinity ? 'identical' : `${db.toFixed(1)} dB`}`);
      assert.ok(db >= MIN_PSNR_DB, `frame ${frame}: ${db.toFixed(2)} dB < ${MIN_PSNR_DB} dB\n${results.join('\n')}`);
    }
    t.diagnostic(results.join('; '));
  });

  test('a transition frame\'s seek (prepare, snapshot both scenes, shader) stays interactive (median under MAX_TRANSITION_SEEK_MS)', async t => {
    // Timed from Node (the page's clocks are virtual), so the protocol's round trip is included.
    const seekMs = async (frame: number) => {
      const started = performance.now();
      await preview.page.evaluate(async (time: number) => { await window.__hfRuntime?.seek(time); }, frame / FPS);
      return performance.now() - started;
    };
    const inside: number[] = [];
    for (const frame of INSIDE_FRAMES) inside.push(await seekMs(frame));
    const outside = await seekMs(15);
    const median = [...inside].sort((a, b) => a - b)[Math.floor(inside.length / 2)];
    t.diagnostic(`seek inside the window: median ${median.toFixed(1)} ms (max ${Math.max(...inside).toFixed(1)} ms); outside: ${outside.toFixed(1)} ms`);
    assert.ok(median < MAX_TRANSITION_SEEK_MS, `median ${median.toFixed(1)} ms`);
  });

  test('the comparison can fail: mid-transition the shader\'s mix is far from either scene alone', async () => {
    const mid = renderedFrame(preview.renderFolder, 45);
    for (const scene of [15, 75]) {
      const db = await imagePsnr(mid, renderedFrame(preview.renderFolder, scene));
      assert.ok(db < MIN_PSNR_DB - 5, `frames 45 and ${scene}: ${db.toFixed(1)} dB`);
    }
  });
});

/**
 * A video clip in the outgoing scene (the colour-numbered test video, frame n one solid colour, scaled up
 * over the left half) under `cross-warp-morph`: the transition frames show the video's frame at that time.
 */
function videoShaderTransitionProject(): string {
  const html = compositionHtml({
    id: 'video',
    width: WIDTH,
    height: HEIGHT,
    duration: 3,
    style: `.scene { position: absolute; inset: 0; }
#scene-a { background: #f8fafc; }
#scene-a video { position: absolute; left: 0; top: 0; width: 320px; height: 180px; object-fit: fill; }
#scene-b { background: #4c1d95; }`,
    body: `<div id="scene-a" class="scene"><video id="clip" src="media/numbered.mp4" muted playsinline data-start="0" data-duration="3" data-track-index="0"></video></div>
<div id="scene-b" class="scene"></div>`,
    script: `HyperShader.init({
  bgColor: '#000000',
  accentColor: '#ffffff',
  scenes: ['scene-a', 'scene-b'],
  transitions: [{ time: ${SHADER_TRANSITION.time}, shader: 'cross-warp-morph', duration: ${SHADER_TRANSITION.duration} }],
});`,
  });
  const dir = makeProject({ 'index.html': html.replace('<script src="gsap.min.js"></script>', '<script src="gsap.min.js"></script>\n<script src="shader-transitions.js"></script>') });
  fs.copyFileSync(SHADER_TRANSITIONS_BUNDLE, path.join(dir, 'shader-transitions.js'));
  makeNumberedVideo(path.join(dir, 'media', 'numbered.mp4'), 3 * FPS, FPS);
  return dir;
}

describe('preview of a shader transition over a video clip without drawElementImage', { timeout: 240_000 }, () => {
  let project: string;
  let preview: WebviewLikePreview;

  before(async () => {
    project = videoShaderTransitionProject();
    preview = await openWebviewLikePreview(project);
  });
  after(async () => {
    await preview?.close();
    removeProject(project);
  });

  test(`inside the window the preview shows the video's frame through the shader, as the render (PSNR ≥ ${MIN_PSNR_DB} dB)`, async t => {
    assert.equal(await loadPreview(preview), true);
    const results: string[] = [];
    for (const frame of [15, ...INSIDE_FRAMES]) {
      const db = await imagePsnr(await preview.shotAt(frame), renderedFrame(preview.renderFolder, frame));
      results.push(`frame ${frame}: ${db === Infinity ? 'identical' : `${db.toFixed(1)} dB`}`);
      assert.ok(db >= MIN_PSNR_DB, `frame ${frame}: ${db.toFixed(2)} dB < ${MIN_PSNR_DB} dB\n${results.join('\n')}`);
    }
    t.diagnostic(results.join('; '));
  });
});

describe('the preview webview (bridge, iframe) shows the styled shader transition as the render', { timeout: 240_000 }, () => {
  let project: string;
  let renderFolder: string;
  let h: PreviewHarness | undefined;

  before(async () => {
    project = styledShaderTransitionProject();
    renderFolder = path.join(project, 'render');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: renderFolder, format: 'png', workers: 1, runtimePath: RUNTIME });
    h = await openPreview(path.join(project, 'index.html'));
    await h.frameReport(1);
    await h.page.click('button[data-action="toggle-size"]');
  });
  after(async () => {
    await h?.close();
    removeProject(project);
  });

  test(`seeked by the webview, the iframe's pixels equal the render's frames inside the window (PSNR ≥ ${MIN_PSNR_DB} dB)`, async t => {
    assert.ok(h);
    const box = await (await h.iframe()).boundingBox();
    assert.deepEqual(box && { width: box.width, height: box.height }, { width: WIDTH, height: HEIGHT }, 'shown at 100 %');
    const results: string[] = [];
    for (const frame of [15, ...INSIDE_FRAMES, 75]) {
      await h.send({ type: 'seek', time: frame / FPS });
      assert.equal(await h.settled(), frame / FPS);
      const shot = path.join(project, `webview-${frame}.png`);
      await (await h.iframe()).screenshot({ path: shot as `${string}.png` });
      const db = await imagePsnr(shot, renderedFrame(renderFolder, frame));
      results.push(`frame ${frame}: ${db === Infinity ? 'identical' : `${db.toFixed(1)} dB`}`);
      assert.ok(db >= MIN_PSNR_DB, `frame ${frame}: ${db.toFixed(2)} dB < ${MIN_PSNR_DB} dB\n${results.join('\n')}`);
    }
    t.diagnostic(results.join('; '));
  });
});
