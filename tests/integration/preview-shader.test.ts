// The preview of a shader transition in a browser without the HTML-in-canvas API (VS Code's webview has no
// CanvasDrawElement): the fixture of render-canvas.test.ts, served by the engine's file server with the
// built runtime, in headless Chromium launched with the engine's flags minus that feature, seeked through
// window.__hfRuntime and screenshotted. Inside the transition the page must show the shader's iris (not the
// package's fallback cut), matching the render's frame at the same time; before and after, the scenes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { engineChromiumFlags } from '../../server/engine/chromiumFlags';
import { compile } from '../../server/engine/compile';
import { startFileServer, type FileServerHandle } from '../../server/engine/fileServer';
import { renderJob } from '../../server/engine/render/renderJob';
import { buildRuntimeManifest } from '../../server/engine/runtime/manifest';
import { runtimeReadyExpression } from '../../server/engine/runtime/ready';
import { locateChromium } from '../../server/engine/tools';
import { SHADER_SCENE_A, SHADER_SCENE_B, SHADER_TRANSITION, shaderTransitionProject } from '../fixtures/render/canvasCompositions';
import { closeTo, imagePixel, removeProject } from '../fixtures/render/helpers';

const run = promisify(execFile);
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

/** PSNR of two images in dB (Infinity when identical), by ffmpeg's psnr filter on RGB. */
async function psnr(a: string, b: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', a, '-i', b,
    '-lavfi', '[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]psnr', '-f', 'null', '-']);
  const match = /average:(inf|[\d.]+)/.exec(stderr);
  assert.ok(match, `ffmpeg printed a PSNR: ${stderr.slice(-400)}`);
  return match[1] === 'inf' ? Infinity : Number(match[1]);
}

function renderedFrame(folder: string, index: number): string {
  return path.join(folder, `frame-${String(index + 1).padStart(5, '0')}.png`);
}

describe('preview of a shader transition without drawElementImage (sdf-iris over [1, 2) s)', { timeout: 240_000 }, () => {
  let project: string;
  let shots: string;
  let renderFolder: string;
  let browser: Browser | undefined;
  let server: FileServerHandle | undefined;
  let page: Page;
  let userDataDir: string;

  before(async () => {
    project = shaderTransitionProject();
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-shader-'));
    renderFolder = path.join(shots, 'render');
    const entryFile = path.join(project, 'index.html');
    await renderJob({ entryFile, outputPath: renderFolder, format: 'png', workers: 1, runtimePath: RUNTIME });

    const { composition } = await compile({ entryFile });
    server = await startFileServer({
      projectRoot: composition.projectRoot, entryFile: composition.entryFile, entryHtml: composition.compiledHtml,
      manifest: buildRuntimeManifest(composition), runtimePath: RUNTIME,
    });
    const chromium = locateChromium();
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-shader-profile-'));
    browser = await puppeteer.launch({
      executablePath: chromium.path,
      headless: chromium.kind === 'headless-shell' ? 'shell' : true,
      args: [...webviewLikeFlags(), `--user-data-dir=${userDataDir}`],
      pipe: true,
      defaultViewport: { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1 },
    });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    removeProject(project);
    fs.rmSync(shots, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('the browser has no native drawElementImage, as VS Code\'s webview', async () => {
    const native = await page.evaluate(() => 'drawElementImage' in CanvasRenderingContext2D.prototype);
    assert.equal(native, false);
  });

  test('the page loads and the package installs its page-side compositor', async () => {
    assert.ok(server);
    await page.goto(server.entryUrl, { waitUntil: 'load' });
    assert.equal(await page.evaluate(runtimeReadyExpression(WAIT_MS)), true, 'the runtime became ready');
    const compositor = await page.evaluate(() => document.getElementById('__hf-page-side-compositor') !== null);
    assert.equal(compositor, true, 'the package detected the HTML-in-canvas API and installed its compositor');
  });

  async function shotAt(frame: number): Promise<string> {
    await page.evaluate(async (t: number) => { await window.__hfRuntime?.seek(t); }, frame / FPS);
    const file = path.join(shots, `preview-${frame}.png`);
    await page.screenshot({ path: file as `${string}.png` });
    return file;
  }

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
      const db = await psnr(await shotAt(frame), renderedFrame(renderFolder, frame));
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
    const db = await psnr(renderedFrame(renderFolder, 15), renderedFrame(renderFolder, 45));
    assert.ok(db < MIN_PSNR_DB - 10, `frames 15 and 45 differ (${db.toFixed(1)} dB)`);
  });
});
