// GPU-drawn pages end to end (real Chromium, real ffmpeg): a shader transition from
// @hyperframes/shader-transitions composited on the page frame by frame (before: scene A; inside: the
// iris of scene B at the centre, A in the corners; after: scene B — never the package's loader), and a
// WebGL canvas drawn from requestAnimationFrame by virtual time.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import {
  CANVAS_TRIANGLE, canvasClearColour, SHADER_SCENE_A, SHADER_SCENE_B, shaderTransitionProject, webglCanvasProject,
} from '../fixtures/render/canvasCompositions';
import { closeTo, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const FPS = 30;
// H.264 yuv420p moves a flat colour by a few levels.
const TOLERANCE = 6;
const CENTRE = { x: 320, y: 180 };
const CORNER = { x: 10, y: 10 };

function renderTo(project: string, name: string): Promise<unknown> {
  return renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, name) });
}

describe('render: shader transition (sdf-iris over [1, 2) s)', { timeout: TIMEOUT }, () => {
  let project: string;
  let video: string;
  before(async () => {
    project = shaderTransitionProject();
    video = path.join(project, 'out.mp4');
    await renderTo(project, 'out.mp4');
  });
  after(() => removeProject(project));

  for (const frame of [0, 15, 29]) {
    test(`frame ${frame}, before the transition: scene A everywhere`, () => {
      for (const at of [CENTRE, CORNER]) {
        const rgb = pixelAt(video, frame, at.x, at.y);
        assert.ok(closeTo(rgb, SHADER_SCENE_A, TOLERANCE), `(${at.x}, ${at.y}) ${rgb}`);
      }
    });
  }

  for (const frame of [40, 45, 50]) {
    test(`frame ${frame}, inside: the shader's mix — scene B at the centre, scene A in the corner`, () => {
      const centre = pixelAt(video, frame, CENTRE.x, CENTRE.y);
      const corner = pixelAt(video, frame, CORNER.x, CORNER.y);
      assert.ok(closeTo(centre, SHADER_SCENE_B, TOLERANCE), `centre ${centre}`);
      assert.ok(closeTo(corner, SHADER_SCENE_A, TOLERANCE), `corner ${corner}`);
    });
  }

  test('the iris grows frame by frame: a point 220 px left of the centre turns from A to B inside the window', () => {
    const at = (frame: number) => pixelAt(video, frame, 100, 180);
    assert.ok(closeTo(at(40), SHADER_SCENE_A, TOLERANCE), `frame 40 ${at(40)}`);
    assert.ok(closeTo(at(52), SHADER_SCENE_B, TOLERANCE), `frame 52 ${at(52)}`);
  });

  for (const frame of [60, 75, 89]) {
    test(`frame ${frame}, after: scene B everywhere`, () => {
      for (const at of [CENTRE, CORNER]) {
        const rgb = pixelAt(video, frame, at.x, at.y);
        assert.ok(closeTo(rgb, SHADER_SCENE_B, TOLERANCE), `(${at.x}, ${at.y}) ${rgb}`);
      }
    });
  }
});

describe('render: WebGL canvas driven by requestAnimationFrame', { timeout: TIMEOUT }, () => {
  let project: string;
  let video: string;
  before(async () => {
    project = webglCanvasProject();
    video = path.join(project, 'out.mp4');
    await renderTo(project, 'out.mp4');
  });
  after(() => removeProject(project));

  for (const frame of [0, 15, 30, 59]) {
    test(`frame ${frame}: the clear colour of t = ${frame}/${FPS} s and the triangle`, () => {
      const clear = pixelAt(video, frame, 300, 10);
      assert.ok(closeTo(clear, canvasClearColour(frame / FPS), TOLERANCE), `clear ${clear} want ${canvasClearColour(frame / FPS)}`);
      const triangle = pixelAt(video, frame, 160, 90);
      assert.ok(closeTo(triangle, CANVAS_TRIANGLE, TOLERANCE), `triangle ${triangle}`);
    });
  }
});
