// The render pipeline end to end on compositions the tests own: real Chromium, real ffmpeg. Checks what
// ffprobe says about the file and what colour the pixels are where the composition put things.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderProgress } from '../../server/engine/render/events';
import { basicProject } from '../fixtures/render/compositions';
import { closeTo, frameHashes, imagePixel, leftovers, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
// yuv420p + JPEG capture move a flat colour by a few levels; edges are avoided by sampling area centres.
const TOLERANCE = 14;
const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];
const WHITE: [number, number, number] = [255, 255, 255];
const DARK: [number, number, number] = [32, 32, 32];

describe('render: mp4 of the basic composition', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  const progress: RenderProgress[] = [];

  before(async () => {
    project = basicProject();
    output = path.join(project, 'out', 'basic.mp4');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output }, { onProgress: p => progress.push(p) });
    assert.equal(result.outputPath, output);
    assert.equal(result.frames, 30);
    assert.equal(result.width, 320);
    assert.equal(result.hasAudio, false);
    for (const key of ['compileMs', 'probeMs', 'captureMs', 'encodeMs', 'totalMs'] as const) {
      assert.ok(typeof result.timings[key] === 'number', `${key} recorded`);
    }
  });
  after(() => removeProject(project));

  test('ffprobe: 30 frames, 1 s, 320x180, h264 yuv420p, no B-frames, no audio', () => {
    const { video, audio, formatDuration } = probeStreams(output);
    assert.ok(video);
    assert.equal(video.codec_name, 'h264');
    assert.equal(video.pix_fmt, 'yuv420p');
    assert.equal(video.width, 320);
    assert.equal(video.height, 180);
    assert.equal(Number(video.nb_read_frames), 30);
    assert.equal(video.has_b_frames, 0);
    assert.ok(Math.abs(formatDuration - 1) < 0.05, `duration ${formatDuration}`);
    assert.equal(audio, undefined);
  });

  test('clip windows: red band for 0–0.5 s, blue band after', () => {
    assert.ok(closeTo(pixelAt(output, 0, 160, 50), RED, TOLERANCE), 'frame 0 red');
    assert.ok(closeTo(pixelAt(output, 14, 160, 50), RED, TOLERANCE), 'frame 14 red');
    assert.ok(closeTo(pixelAt(output, 15, 160, 50), BLUE, TOLERANCE), 'frame 15 blue');
    assert.ok(closeTo(pixelAt(output, 29, 160, 50), BLUE, TOLERANCE), 'frame 29 blue');
  });

  test('GSAP: the box is at x = 240·t', () => {
    // Frame 0: box covers x 0–40. Frame 15 (t = 0.5): x 120–160. Frame 29: x 232–272.
    assert.ok(closeTo(pixelAt(output, 0, 20, 140), WHITE, TOLERANCE), 'frame 0 box at left');
    assert.ok(closeTo(pixelAt(output, 0, 140, 140), DARK, TOLERANCE), 'frame 0 nothing at 140');
    assert.ok(closeTo(pixelAt(output, 15, 140, 140), WHITE, TOLERANCE), 'frame 15 box at 140');
    assert.ok(closeTo(pixelAt(output, 15, 20, 140), DARK, TOLERANCE), 'frame 15 left is empty');
    assert.ok(closeTo(pixelAt(output, 29, 250, 140), WHITE, TOLERANCE), 'frame 29 box at 250');
  });

  test('CSS animation: black → green, seeked to t', () => {
    const [r0, g0, b0] = pixelAt(output, 0, 290, 145);
    const [, g15] = pixelAt(output, 15, 290, 145);
    const [, g29] = pixelAt(output, 29, 290, 145);
    assert.ok(r0 < TOLERANCE && g0 < TOLERANCE && b0 < TOLERANCE, `frame 0 black, got ${r0},${g0},${b0}`);
    assert.ok(Math.abs(g15 - 128) <= TOLERANCE, `frame 15 half green, got ${g15}`);
    assert.ok(Math.abs(g29 - 246) <= TOLERANCE, `frame 29 nearly green, got ${g29}`);
  });

  test('progress: stages in order, capture frames counted up to 30, done last', () => {
    const stages = progress.map(p => p.stage);
    assert.equal(stages[stages.length - 1], 'done');
    assert.ok(stages.indexOf('compile') < stages.indexOf('probe'));
    assert.ok(stages.indexOf('probe') < stages.indexOf('capture'));
    const captured = progress.filter(p => p.stage === 'capture' && p.frame !== undefined).map(p => p.frame!);
    assert.equal(Math.max(...captured), 30);
    const fractions = progress.map(p => p.fraction);
    assert.deepEqual([...fractions].sort((a, b) => a - b), fractions, 'fraction never goes back');
  });

  test('nothing left beside the output', () => {
    assert.deepEqual(fs.readdirSync(path.dirname(output)), ['basic.mp4']);
  });

  test('a second render gives identical frames (framemd5)', async () => {
    const second = path.join(project, 'out', 'again.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: second, workers: 1 });
    assert.deepEqual(frameHashes(second), frameHashes(output));
  });
});

describe('render: other formats and sizes', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = basicProject(); });
  after(() => removeProject(project));

  test('webm: VP9, 30 frames, same pixels', async () => {
    const output = path.join(project, 'basic.webm');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, format: 'webm', quality: 'draft' });
    assert.equal(result.format, 'webm');
    const { video } = probeStreams(output);
    assert.equal(video?.codec_name, 'vp9');
    assert.equal(Number(video?.nb_read_frames), 30);
    assert.ok(closeTo(pixelAt(output, 5, 160, 50), RED, TOLERANCE * 2));
    assert.ok(closeTo(pixelAt(output, 20, 160, 50), BLUE, TOLERANCE * 2));
  });

  test('png: a folder of 30 numbered frames, exact colours', async () => {
    const output = path.join(project, 'frames');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, format: 'png' });
    assert.equal(result.frames, 30);
    const files = fs.readdirSync(output).sort();
    assert.equal(files.length, 30);
    assert.equal(files[0], 'frame-00001.png');
    assert.equal(files[29], 'frame-00030.png');
    assert.deepEqual(imagePixel(path.join(output, 'frame-00001.png'), 160, 50), RED);
    assert.deepEqual(imagePixel(path.join(output, 'frame-00016.png'), 160, 50), BLUE);
    assert.deepEqual(imagePixel(path.join(output, 'frame-00016.png'), 140, 140), WHITE);
    assert.deepEqual(leftovers(project), []);
  });

  test('screenshot capture (the fallback without BeginFrame) gives the same pixels', async () => {
    const output = path.join(project, 'screenshot.mp4');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, captureMode: 'screenshot' });
    assert.equal(result.captureMode, 'screenshot');
    assert.equal(Number(probeStreams(output).video?.nb_read_frames), 30);
    assert.ok(closeTo(pixelAt(output, 14, 160, 50), RED, TOLERANCE));
    assert.ok(closeTo(pixelAt(output, 15, 160, 50), BLUE, TOLERANCE));
    assert.ok(closeTo(pixelAt(output, 15, 140, 140), WHITE, TOLERANCE));
  });

  test('1280x720 at --fps 24 and quality high', async () => {
    const big = basicProject({ width: 1280, height: 720 });
    try {
      const output = path.join(big, 'big.mp4');
      const result = await renderJob({ entryFile: path.join(big, 'index.html'), outputPath: output, fps: 24, quality: 'high' });
      assert.equal(result.fps, 24);
      const { video } = probeStreams(output);
      assert.equal(video?.width, 1280);
      assert.equal(video?.height, 720);
      assert.equal(Number(video?.nb_read_frames), 24);
      assert.equal(video?.has_b_frames, 0);
      // Frame 12 of 24 is t = 0.5: the blue band, and the box at x 120–160.
      assert.ok(closeTo(pixelAt(output, 12, 640, 50), BLUE, TOLERANCE));
      assert.ok(closeTo(pixelAt(output, 12, 140, 140), WHITE, TOLERANCE));
    } finally {
      removeProject(big);
    }
  });
});
