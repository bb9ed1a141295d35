// A render loads its capture pages while its probe loads the page (renderJob.ts): both from one file server.
// What that must not change: a page the probe recompiled (a sub-composition's length resolved from its
// timeline) is loaded again before capture, so the frames follow the resolved length; and a request the file
// server refuses, asked for by the probe's page and the capture pages alike, is reported once.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderResult } from '../../server/engine/render/types';
import { closeTo, makeProject, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';

const RUNTIME = path.resolve(__dirname, '..', '..', 'dist', 'runtime.js');
const FPS = 10;
const RED: [number, number, number] = [255, 0, 0];
const WHITE: [number, number, number] = [255, 255, 255];

/**
 * The root's timeline lasts 3 s; the host "card" starts at 0.5 s and has no data-duration: its length is its
 * sub-composition's timeline, 1.5 s, which only the browser knows. So the card shows over [0.5, 2) s.
 */
function unresolvedHostProject(): string {
  return makeProject({
    'index.html': `<!doctype html><html><head><meta charset="utf-8"><script src="gsap.min.js"></script>
<style>html, body { margin: 0; background: #ffffff; } #root { position: relative; width: 320px; height: 180px; background: #ffffff; }</style></head>
<body><div id="root" data-composition-id="main" data-width="320" data-height="180" data-fps="${FPS}">
  <div id="marker" class="clip" data-start="0" data-track-index="0" style="width: 4px; height: 4px;"></div>
  <div id="card" data-composition-id="card" data-composition-src="compositions/card.html" data-start="0.5" data-track-index="1"></div>
</div>
<script>
  window.__timelines = window.__timelines || {};
  window.__timelines["main"] = gsap.timeline({ paused: true }).to("#marker", { x: 10, duration: 3 });
</script></body></html>`,
    'compositions/card.html': `<template>
  <div data-composition-id="card" data-width="320" data-height="180">
    <div id="card-box" class="clip" data-start="0" data-track-index="0" style="position: absolute; inset: 0; background: #ff0000;"></div>
    <script>
      window.__timelines = window.__timelines || {};
      window.__timelines["card"] = gsap.timeline({ paused: true }).to("#card-box", { opacity: 1, duration: 1.5 });
    </script>
  </div>
</template>`,
  });
}

describe('capture pages loaded while the probe runs', { timeout: 180_000 }, () => {
  let project: string;
  let result: RenderResult;
  let refusedRender: RenderResult;
  const output = () => path.join(project, 'out.mp4');

  before(async () => {
    project = unresolvedHostProject();
    result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output(), runtimePath: RUNTIME, workers: 2 });
    // An encoded separator: the file server refuses the path whatever it names.
    const refusing = makeProject({
      'index.html': `<!doctype html><html><head><script src="gsap.min.js"></script></head><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-fps="${FPS}" data-duration="1">
  <img id="far" class="clip" data-start="0" data-duration="1" data-track-index="0" src="media%2fnot-an-image.png">
</div></body></html>`,
    });
    try {
      refusedRender = await renderJob({ entryFile: path.join(refusing, 'index.html'), outputPath: path.join(refusing, 'out.mp4'), runtimePath: RUNTIME, workers: 2, allowErrors: true });
    } finally {
      removeProject(refusing);
    }
  });
  after(() => removeProject(project));

  test('the page the probe recompiled is the one captured: the card shows over its resolved [0.5, 2) s', () => {
    assert.equal(result.frames, 3 * FPS);
    assert.equal(probeStreams(output()).video?.nb_read_frames, String(3 * FPS));
    const at = (frame: number) => pixelAt(output(), frame, 160, 90);
    for (const frame of [2, 25, 29]) assert.ok(closeTo(at(frame), WHITE, 24), `frame ${frame} is the page: ${at(frame).join(',')}`);
    for (const frame of [6, 12, 18]) assert.ok(closeTo(at(frame), RED, 24), `frame ${frame} is the card: ${at(frame).join(',')}`);
  });

  test('a refused request is one warning, though every page asked for it', () => {
    const refused = refusedRender.warnings.filter(warning => warning.code === 'request-refused');
    assert.equal(refused.length, 1, JSON.stringify(refusedRender.warnings.map(w => `${w.code}: ${w.message}`)));
    assert.match(refused[0].message, /not-an-image\.png was refused/);
  });
});
