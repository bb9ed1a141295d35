// Static frames: a frame in which nothing on the page changed reuses the previous frame's image instead of
// being captured (runtime/frameChanges.ts, capture/index.ts). Rendering with and without the reuse gives the
// same video, frame for frame; the log says how many captures were skipped and why the others were taken;
// what the runtime cannot observe (a canvas) is captured at every frame.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderOptions } from '../../server/engine/render/types';
import { closeTo, compositionHtml, frameHashes, makeProject, pixelAt, recordingLogger, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const FPS = 30;


/** The capture's account of static frames: how many were reused, and the reasons for the captures. */
function staticFrames(lines: string[]): { reused: number; of: number; line: string } {
  const line = lines.find(l => l.startsWith('static frames: '));
  assert.ok(line, `no static frames line in:\n${lines.join('\n')}`);
  const match = /^static frames: (\d+) of (\d+) reused/.exec(line);
  return { reused: match ? Number(match[1]) : 0, of: match ? Number(match[2]) : 0, line };
}

async function render(project: string, name: string, options: Partial<RenderOptions> = {}) {
  const { logger, lines } = recordingLogger();
  const outputPath = path.join(project, `${name}.mp4`);
  const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath, ...options }, { logger });
  return { outputPath, lines, result };
}

// 3 s at 30 fps: a box slides (0–0.5 s), a 2 s hold, then at 2.5 s a tl.call() recolours the box (a change
// with no tween duration) and a clip enters at 2.7 s (a clip window); a CSS animation runs 1.0–1.4 s in a
// corner of the hold (a change no GSAP tween knows of).
const HOLDS = compositionHtml({
  duration: 3,
  style: `#box { position: absolute; left: 20px; top: 60px; width: 60px; height: 60px; background: rgb(230, 40, 40); }
    #late { position: absolute; left: 220px; top: 100px; width: 60px; height: 60px; background: rgb(40, 40, 230); }
    #dot { position: absolute; left: 280px; top: 10px; width: 20px; height: 20px; background: rgb(20, 160, 20);
           animation: fade 0.4s linear 1s both; }
    @keyframes fade { from { opacity: 1; } to { opacity: 0; } }`,
  body: `<div id="box"></div><div id="dot"></div>
  <div id="late" class="clip" data-start="2.7" data-duration="0.3" data-track-index="1"></div>`,
  script: `const tl = gsap.timeline({ paused: true });
tl.to('#box', { x: 120, duration: 0.5, ease: 'none' }, 0)
  .call(() => { document.getElementById('box').style.background = 'rgb(40, 200, 40)'; }, [], 2.5);
window.__timelines['main'] = tl;`,
});

describe('render: static frames reuse the previous image', { timeout: TIMEOUT }, () => {
  let project: string;
  let reusing: Awaited<ReturnType<typeof render>>;
  let everyFrame: Awaited<ReturnType<typeof render>>;
  before(async () => {
    project = makeProject({ 'index.html': HOLDS });
    reusing = await render(project, 'reusing');
    everyFrame = await render(project, 'every-frame', { reuseStaticFrames: false });
  });
  after(() => removeProject(project));

  test('with and without the reuse, every frame is the same', () => {
    const reused = frameHashes(reusing.outputPath);
    assert.equal(reused.length, 3 * FPS);
    assert.deepEqual(reused, frameHashes(everyFrame.outputPath));
  });

  test('the hold costs no captures: most of its frames are reused', () => {
    const { reused, of, line } = staticFrames(reusing.lines);
    assert.equal(of, 3 * FPS);
    // Still frames: 0.5–1.0 s and 1.4–2.5 s of the hold (48 frames), 2.5–2.7 and 2.7–3.0 after the changes;
    // each capture browser captures the first frame after a change itself.
    assert.ok(reused >= 55, line);
    assert.ok(reused <= 3 * FPS - 15 - 12 - 3, `frames that changed were reused: ${line}`);
    assert.match(line, /\(document changed\)/);
    assert.match(line, /\(a CSS or WAAPI animation moved\)/);
    assert.equal(reusing.result.frames, 3 * FPS);
  });

  test('what changed during the hold is in the frames: the CSS fade, the tl.call() colour, the clip entering', () => {
    // The dot fades out over 1.0–1.4 s: half way at frame 36, gone by frame 45 (white background).
    const half = pixelAt(reusing.outputPath, 36, 290, 20);
    assert.ok(half[1] > 160 && half[0] > 60 && half[0] < 200, `dot half faded at frame 36: ${half}`);
    assert.ok(closeTo(pixelAt(reusing.outputPath, 45, 290, 20), [255, 255, 255], 12));
    assert.ok(closeTo(pixelAt(reusing.outputPath, 74, 170, 90), [230, 40, 40], 30), 'red before the call');
    assert.ok(closeTo(pixelAt(reusing.outputPath, 75, 170, 90), [40, 200, 40], 30), 'green from the call on');
    assert.ok(closeTo(pixelAt(reusing.outputPath, 80, 250, 130), [255, 255, 255], 12), 'no clip before 2.7 s');
    assert.ok(closeTo(pixelAt(reusing.outputPath, 81, 250, 130), [40, 40, 230], 30), 'the clip from 2.7 s');
  });

  test('the setting turns it off: every frame is captured', () => {
    assert.equal(staticFrames(everyFrame.lines).line, 'static frames: off, every frame captured');
  });
});

/** A 2 s composition whose timeline (`const tl`, registered as main) runs `script`. */
function twoSecondProject(body: string, script: string): string {
  return makeProject({
    'index.html': compositionHtml({
      duration: 2,
      body,
      script: `const tl = gsap.timeline({ paused: true });
${script}
window.__timelines['main'] = tl;
tl.to({}, { duration: 2 }, 0);`,
    }),
  });
}

describe('render: a canvas is never taken for static', { timeout: TIMEOUT }, () => {
  const projects: string[] = [];
  let held: Awaited<ReturnType<typeof render>>;
  let late: Awaited<ReturnType<typeof render>>;
  before(async () => {
    // The canvas is drawn once and then held: no DOM change at all, yet the runtime cannot know that.
    projects.push(twoSecondProject('<canvas id="paint" width="320" height="180"></canvas>',
      `tl.call(() => { const g = document.getElementById('paint').getContext('2d'); g.fillStyle = 'rgb(200, 30, 200)'; g.fillRect(0, 0, 320, 180); }, [], 1);`));
    held = await render(projects[0], 'canvas');
    // Static until 1 s; then tl.call() adds a canvas (a mutation) and draws in it again every frame without
    // touching the document. The frames after the one that added it have no mutation of their own: only the
    // look at what the document holds, taken on such a frame, tells that the canvas may have moved.
    projects.push(twoSecondProject('<div id="stage"></div>',
      `tl.call(() => { const c = document.createElement('canvas'); c.id = 'paint'; c.width = 320; c.height = 180; document.getElementById('stage').appendChild(c); }, [], 1);
const shade = { value: 0 };
tl.to(shade, { value: 200, duration: 1, ease: 'none', onUpdate: () => { const c = document.getElementById('paint'); if (c) { const g = c.getContext('2d'); g.fillStyle = 'rgb(' + Math.round(shade.value) + ', 30, 200)'; g.fillRect(0, 0, 320, 180); } } }, 1);`));
    late = await render(projects[1], 'late-canvas');
  });
  after(() => projects.forEach(removeProject));

  test('every frame is captured, and the log says why', () => {
    const { reused, line } = staticFrames(held.lines);
    assert.equal(reused, 0, line);
    assert.match(line, /<canvas> draws outside the document/);
    assert.ok(closeTo(pixelAt(held.outputPath, 29, 100, 100), [255, 255, 255], 12));
    assert.ok(closeTo(pixelAt(held.outputPath, 30, 100, 100), [200, 30, 200], 30));
  });

  test('one that arrives during a hold: the hold before it is reused; every frame after it is captured and shows the canvas\'s own drawing', () => {
    const { reused, line } = staticFrames(late.lines);
    assert.ok(reused >= 25 && reused <= 29, `the first second's frames but the first are reused: ${line}`);
    assert.match(line, /<canvas> draws outside the document/);
    for (const frame of [40, 50, 59]) {
      const expected = Math.round(((frame - 30) / 30) * 200);
      const [red] = pixelAt(late.outputPath, frame, 100, 100);
      assert.ok(Math.abs(red - expected) <= 12, `frame ${frame}: red ${red}, the canvas drew ${expected}`);
    }
  });
});
