// Which source frame a video clip shows, compared with the source's own frames: variable-frame-rate
// sources, data-playback-rate (video and its audio), videos identified only by data-hf-id, a
// sub-composition video whose length comes from the file, and a cut between two full-bleed clips
// (object-fit kept, the incoming clip's first frame neither missing nor stale).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sourceFrameIndex } from '../../server/engine/capture/videoFrames';
import { renderJob } from '../../server/engine/render/renderJob';
import {
  audioEnd, audioOnset, audioSamples, closeTo, compositionHtml, makeNumberedVideo, makeProject, numberedColour, pixelAt,
  probeStreams, removeProject,
} from '../fixtures/render/helpers';
import { BAR_COLOURS, makeColourBars, makeVariableRateVideo } from '../fixtures/render/videoSources';

const TIMEOUT = 180_000;
/** Numbered colours are 80 levels apart per channel: a wrong frame is far outside this. */
const TOLERANCE = 20;
const FPS = 30;
const WHITE = [255, 255, 255] as const;

describe('render: a variable-frame-rate source shows the frame the file has at each time', { timeout: TIMEOUT }, () => {
  // Irregular steps: a burst, a 150 ms hold, steps that fall between output frames, a long hold.
  const TIMES = [0, 0.02, 0.05, 0.2, 0.21, 0.5, 0.9, 0.933, 1.4, 1.5, 1.51, 1.9];
  let project: string;
  let output: string;
  let stored: number[];
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 2.5,
        body: `
<video id="vfr" src="media/vfr.mp4" muted playsinline data-start="0" data-duration="2.5" data-track-index="0" style="position:absolute;left:0;top:0;width:160px;height:90px"></video>
<video id="vfr-late" src="media/vfr.mp4" muted playsinline data-start="0.5" data-duration="2" data-media-start="0.2" data-track-index="1" style="position:absolute;left:160px;top:0;width:160px;height:90px"></video>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    stored = makeVariableRateVideo(path.join(project, 'media/vfr.mp4'), TIMES);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('the fixture is variable-rate as written', () => {
    assert.deepEqual(stored.map(t => Math.round(t * 1000)), TIMES.map(t => Math.round(t * 1000)));
  });

  test('every output frame shows the source frame on screen at its time (from 0 and with an offset)', () => {
    const wrong: string[] = [];
    for (let frame = 0; frame < 75; frame++) {
      const t = frame / FPS;
      const expected = sourceFrameIndex(TIMES, t);
      const actual = pixelAt(output, frame, 80, 45);
      if (!closeTo(actual, numberedColour(expected), TOLERANCE)) wrong.push(`frame ${frame}: source ${expected} ${numberedColour(expected)}, got ${actual}`);
      if (t >= 0.5 - 1e-9) {
        const late = sourceFrameIndex(TIMES, t - 0.5 + 0.2);
        const lateActual = pixelAt(output, frame, 240, 45);
        if (!closeTo(lateActual, numberedColour(late), TOLERANCE)) wrong.push(`offset clip frame ${frame}: source ${late}, got ${lateActual}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

describe('render: a WebM clip (timestamps in whole milliseconds) shows each of its frames once', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 1,
        body: `<video id="webm" src="media/clip.webm" muted playsinline data-start="0" data-duration="1" data-track-index="0" style="position:absolute;left:0;top:0;width:160px;height:90px"></video>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    makeNumberedVideo(path.join(project, 'media/clip.webm'), 30, FPS);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('output frame n shows source frame n (frame 2 is stored at 0.067 s, after 2/30 s)', () => {
    const shown = Array.from({ length: 30 }, (_, frame) => pixelAt(output, frame, 80, 45));
    const wrong = shown.map((pixel, frame) => ({ frame, pixel })).filter(({ frame, pixel }) => !closeTo(pixel, numberedColour(frame), TOLERANCE));
    assert.deepEqual(wrong, []);
  });
});

describe('render: data-playback-rate', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 2,
        body: `
<video id="fast" src="media/clip.mp4" muted playsinline data-playback-rate="2" data-start="0.2" data-duration="1" data-media-start="0.1" data-track-index="0" style="position:absolute;left:0;top:0;width:100px;height:90px"></video>
<video id="slow" src="media/clip.mp4" muted playsinline data-playback-rate="0.5" data-start="0" data-duration="2" data-track-index="1" style="position:absolute;left:110px;top:0;width:100px;height:90px"></video>
<video id="natural" src="media/short.mp4" muted playsinline data-playback-rate="2" data-start="0" data-track-index="2" style="position:absolute;left:220px;top:0;width:100px;height:90px"></video>
<audio id="tone" src="media/tone.mp4" data-playback-rate="2" data-start="0.5" data-track-index="3"></audio>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    makeNumberedVideo(path.join(project, 'media/clip.mp4'), 64, FPS);
    // 20 frames (0.667 s) at rate 2: on screen for 0.333 s, i.e. composition frames 0–9.
    makeNumberedVideo(path.join(project, 'media/short.mp4'), 20, FPS);
    // 1 s of sound at rate 2: heard from 0.5 s for 0.5 s (the length comes from the file, divided by the rate).
    makeNumberedVideo(path.join(project, 'media/tone.mp4'), 30, FPS, true);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('rate 2: source time = media-start + (t − start) × 2', () => {
    for (const frame of [6, 7, 10, 20, 35]) {
      const sourceFrame = Math.floor((0.1 + (frame / FPS - 0.2) * 2) * FPS + 1e-6);
      assert.ok(closeTo(pixelAt(output, frame, 50, 45), numberedColour(sourceFrame), TOLERANCE), `frame ${frame} shows source ${sourceFrame}, got ${pixelAt(output, frame, 50, 45)}`);
    }
  });

  test('rate 0.5: each source frame for two output frames', () => {
    for (const frame of [0, 1, 2, 3, 31, 59]) {
      const sourceFrame = Math.floor(frame / 2);
      assert.ok(closeTo(pixelAt(output, frame, 160, 45), numberedColour(sourceFrame), TOLERANCE), `frame ${frame} shows source ${sourceFrame}, got ${pixelAt(output, frame, 160, 45)}`);
    }
  });

  test('a clip without data-duration lasts its source length divided by the rate', () => {
    assert.ok(closeTo(pixelAt(output, 9, 270, 45), numberedColour(18), TOLERANCE), `frame 9 shows source 18, got ${pixelAt(output, 9, 270, 45)}`);
    assert.ok(closeTo(pixelAt(output, 11, 270, 45), WHITE, TOLERANCE), `gone by frame 11, got ${pixelAt(output, 11, 270, 45)}`);
  });

  test('audio at rate 2 is heard for half its source length', () => {
    assert.equal(Number(probeStreams(output).video?.nb_read_frames), 60);
    const samples = audioSamples(output);
    const onset = audioOnset(samples);
    const end = audioEnd(samples);
    assert.ok(onset !== undefined && Math.abs(onset - 0.5) <= 1 / FPS, `onset ${onset}`);
    assert.ok(end !== undefined && Math.abs(end - 1.0) <= 1 / FPS, `end ${end}`);
  });
});

describe('render: videos without an id, and in a sub-composition without data-duration', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 1.5,
        body: `
<video data-hf-id="hf-a1" src="media/clip.mp4" muted playsinline data-start="0.2" data-duration="1" data-track-index="0" style="position:absolute;left:0;top:0;width:100px;height:90px"></video>
<div id="scene" data-composition-id="scene" data-composition-src="compositions/scene.html" data-start="0" data-duration="1.5" data-track-index="1" style="position:absolute;left:160px;top:0;width:160px;height:180px"></div>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
      'compositions/scene.html': `<template>
  <div data-composition-id="scene" data-width="160" data-height="180">
    <video id="scene-clip" src="../media/short.mp4" muted playsinline data-start="0.1" data-track-index="0" style="position:absolute;left:0;top:0;width:160px;height:90px"></video>
    <script>
      window.__timelines = window.__timelines || {};
      window.__timelines['scene'] = gsap.timeline({ paused: true });
    </script>
  </div>
</template>
`,
    });
    makeNumberedVideo(path.join(project, 'media/clip.mp4'), 40, FPS);
    // 15 frames: 0.5 s from 0.1 s, so composition frames 3–17.
    makeNumberedVideo(path.join(project, 'media/short.mp4'), 15, FPS);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('a video identified only by data-hf-id shows its frames', () => {
    assert.ok(closeTo(pixelAt(output, 5, 50, 45), WHITE, TOLERANCE), 'not before its start');
    for (const frame of [6, 7, 20, 35]) {
      assert.ok(closeTo(pixelAt(output, frame, 50, 45), numberedColour(frame - 6), TOLERANCE), `frame ${frame} shows source ${frame - 6}, got ${pixelAt(output, frame, 50, 45)}`);
    }
  });

  test('a sub-composition video without data-duration plays for its file\'s length', () => {
    assert.ok(closeTo(pixelAt(output, 2, 240, 45), WHITE, TOLERANCE), `not before its start, got ${pixelAt(output, 2, 240, 45)}`);
    for (const frame of [3, 4, 10, 17]) {
      assert.ok(closeTo(pixelAt(output, frame, 240, 45), numberedColour(frame - 3), TOLERANCE), `frame ${frame} shows source ${frame - 3}, got ${pixelAt(output, frame, 240, 45)}`);
    }
    assert.ok(closeTo(pixelAt(output, 19, 240, 45), WHITE, TOLERANCE), `gone after its length, got ${pixelAt(output, 19, 240, 45)}`);
  });
});

describe('render: a cut between two full-bleed clips', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    // A: numbered 16:9 source for 0–1 s; B: a 1280x360 bar source (3.56:1) from 1 s, object-fit: cover
    // from a class, so only its middle bars (green, blue) fill the 320x180 frame, each 160 px wide.
    project = makeProject({
      'index.html': compositionHtml({
        duration: 2,
        style: `#root { background: #000; } .full { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }`,
        body: `
<video id="a" class="full" src="media/a.mp4" muted playsinline data-start="0" data-duration="1" data-track-index="0"></video>
<video id="b" class="full" src="media/b.mp4" muted playsinline data-start="1" data-duration="1" data-media-start="0.1" data-track-index="0"></video>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    makeNumberedVideo(path.join(project, 'media/a.mp4'), 40, FPS);
    makeColourBars(path.join(project, 'media/b.mp4'), { width: 1280, height: 360, matrix: 'bt601', range: 'tv', frames: 60 });
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('the outgoing clip fills the frame up to its last frame', () => {
    for (const frame of [0, 1, 28, 29]) {
      for (const [x, y] of [[2, 2], [160, 90], [317, 177]]) {
        assert.ok(closeTo(pixelAt(output, frame, x, y), numberedColour(frame), TOLERANCE), `frame ${frame} at ${x},${y}: source ${frame}, got ${pixelAt(output, frame, x, y)}`);
      }
    }
  });

  test('the incoming clip is there from its first frame, covered as its CSS says, never the old image', () => {
    for (const frame of [30, 31, 32, 45, 59]) {
      // cover: the frame's left half is bar 1 (green) and its right half bar 2 (blue), top to bottom.
      for (const [x, y, bar] of [[40, 4, 1], [120, 176, 1], [200, 4, 2], [300, 176, 2]] as const) {
        const actual = pixelAt(output, frame, x, y);
        assert.ok(closeTo(actual, BAR_COLOURS[bar], TOLERANCE), `frame ${frame} at ${x},${y}: bar ${bar} ${BAR_COLOURS[bar]}, got ${actual}`);
      }
    }
  });
});
