// Media in renders: video clips show the exact source frame for their offset (a source whose frames are
// numbered by colour), hold their last frame or loop; audio starts on its offset and is silent elsewhere.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { audioProject, videoProject } from '../fixtures/render/compositions';
import {
  audioEnd, audioOnset, audioSamples, closeTo, compositionHtml, makeNumberedVideo, makeProject, makeTone, numberedColour, pixelAt,
  probeStreams, removeProject,
} from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
/** Colour levels of the numbered source are 80 apart; a frame off by one differs by ≥ 80 in a channel. */
const TOLERANCE = 20;
const FRAME_S = 1 / 30;

describe('render: video clips are frame-exact', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = videoProject();
    output = path.join(project, 'video.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('before its start the clip is not shown', () => {
    assert.ok(closeTo(pixelAt(output, 10, 80, 90), [255, 255, 255], TOLERANCE), 'white background at frame 10');
  });

  for (const frame of [15, 16, 17, 30, 44, 59]) {
    test(`composition frame ${frame} shows source frame ${frame - 9}`, () => {
      const expected = numberedColour(frame - 9);
      const actual = pixelAt(output, frame, 80, 90);
      assert.ok(closeTo(actual, expected, TOLERANCE), `frame ${frame}: expected ${expected}, got ${actual}`);
    });
  }

  test('a short source without loop holds its last frame', () => {
    for (const frame of [0, 5, 9]) assert.ok(closeTo(pixelAt(output, frame, 240, 45), numberedColour(frame), TOLERANCE), `held clip frame ${frame}`);
    for (const frame of [10, 20, 29]) assert.ok(closeTo(pixelAt(output, frame, 240, 45), numberedColour(9), TOLERANCE), `held clip frame ${frame} holds 9`);
    // Its slot ends at 1 s.
    assert.ok(closeTo(pixelAt(output, 30, 240, 45), [255, 255, 255], TOLERANCE), 'held clip gone at frame 30');
  });

  test('a looping source wraps', () => {
    for (const frame of [3, 9, 10, 13, 25, 47]) {
      assert.ok(closeTo(pixelAt(output, frame, 240, 135), numberedColour(frame % 10), TOLERANCE), `looped clip frame ${frame} shows ${frame % 10}`);
    }
  });
});

describe('render: audio', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = audioProject(); });
  after(() => removeProject(project));

  test('an <audio> clip starts within one frame of its offset, silent before and after its slot', async () => {
    const output = path.join(project, 'audio.mp4');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    assert.equal(result.hasAudio, true);
    const { audio, video, formatDuration } = probeStreams(output);
    assert.equal(audio?.codec_name, 'aac');
    assert.equal(Number(video?.nb_read_frames), 60);
    assert.ok(Math.abs(Number(audio?.duration) - 2) < 0.05, `audio lasts the video's 2 s, got ${audio?.duration}`);
    assert.ok(Math.abs(formatDuration - 2) < 0.05);
    const samples = audioSamples(output);
    const onset = audioOnset(samples);
    const end = audioEnd(samples);
    assert.ok(onset !== undefined && Math.abs(onset - 0.7) <= FRAME_S, `onset ${onset}`);
    assert.ok(end !== undefined && Math.abs(end - 1.2) <= FRAME_S, `end ${end}`);
  });

  test('webm carries Opus', async () => {
    const output = path.join(project, 'audio.webm');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, format: 'webm', quality: 'draft' });
    const { audio } = probeStreams(output);
    assert.equal(audio?.codec_name, 'opus');
    const onset = audioOnset(audioSamples(output));
    assert.ok(onset !== undefined && Math.abs(onset - 0.7) <= FRAME_S, `onset ${onset}`);
  });

  test('an unmuted video with sound is heard from its start; a muted one is not', async () => {
    const dir = makeProject({
      'index.html': compositionHtml({
        duration: 1.5,
        body: `
<video id="loud" src="media/loud.mp4" playsinline data-has-audio="true" data-start="0.5" data-duration="0.5" data-track-index="0" style="position:absolute;width:80px;height:45px"></video>
<video id="quiet" src="media/loud.mp4" muted playsinline data-start="0" data-duration="0.4" data-track-index="1" style="position:absolute;left:100px;width:80px;height:45px"></video>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    try {
      makeNumberedVideo(path.join(dir, 'media/loud.mp4'), 30, 30, true);
      const output = path.join(dir, 'out.mp4');
      const result = await renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output });
      assert.equal(result.hasAudio, true);
      const samples = audioSamples(output);
      const onset = audioOnset(samples);
      assert.ok(onset !== undefined && Math.abs(onset - 0.5) <= FRAME_S, `onset ${onset}`);
      const end = audioEnd(samples);
      assert.ok(end !== undefined && Math.abs(end - 1.0) <= FRAME_S, `end ${end}`);
    } finally {
      removeProject(dir);
    }
  });

  test('nothing audible: no audio stream', async () => {
    const dir = makeProject({
      'index.html': compositionHtml({
        body: `<audio id="silent" src="media/tone.wav" muted data-start="0" data-duration="1" data-track-index="0"></audio>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    try {
      makeTone(path.join(dir, 'media/tone.wav'), 1);
      const output = path.join(dir, 'out.mp4');
      const result = await renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output });
      assert.equal(result.hasAudio, false);
      assert.equal(probeStreams(output).audio, undefined);
    } finally {
      removeProject(dir);
    }
  });
});
