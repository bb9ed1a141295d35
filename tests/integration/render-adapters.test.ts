// Runtimes other than GSAP, rendered end to end: anime.js, lottie-web, dotLottie, Three.js (WebGL), D3, a
// plain rAF canvas with a setInterval ticker, CSS inside an iframe, and a sub-composition whose timeline is
// registered under its file's own id. Each moves a red box along a known path (adapterCompositions.ts); the
// pixels on both sides of its left and right edges at t = 0, 1 and 1.967 s say whether the library was put
// at exactly that time (±3 px = ±0.025 s of motion).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { checkComposition } from '../../server/engine/probe';
import { renderJob } from '../../server/engine/render/renderJob';
import {
  animeProject, BLACK, BOX_RED, CANVAS_GREEN, CANVAS_Y, D3_LATE, d3Project, iframeCssProject, innerIdProject, lottieProject,
  rafCanvasProject, threeProject,
} from '../fixtures/render/adapterCompositions';
import { closeTo, imagePixel, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const TOLERANCE = 14;
const FRAMES = [0, 30, 59];
/** Pixels this far inside and outside an edge must be the box's and the background's. */
const EDGE_MARGIN = 3;

const projects: string[] = [];
after(() => projects.forEach(removeProject));

async function render(project: string, name: string, options: { allowErrors?: boolean } = {}): Promise<string> {
  projects.push(project);
  const output = path.join(project, 'out', `${name}.mp4`);
  const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, ...options });
  assert.equal(result.frames, 60, `${name}: 2 s at 30 fps`);
  assert.equal(Number(probeStreams(output).video?.nb_read_frames), 60);
  return output;
}

/** The box of `colour` spans [left, left + 40) on row y in this frame: checked on both sides of each edge. */
function assertBoxAt(file: string, frame: number, left: number, y: number, colour: [number, number, number], label: string): void {
  const samples: Array<[number, [number, number, number], string]> = [
    [left + EDGE_MARGIN, colour, 'inside its left edge'],
    [left + 40 - EDGE_MARGIN - 2, colour, 'inside its right edge'],
    [left + 40 + EDGE_MARGIN, BLACK, 'right of it'],
  ];
  if (left - EDGE_MARGIN - 2 >= 0) samples.push([left - EDGE_MARGIN - 2, BLACK, 'left of it']);
  for (const [x, expected, where] of samples) {
    const actual = pixelAt(file, frame, Math.round(x), y);
    assert.ok(closeTo(actual, expected, TOLERANCE), `${label} frame ${frame}: pixel ${Math.round(x)},${y} ${where} is ${actual}, expected ${expected}`);
  }
}

function assertMovingBox(file: string, label: string, y = 90, colour = BOX_RED): void {
  for (const frame of FRAMES) assertBoxAt(file, frame, 20 + 120 * (frame / 30), y, colour, label);
}

describe('render: runtime adapters', { timeout: TIMEOUT }, () => {
  test('anime.js v4: a paused timeline and an autoplaying animate() registered on __hfAnime', async () => {
    const output = await render(animeProject({ register: true }), 'anime');
    assertMovingBox(output, 'anime timeline');
    // #dot: moved down 120 px over 2 s (top 10 + 60·t), x 260–280, green.
    for (const frame of FRAMES) {
      const top = 10 + 60 * (frame / 30);
      const inside = pixelAt(output, frame, 268, Math.round(top + 10));
      const below = pixelAt(output, frame, 268, Math.round(top + 24));
      assert.ok(closeTo(inside, [0, 255, 0], TOLERANCE), `dot inside at frame ${frame}: ${inside}`);
      assert.ok(closeTo(below, BLACK, TOLERANCE), `below the dot at frame ${frame}: ${below}`);
    }
  });

  test('anime.js v4 without registration or data-duration: found through the global, its length is the video\'s', async () => {
    const output = await render(animeProject({ register: false, duration: null }), 'anime-auto');
    assertMovingBox(output, 'anime discovered');
  });

  test('lottie-web: loadAnimation (autoplay) from a JSON file, found through lottie.getRegisteredAnimations, length from the animation', async () => {
    const output = await render(lottieProject({ player: 'lottie-web', register: false, duration: null }), 'lottie');
    assertMovingBox(output, 'lottie-web');
  });

  test('dotLottie: a wasm player on a canvas registered on __hfLottie', async () => {
    const output = await render(lottieProject({ player: 'dotlottie', register: true }), 'dotlottie');
    assertMovingBox(output, 'dotlottie');
  });

  test('Three.js: a WebGL setAnimationLoop placing a mesh from THREE.Clock', async () => {
    const output = await render(threeProject(), 'three');
    assertMovingBox(output, 'three');
  });

  test('D3: a transition, and a delayed one that sleeps on setTimeout, at their state for t', async () => {
    const project = d3Project({ register: false });
    const output = await render(project, 'd3');
    assertMovingBox(output, 'd3');
    // #late turns blue over [0.5, 1.5) s. Read from PNG frames: a mid blue moves by ~14 levels through yuv420p.
    const frames = path.join(project, 'out', 'd3-frames');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: frames, format: 'png' });
    const blue = (frame: number) => imagePixel(path.join(frames, `frame-${String(frame + 1).padStart(5, '0')}.png`), D3_LATE.x, D3_LATE.y)[2];
    const expected = (frame: number) => Math.round(255 * Math.min(1, Math.max(0, (frame / 30 - D3_LATE.delay) / D3_LATE.duration)));
    for (const frame of [0, 15, 16, 30, 44, 59]) {
      assert.ok(Math.abs(blue(frame) - expected(frame)) <= 2, `late box at frame ${frame}: blue ${blue(frame)}, expected ${expected(frame)}`);
    }
  });

  test('requestAnimationFrame canvas and a setInterval ticker read virtual time', async () => {
    // The lint calls requestAnimationFrame and performance.now() errors (as the reference does); rendered anyway.
    const output = await render(rafCanvasProject(), 'raf', { allowErrors: true });
    // The ticker moves on its 100 ms grid, as a browser fires the interval: at t = 1.967 it shows t = 1.9.
    for (const frame of FRAMES) assertBoxAt(output, frame, 20 + 120 * Math.floor((frame / 30) * 10 + 1e-9) / 10, 90, BOX_RED, 'ticker (setInterval)');
    assertMovingBox(output, 'canvas (rAF)', CANVAS_Y, CANVAS_GREEN);
  });

  test('a CSS animation inside a same-origin iframe follows the composition time', async () => {
    const output = await render(iframeCssProject(), 'iframe');
    assertMovingBox(output, 'iframe CSS');
  });

  test('a timeline registered under the sub-composition file\'s inner id drives a host with another id', async () => {
    const output = await render(innerIdProject(), 'inner-id');
    assertMovingBox(output, 'captions');
  });
});

describe('check: durations the adapters know', { timeout: TIMEOUT }, () => {
  test('anime.js and lottie-web without data-duration: 2 s from the instances', async () => {
    for (const project of [animeProject({ register: false, duration: null }), lottieProject({ player: 'lottie-web', register: false, duration: null })]) {
      projects.push(project);
      const result = await checkComposition(path.join(project, 'index.html'));
      assert.equal(result.duration, 2);
      assert.equal(result.frameCount, 60);
      assert.deepEqual(result.diagnostics.filter(d => d.severity === 'error'), []);
    }
  });
});
