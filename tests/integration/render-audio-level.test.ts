// Audio level in renders: the mix keeps each source's level (RMS within 0.5 dB), applies data-volume as
// written, sums overlapping clips without normalisation, and puts a mono source into both channels at its
// own level (no pan law the source did not ask for).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { compositionHtml, FFMPEG, makeProject, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const RATE = 48_000;
const TOLERANCE_DB = 0.5;

/** Planar samples of every channel of the file's first audio stream, as the file has them. */
function channelSamples(file: string, channels: number): Float32Array[] {
  const raw = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:a:0', '-ar', String(RATE), '-f', 'f32le', '-'], { maxBuffer: 256 * 1024 * 1024 });
  const interleaved = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  return Array.from({ length: channels }, (_, c) => interleaved.filter((_, i) => i % channels === c));
}

function streamChannels(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=channels', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

/** RMS level in dBFS of samples [from, to) seconds. */
function rmsDb(samples: Float32Array, from: number, to: number): number {
  const slice = samples.subarray(Math.round(from * RATE), Math.round(to * RATE));
  const mean = slice.reduce((sum, s) => sum + s * s, 0) / slice.length;
  return 10 * Math.log10(mean);
}

function makeWav(file: string, graph: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', graph, '-c:a', 'pcm_s16le', '-y', file]);
}

describe('render: audio keeps the source level', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  const media = (name: string) => path.join(project, 'media', name);
  before(async () => {
    // Timeline (2 s): mono 0–0.5, stereo 0.5–1, mono at data-volume 0.5 1–1.5, mono + a second tone 1.5–2.
    project = makeProject({
      'index.html': compositionHtml({
        duration: 2,
        body: `
<audio id="mono" src="media/mono.wav" data-start="0" data-duration="0.5" data-track-index="0"></audio>
<audio id="stereo" src="media/stereo.wav" data-start="0.5" data-duration="0.5" data-track-index="1"></audio>
<audio id="half" src="media/mono.wav" data-volume="0.5" data-start="1" data-duration="0.5" data-track-index="2"></audio>
<audio id="first" src="media/mono.wav" data-start="1.5" data-duration="0.5" data-track-index="3"></audio>
<audio id="second" src="media/other.wav" data-start="1.5" data-duration="0.5" data-track-index="4"></audio>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    makeWav(media('mono.wav'), `sine=f=440:d=1:sample_rate=${RATE},volume=0.5`);
    makeWav(media('other.wav'), `sine=f=1000:d=1:sample_rate=${RATE},volume=0.3`);
    // Left and right at different levels, so a swap or a downmix shows.
    makeWav(media('stereo.wav'), `sine=f=440:d=1:sample_rate=${RATE},volume=0.5[l];sine=f=660:d=1:sample_rate=${RATE},volume=0.2[r];[l][r]join=inputs=2:channel_layout=stereo`);
    output = path.join(project, 'out.mp4');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    assert.equal(result.hasAudio, true);
  });
  after(() => removeProject(project));

  // Windows inside each slot, away from its edges (AAC's transients at onsets).
  const inside = (start: number) => [start + 0.1, start + 0.4] as const;

  test('the sources are what the test assumes', () => {
    assert.equal(streamChannels(media('mono.wav')), 1);
    assert.equal(streamChannels(media('stereo.wav')), 2);
  });

  test('a mono WAV is heard at its level in both channels', () => {
    const [source] = channelSamples(media('mono.wav'), 1);
    const [left, right] = channelSamples(output, 2);
    const expected = rmsDb(source, ...inside(0));
    for (const [name, channel] of [['left', left], ['right', right]] as const) {
      const actual = rmsDb(channel, ...inside(0));
      assert.ok(Math.abs(actual - expected) <= TOLERANCE_DB, `${name}: ${actual.toFixed(2)} dB, source ${expected.toFixed(2)} dB`);
    }
  });

  test('a stereo WAV keeps each channel\'s level', () => {
    const source = channelSamples(media('stereo.wav'), 2);
    const rendered = channelSamples(output, 2);
    for (const c of [0, 1]) {
      const expected = rmsDb(source[c], ...inside(0));
      const actual = rmsDb(rendered[c], ...inside(0.5));
      assert.ok(Math.abs(actual - expected) <= TOLERANCE_DB, `channel ${c}: ${actual.toFixed(2)} dB, source ${expected.toFixed(2)} dB`);
    }
  });

  test('data-volume 0.5 is −6.02 dB', () => {
    const [source] = channelSamples(media('mono.wav'), 1);
    const [left, right] = channelSamples(output, 2);
    const expected = rmsDb(source, ...inside(0)) + 20 * Math.log10(0.5);
    for (const channel of [left, right]) {
      const actual = rmsDb(channel, ...inside(1));
      assert.ok(Math.abs(actual - expected) <= TOLERANCE_DB, `${actual.toFixed(2)} dB, expected ${expected.toFixed(2)} dB`);
    }
  });

  test('two overlapping clips are summed (uncorrelated tones: powers add), not normalised', () => {
    const [a] = channelSamples(media('mono.wav'), 1);
    const [b] = channelSamples(media('other.wav'), 1);
    const power = (db: number) => 10 ** (db / 10);
    const expected = 10 * Math.log10(power(rmsDb(a, ...inside(0))) + power(rmsDb(b, ...inside(0))));
    const [left] = channelSamples(output, 2);
    const actual = rmsDb(left, ...inside(1.5));
    assert.ok(Math.abs(actual - expected) <= TOLERANCE_DB, `${actual.toFixed(2)} dB, expected ${expected.toFixed(2)} dB`);
  });
});
