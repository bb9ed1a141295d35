// GPU canvases render their frames. A WebGPU canvas: compile sees the page draw with WebGPU and the capture
// launches browsers with a GPU process on SwiftShader (chromiumFlags.ts), which the engine's default
// configuration (no GPU process) leaves blank. A WebGL texture of a <video>: each frame uploads the exact
// source frame the capture painted (runtime/adapters/videoTexture.ts), never the hidden video's stale one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compile } from '../../server/engine/compile';
import { compositionUsesWebGpu } from '../../server/engine/compile/gpuUsage';
import { StageError } from '../../server/engine/errors';
import { renderJob } from '../../server/engine/render/renderJob';
import { locateChromium } from '../../server/engine/tools';
import { CANVAS_TRIANGLE, canvasClearColour, webglCanvasProject, webglVideoProject, webgpuCanvasProject } from '../fixtures/render/canvasCompositions';
import { closeTo, numberedColour, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const TOLERANCE = 24;
const FPS = 30;

describe('render: WebGPU canvas driven by requestAnimationFrame', { timeout: TIMEOUT }, () => {
  let project: string;
  let video: string;
  before(async () => {
    project = webgpuCanvasProject();
    video = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: video });
  });
  after(() => removeProject(project));

  test('compile tells a WebGPU page from a WebGL one', async () => {
    assert.equal(compositionUsesWebGpu((await compile({ entryFile: path.join(project, 'index.html') })).composition), true);
    const webgl = webglCanvasProject();
    try {
      assert.equal(compositionUsesWebGpu((await compile({ entryFile: path.join(webgl, 'index.html') })).composition), false);
    } finally {
      removeProject(webgl);
    }
  });

  for (const frame of [0, 15, 30, 59]) {
    test(`frame ${frame}: the clear colour of t = ${frame}/${FPS} s and the triangle`, () => {
      const clear = pixelAt(video, frame, 300, 10);
      assert.ok(closeTo(clear, canvasClearColour(frame / FPS), TOLERANCE), `clear ${clear} want ${canvasClearColour(frame / FPS)}`);
      const triangle = pixelAt(video, frame, 160, 90);
      assert.ok(closeTo(triangle, CANVAS_TRIANGLE, TOLERANCE), `triangle ${triangle}`);
    });
  }
});

describe('render: a WebGL texture of a video shows the source frame of each output frame', { timeout: TIMEOUT }, () => {
  let project: string;
  let video: string;
  before(async () => {
    project = webglVideoProject();
    video = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: video });
  });
  after(() => removeProject(project));

  for (const frame of [0, 1, 15, 30, 59]) {
    test(`frame ${frame}: the texture is source frame ${frame}, the right half the clear colour of t = ${frame}/${FPS} s`, () => {
      const texture = pixelAt(video, frame, 80, 90);
      assert.ok(closeTo(texture, numberedColour(frame), TOLERANCE), `texture ${texture} want ${numberedColour(frame)}`);
      const clear = pixelAt(video, frame, 300, 10);
      assert.ok(closeTo(clear, canvasClearColour(frame / FPS), TOLERANCE), `clear ${clear} want ${canvasClearColour(frame / FPS)}`);
    });
  }
});

/**
 * A Chromium that cannot run WebGPU: the located one with no GPU process and no software rasterizer after
 * the engine's own switches (the last of a switch wins), so requestAdapter() answers null in every
 * configuration, as on a machine without a usable GPU or SwiftShader. Named as the real one so the capture
 * picks the same mode for it.
 */
function chromiumWithoutWebGpu(): { dir: string; path: string } {
  const real = locateChromium().path;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-no-webgpu-'));
  const wrapper = path.join(dir, path.basename(real));
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${real}" "$@" --disable-gpu --disable-software-rasterizer\n`, { mode: 0o755 });
  return { dir, path: wrapper };
}

describe('a Chromium without WebGPU: one webgpu-unavailable error at the requestAdapter() call, never a blank video', { timeout: TIMEOUT }, () => {
  let project: string;
  let chromium: { dir: string; path: string };
  let callLine: number;
  before(() => {
    project = webgpuCanvasProject();
    chromium = chromiumWithoutWebGpu();
    callLine = fs.readFileSync(path.join(project, 'index.html'), 'utf8').split('\n').findIndex(line => line.includes('navigator.gpu.requestAdapter()'));
    assert.ok(callLine > 0);
  });
  after(() => {
    removeProject(project);
    fs.rmSync(chromium.dir, { recursive: true, force: true });
  });

  test('check: the error is on the requestAdapter() line, and the page\'s null-adapter TypeError is not a second finding', () => {
    const cli = path.resolve(__dirname, '../../dist/cli.js');
    const result = spawnSync(process.execPath, [cli, 'check', 'index.html', '--json', '--chromium', chromium.path], { cwd: project, encoding: 'utf8', timeout: 90_000 });
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as Array<{ code: string; severity: string; line: number; column: number; message: string }>;
    const webGpu = findings.filter(f => f.code === 'webgpu-unavailable');
    assert.equal(webGpu.length, 1, JSON.stringify(findings));
    assert.equal(webGpu[0].severity, 'error');
    assert.equal(webGpu[0].line, callLine + 1, 'the 1-based line of the call');
    assert.match(webGpu[0].message, /requestAdapter\(\) answered null/);
    assert.deepEqual(findings.filter(f => f.code === 'page-error'), [], 'no raw TypeError beside it');
  });

  test('render: stops before capture with that diagnostic and writes nothing', async () => {
    const output = path.join(project, 'blank.mp4');
    let caught: unknown;
    try {
      await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, chromiumPath: chromium.path });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof StageError, `expected a StageError, got ${String(caught)}`);
    const diagnostic = caught.diagnostics.find(d => d.code === 'webgpu-unavailable');
    assert.ok(diagnostic, JSON.stringify(caught.diagnostics));
    assert.equal(diagnostic.range.start.line, callLine);
    assert.equal(fs.existsSync(output), false);
  });
});
