// GPU canvases render their frames. A WebGPU canvas: compile sees the page draw with WebGPU and the capture
// launches browsers with a GPU process on SwiftShader (chromiumFlags.ts), which the engine's default
// configuration (no GPU process) leaves blank. A WebGL texture of a <video>: each frame uploads the exact
// source frame the capture painted (runtime/adapters/videoTexture.ts), never the hidden video's stale one.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compile } from '../../server/engine/compile';
import { compositionUsesWebGpu } from '../../server/engine/compile/gpuUsage';
import { renderJob } from '../../server/engine/render/renderJob';
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
