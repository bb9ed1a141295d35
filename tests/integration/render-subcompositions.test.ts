// Sub-compositions render as the reference inlines them: a sub-composition in compositions/ that loads
// `../media/…` (attributes, style url(), a sibling stylesheet) shows those files; its <style> styles its own
// instance only (its `body` rule is its own box, not the page); two instances of one file each animate their
// own elements, with top-level `const` declarations that do not collide.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderResult } from '../../server/engine/render/types';
import { closeTo, FFMPEG, makeProject, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const TOLERANCE = 24;
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
const GREEN = [0, 255, 0];
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const MAGENTA = [255, 0, 255];

function solidPng(file: string, colour: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${colour}:s=40x40`, '-frames:v', '1', '-y', file]);
}

const SCENE = `<template>
  <div data-composition-id="scene" data-width="140" data-height="180">
    <link rel="stylesheet" href="scene.css">
    <style>
      body { background: #000; }
      .box { position: absolute; left: 10px; top: 10px; width: 40px; height: 40px; background: #0f0; }
    </style>
    <img class="pic" src="../media/red.png" style="position: absolute; left: 60px; top: 60px; width: 40px; height: 40px">
    <div class="tile" style="position: absolute; left: 10px; top: 120px; width: 40px; height: 40px; background-image: url('../media/blue.png'); background-size: cover"></div>
    <div class="sibling"></div>
    <div class="box"></div>
    <script>
      const root = document.querySelector('.box');
      const tl = gsap.timeline({ paused: true });
      tl.to('.box', { x: 80, duration: 1, ease: 'none' });
      window.__timelines = window.__timelines || {};
      window.__timelines['scene'] = tl;
    </script>
  </div>
</template>
`;

const ENTRY = `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #fff; }
#root { position: relative; overflow: hidden; background: #fff; }
.box { outline: 0; }
</style></head><body>
<div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180" data-fps="30" data-duration="1">
  <div id="left" data-composition-id="scene-a" data-composition-src="compositions/scene.html" data-start="0" data-duration="1" style="left: 0; top: 0; width: 140px; height: 180px"></div>
  <div id="right" data-composition-id="scene-b" data-composition-src="compositions/scene.html" data-start="0" data-duration="1" style="left: 180px; top: 0; width: 140px; height: 180px"></div>
</div>
<script src="gsap.min.js"></script>
<script>window.__timelines = window.__timelines || {};</script>
</body></html>
`;

describe('render: sub-compositions as the reference inlines them', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  let result: RenderResult;
  before(async () => {
    project = makeProject({
      'index.html': ENTRY,
      'compositions/scene.html': SCENE,
      'compositions/scene.css': '.sibling { position: absolute; left: 100px; top: 120px; width: 30px; height: 40px; background: #f0f; }\n',
    });
    solidPng(path.join(project, 'media/red.png'), 'red');
    solidPng(path.join(project, 'media/blue.png'), 'blue');
    output = path.join(project, 'out.mp4');
    result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('no page error and nothing refused: both instances\' `const root` live in their own scopes, ../ paths stay inside', () => {
    const problems = result.warnings.filter(d => d.severity !== 'info').map(d => `${d.code}: ${d.message}`);
    assert.deepEqual(problems, []);
  });

  for (const [name, x0] of [['first instance', 0], ['second instance', 180]] as const) {
    test(`${name}: ../media in src and in style url(), and a sibling stylesheet, are loaded`, () => {
      assert.ok(closeTo(pixelAt(output, 0, x0 + 80, 80), RED, TOLERANCE), `img from ../media at ${x0 + 80},80`);
      assert.ok(closeTo(pixelAt(output, 0, x0 + 30, 140), BLUE, TOLERANCE), `background-image from ../media at ${x0 + 30},140`);
      assert.ok(closeTo(pixelAt(output, 0, x0 + 115, 140), MAGENTA, TOLERANCE), `compositions/scene.css rule at ${x0 + 115},140`);
    });

    test(`${name}: its body rule paints its own box black, and its timeline moves its own box`, () => {
      assert.ok(closeTo(pixelAt(output, 0, x0 + 130, 20), BLACK, TOLERANCE), 'scene box is black');
      assert.ok(closeTo(pixelAt(output, 0, x0 + 30, 30), GREEN, TOLERANCE), 'box at its start at frame 0');
      // t = 0.5: x = 40 → the box spans 50–90.
      assert.ok(closeTo(pixelAt(output, 15, x0 + 70, 30), GREEN, TOLERANCE), 'box moved by 40 px at frame 15');
      assert.ok(closeTo(pixelAt(output, 15, x0 + 20, 30), BLACK, TOLERANCE), 'box left its start at frame 15');
    });
  }

  test('the page itself keeps its white background between the instances', () => {
    assert.ok(closeTo(pixelAt(output, 0, 160, 90), WHITE, TOLERANCE), 'entry background at 160,90');
  });
});

const CAPTIONS = `<template>
  <div data-composition-id="captions" data-width="320" data-height="180">
    <style>
      .word { position: absolute; top: 70px; width: 60px; height: 40px; display: none; }
    </style>
    <div id="line"></div>
    <script>
      const transcript = [
        { text: 'one', start: 0.2, end: 0.5, colour: '#f00', left: 20 },
        { text: 'two', start: 0.5, end: 0.8, colour: '#0f0', left: 130 },
      ];
      const line = document.getElementById('line');
      const tl = gsap.timeline({ paused: true });
      for (const word of transcript) {
        const el = document.createElement('div');
        el.className = 'word';
        el.style.left = word.left + 'px';
        el.style.background = word.colour;
        line.appendChild(el);
        tl.set(el, { display: 'block' }, word.start);
        tl.set(el, { display: 'none' }, word.end);
      }
      window.__timelines = window.__timelines || {};
      window.__timelines['captions'] = tl;
    </script>
  </div>
</template>
`;

describe('render: content a sub-composition builds itself, hosted under another id', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = makeProject({
      'index.html': `<!doctype html>
<html><head><style>html, body { margin: 0; background: #fff; }</style></head><body>
<div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180" data-fps="30" data-duration="1">
  <div id="captions-host" data-composition-id="captions-comp" data-composition-src="compositions/captions.html" data-start="0" data-duration="1"></div>
</div>
<script src="gsap.min.js"></script>
</body></html>
`,
      'compositions/captions.html': CAPTIONS,
    });
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('words created from a transcript appear and disappear at their times (timeline registered as "captions", host "captions-comp")', () => {
    assert.ok(closeTo(pixelAt(output, 3, 40, 90), WHITE, TOLERANCE), 'nothing before 0.2 s');
    assert.ok(closeTo(pixelAt(output, 9, 40, 90), RED, TOLERANCE), 'first word at 0.3 s');
    assert.ok(closeTo(pixelAt(output, 9, 150, 90), WHITE, TOLERANCE), 'second word not yet at 0.3 s');
    assert.ok(closeTo(pixelAt(output, 18, 150, 90), GREEN, TOLERANCE), 'second word at 0.6 s');
    assert.ok(closeTo(pixelAt(output, 18, 40, 90), WHITE, TOLERANCE), 'first word gone at 0.6 s');
    assert.ok(closeTo(pixelAt(output, 27, 150, 90), WHITE, TOLERANCE), 'second word gone at 0.9 s');
  });
});
