// The layout contract every frame stands on, as the reference renders it: the root is exactly
// data-width × data-height whatever its CSS says, a fragment entry (no <html>) gets no body margin, and the
// last row and column of a frame are the page's, with one, two or four capture browsers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { closeTo, makeProject, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const TOLERANCE = 24;
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];

describe('render: the root is sized from data-width/data-height', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    // No CSS size at all, overflow hidden, only absolutely positioned content: collapses to 0 px without the contract.
    project = makeProject({
      'index.html': `<!doctype html><html><head><style>html, body { margin: 0; background: #fff; } #root { overflow: hidden; background: #123456; }
.dot { position: absolute; left: 300px; top: 160px; width: 20px; height: 20px; background: #f00; }</style></head><body>
<div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180" data-duration="0.2">
  <div class="dot"></div>
  <div id="late" class="clip" data-start="0" data-duration="1" style="background: #0f0; width: 40px; height: 40px"></div>
</div></body></html>`,
    });
  });
  after(() => removeProject(project));

  test('the root fills the frame, its bottom-right content shows, and a timed child sits at its top-left', async () => {
    const output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    assert.ok(closeTo(pixelAt(output, 0, 150, 90), [0x12, 0x34, 0x56], TOLERANCE), 'root background in the middle');
    assert.ok(closeTo(pixelAt(output, 0, 310, 170), RED, TOLERANCE), 'content near the bottom-right corner');
    assert.ok(closeTo(pixelAt(output, 0, 318, 178), RED, TOLERANCE), 'the last row and column are the page\'s');
    assert.ok(closeTo(pixelAt(output, 0, 20, 20), GREEN, TOLERANCE), 'timed child at the top-left');
  });
});

describe('render: a fragment entry has no body margin', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({
      'index.html': `<div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180" data-duration="0.2" style="background: #f00">
  <div class="clip" id="corner" data-start="0" data-duration="1" style="width: 10px; height: 10px; background: #0f0"></div>
</div>
`,
    });
  });
  after(() => removeProject(project));

  test('the root starts at the frame\'s top-left corner and reaches its bottom-right one', async () => {
    const output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    assert.ok(closeTo(pixelAt(output, 0, 0, 0), GREEN, TOLERANCE), 'timed child at 0,0');
    assert.ok(closeTo(pixelAt(output, 0, 318, 178), RED, TOLERANCE), 'root at the bottom-right corner');
  });
});

describe('render: the last row and column of a 1080×1920 portrait frame are the page\'s', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({
      'index.html': `<!doctype html><html><head><style>html, body { margin: 0; } #root { width: 100vw; height: 100vh; background: #222; }
.bottom { position: absolute; left: 0; bottom: 0; width: 100%; height: 2px; background: #f00; }
.right { position: absolute; right: 0; top: 0; width: 2px; height: 100%; background: #0f0; }</style></head><body>
<div id="root" data-composition-id="main" data-start="0" data-width="1080" data-height="1920" data-duration="0.4"><div class="bottom"></div><div class="right"></div></div>
</body></html>`,
    });
  });
  after(() => removeProject(project));

  for (const workers of [1, 2, 4]) {
    test(`${workers} worker(s): every frame ends in the page's bottom row and right column`, async () => {
      const output = path.join(project, `out-${workers}.mp4`);
      const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, workers });
      assert.equal(result.frames, 12);
      for (const frame of [0, 5, 11]) {
        assert.ok(closeTo(pixelAt(output, frame, 500, 1918), RED, TOLERANCE), `bottom row at frame ${frame}`);
        assert.ok(closeTo(pixelAt(output, frame, 1078, 900), GREEN, TOLERANCE), `right column at frame ${frame}`);
      }
    });
  }
});

describe('render: a GSAP set() at t = 0 shows in frame 0', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({
      'index.html': `<!doctype html><html><head><style>html, body { margin: 0; background: #000; }
#a, #b, #c { position: absolute; top: 40px; width: 60px; height: 60px; background: #f00; opacity: 0; }
#a { left: 20px; } #b { left: 120px; } #c { left: 220px; }</style></head><body>
<div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180" data-duration="0.2">
  <div id="a"></div><div id="b"></div><div id="c"></div>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.set('#a', { opacity: 1 }, 0);
  tl.set('#b', { opacity: 1 });
  tl.fromTo('#c', { opacity: 1 }, { opacity: 0.5, duration: 1 }, 0);
  window.__timelines = window.__timelines || {};
  window.__timelines['main'] = tl;
</script></body></html>`,
    });
  });
  after(() => removeProject(project));

  test('set at 0, set at the end of an empty timeline and fromTo at 0 all show in the first frame', async () => {
    const output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    for (const x of [50, 150, 250]) assert.ok(closeTo(pixelAt(output, 0, x, 70), RED, TOLERANCE), `element at ${x},70 shown in frame 0`);
  });
});
