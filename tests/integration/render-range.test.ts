// Rendering a time range (RenderOptions.range): the output holds exactly the range's frames and lasts
// frames / fps; its first frame is the full render's frame at the range's start; video clips and audio come
// from the same window (audio shifted by −start). Real Chromium and ffmpeg.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { StageError } from '../../server/engine/errors';
import { audioProject, basicProject, videoProject } from '../fixtures/render/compositions';
import {
  audioEnd, audioOnset, audioSamples, closeTo, FFMPEG, leftovers, numberedColour, pixelAt, probeStreams, removeProject,
} from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const TOLERANCE = 20;
const FRAME_S = 1 / 30;
const BLUE: [number, number, number] = [0, 0, 255];
const WHITE: [number, number, number] = [255, 255, 255];

/** Decoded RGB bytes of an image file (base64): PNG frames compared pixel for pixel, not by their encoding. */
function rgb(file: string): string {
  return execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']).toString('base64');
}

describe('render: a time range of the basic composition', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = basicProject(); });
  after(() => removeProject(project));

  test('mp4 of 0.5–0.9 s: 12 frames, 0.4 s, starting at composition frame 15', async () => {
    const output = path.join(project, 'range.mp4');
    const totals: number[] = [];
    const result = await renderJob(
      { entryFile: path.join(project, 'index.html'), outputPath: output, range: { start: 0.5, end: 0.9 }, quality: 'high' },
      { onProgress: p => { if (p.totalFrames !== undefined) totals.push(p.totalFrames); } },
    );
    assert.equal(result.frames, 12);
    assert.ok(Math.abs(result.duration - 0.4) < 1e-9, `result duration ${result.duration}`);
    assert.deepEqual(result.range, { start: 0.5, end: 0.9 });
    assert.deepEqual([...new Set(totals)], [12], 'progress counts the range\'s frames');
    const { video, formatDuration } = probeStreams(output);
    assert.equal(Number(video?.nb_read_frames), 12);
    assert.ok(Math.abs(formatDuration - 0.4) < 0.02, `duration ${formatDuration}`);
    // Output frame 0 is t = 0.5: blue band, the box at x 120–160, the CSS square half green.
    assert.ok(closeTo(pixelAt(output, 0, 160, 50), BLUE, TOLERANCE), 'first frame: blue band');
    assert.ok(closeTo(pixelAt(output, 0, 140, 140), WHITE, TOLERANCE), 'first frame: box at 140');
    assert.ok(closeTo(pixelAt(output, 0, 20, 140), [32, 32, 32], TOLERANCE), 'first frame: nothing at 20');
    const [, green] = pixelAt(output, 0, 290, 145);
    assert.ok(Math.abs(green - 128) <= TOLERANCE, `first frame: CSS half green, got ${green}`);
    // Last frame (composition frame 26, t = 0.8667): the box at x 208–248.
    assert.ok(closeTo(pixelAt(output, 11, 228, 140), WHITE, TOLERANCE), 'last frame: box at 228');
    assert.deepEqual(leftovers(project), []);
  });

  test('png: the range\'s first frame is, pixel for pixel, the full render\'s frame round(start·fps)', async () => {
    const full = path.join(project, 'full');
    const part = path.join(project, 'part');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: full, format: 'png' });
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: part, format: 'png', range: { start: 0.4, end: 0.6 } });
    assert.equal(result.frames, 6);
    const files = fs.readdirSync(part).sort();
    assert.deepEqual(files, ['frame-00001.png', 'frame-00002.png', 'frame-00003.png', 'frame-00004.png', 'frame-00005.png', 'frame-00006.png']);
    // Range frame k is composition frame 12 + k, i.e. full-render file 13 + k.
    for (let k = 0; k < 6; k++) {
      const same = rgb(path.join(part, files[k])) === rgb(path.join(full, `frame-${String(13 + k).padStart(5, '0')}.png`));
      assert.ok(same, `range frame ${k} = composition frame ${12 + k}`);
    }
  });

  test('an end past the composition is clamped; the default name carries the range', async () => {
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), range: { start: 0.8, end: 5 }, quality: 'draft' });
    assert.equal(result.frames, 6);
    assert.deepEqual(result.range, { start: 0.8, end: 1 });
    assert.equal(result.outputPath, path.join(project, 'renders', `${path.basename(project)}-0.8s-5s.mp4`));
    assert.equal(Number(probeStreams(result.outputPath).video?.nb_read_frames), 6);
  });

  test('an inverted range fails before anything starts; a range past the end fails at the probe', async () => {
    await assert.rejects(
      renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, 'x.mp4'), range: { start: 0.6, end: 0.3 } }),
      (error: unknown) => error instanceof StageError && error.stage === 'compile' && error.code === 'invalid-range' && /end must come after its start/.test(error.message),
    );
    await assert.rejects(
      renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, 'y.mp4'), range: { start: 3, end: 4 } }),
      (error: unknown) => error instanceof StageError && error.stage === 'probe' && error.code === 'empty-range' && /holds no frame .*0 s – 1 s/.test(error.message),
    );
    assert.equal(fs.existsSync(path.join(project, 'x.mp4')), false);
    assert.equal(fs.existsSync(path.join(project, 'y.mp4')), false);
    assert.deepEqual(leftovers(project), []);
  });
});

describe('render: a time range takes video and audio from the same window', { timeout: TIMEOUT }, () => {
  let videos: string;
  let audio: string;
  before(() => { videos = videoProject(); audio = audioProject(); });
  after(() => { removeProject(videos); removeProject(audio); });

  test('video clip: output frame k shows the source frame of composition frame 30 + k', async () => {
    const output = path.join(videos, 'range.mp4');
    const result = await renderJob({ entryFile: path.join(videos, 'index.html'), outputPath: output, range: { start: 1, end: 1.5 } });
    assert.equal(result.frames, 15);
    for (const k of [0, 1, 7, 14]) {
      // Main clip: composition frame i ≥ 15 shows source frame i − 9. Looped clip: frame i mod 10.
      assert.ok(closeTo(pixelAt(output, k, 80, 90), numberedColour(30 + k - 9), TOLERANCE), `main clip at output frame ${k}`);
      assert.ok(closeTo(pixelAt(output, k, 240, 135), numberedColour((30 + k) % 10), TOLERANCE), `looped clip at output frame ${k}`);
    }
  });

  test('audio onset moves by −start (tone at 0.7–1.2 s; range 0.5–1.5 s → 0.2–0.7 s)', async () => {
    const output = path.join(audio, 'range.mp4');
    const result = await renderJob({ entryFile: path.join(audio, 'index.html'), outputPath: output, range: { start: 0.5, end: 1.5 } });
    assert.equal(result.hasAudio, true);
    const { video, audio: track, formatDuration } = probeStreams(output);
    assert.equal(Number(video?.nb_read_frames), 30);
    assert.ok(Math.abs(Number(track?.duration) - 1) < 0.05, `audio lasts the range, got ${track?.duration}`);
    assert.ok(Math.abs(formatDuration - 1) < 0.05, `duration ${formatDuration}`);
    const samples = audioSamples(output);
    const onset = audioOnset(samples);
    const end = audioEnd(samples);
    assert.ok(onset !== undefined && Math.abs(onset - 0.2) <= FRAME_S, `onset ${onset}`);
    assert.ok(end !== undefined && Math.abs(end - 0.7) <= FRAME_S, `end ${end}`);
  });

  test('a range cutting into a clip starts the sound at once, from where the window cuts in', async () => {
    const output = path.join(audio, 'cut-in.mp4');
    await renderJob({ entryFile: path.join(audio, 'index.html'), outputPath: output, range: { start: 1, end: 2 } });
    const samples = audioSamples(output);
    const onset = audioOnset(samples);
    const end = audioEnd(samples);
    assert.ok(onset !== undefined && onset <= FRAME_S, `onset ${onset}`);
    assert.ok(end !== undefined && Math.abs(end - 0.2) <= FRAME_S, `end ${end}`);
  });

  test('a range after every audible clip has no audio stream', async () => {
    const output = path.join(audio, 'silent.mp4');
    const result = await renderJob({ entryFile: path.join(audio, 'index.html'), outputPath: output, range: { start: 1.5, end: 2 } });
    assert.equal(result.hasAudio, false);
    assert.equal(result.frames, 15);
    assert.equal(probeStreams(output).audio, undefined);
  });
});
