// How a video source's frames are listed and found (capture/sourceFrames.ts, videoFrameExtraction.ts): from
// the packets of MP4 and WebM, by decoding elsewhere; the list the same as the decoder's; a trimmed MP4 (an
// edit list that starts inside a GOP) and an MPEG-TS starting at 2.8 s shown frame for frame; a planned frame
// the decoder never gives replaced by the nearest earlier one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readSourceFrames } from '../../server/engine/capture/sourceFrames';
import { probeVideoStream } from '../../server/engine/compile/mediaProbe';
import { VideoFrameCache } from '../../server/engine/capture/videoFrameCache';
import { FrameExtractions } from '../../server/engine/capture/videoFrameExtraction';
import { silentLogger } from '../../server/engine/logger';
import { renderJob } from '../../server/engine/render/renderJob';
import { closeTo, compositionHtml, FFMPEG, FFPROBE, makeNumberedVideo, makeProject, numberedColour, pixelAt, removeProject } from '../fixtures/render/helpers';
import { makeVariableRateVideo } from '../fixtures/render/videoSources';

const TIMEOUT = 180_000;
/** Numbered colours are 80 levels apart per channel: a wrong frame is far outside this. */
const TOLERANCE = 20;
const FPS = 30;

/** numberedColour(n) frames like makeNumberedVideo's, but with GOPs of 15 and B-frames (stored out of order). */
function makeNumberedGopVideo(file: string, frames: number, extra: string[] = []): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const expr = (shift: number) => `mod(floor(N/${4 ** shift})\\,4)*80+8`;
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=black:s=64x36:r=${FPS}:d=${frames / FPS}`,
    '-vf', `format=rgb24,geq=r='${expr(0)}':g='${expr(1)}':b='${expr(2)}',format=yuv444p`,
    // Lossless x264 codes no B-frames, and a scene cut makes every frame of these a keyframe: near-lossless
    // (qp 1), with scene cuts off and fixed groups of three B-frames.
    '-frames:v', String(frames), '-c:v', 'libx264', '-qp', '1', '-g', '15', '-x264-params', 'scenecut=0:b-adapt=0:bframes=3', ...extra, '-y', file]);
}

/** The engine's list, from the stream's probe as the plan reads it. */
async function listFrames(file: string, untilSeconds: number) {
  return readSourceFrames(FFPROBE, file, await probeVideoStream(FFPROBE, file), untilSeconds);
}

/** The decoder's own list: every decoded frame's best-effort timestamp. */
function decodedPts(file: string, untilSeconds: number): number[] {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const { streams } = JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base,start_time', '-of', 'json', file], { encoding: 'utf8' })) as { streams: Array<{ time_base: string; start_time: string }> };
  const start = streams[0].start_time;
  const [num, den] = streams[0].time_base.split('/').map(Number);
  return out.split('\n').map(line => line.split(',')[0].trim()).filter(Boolean).map(Number).filter(pts => (pts * num) / den < Number(start) + untilSeconds);
}

function packetOrder(file: string): Array<[number, number]> {
  return execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,dts', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map(line => line.split(',').map(Number) as [number, number]);
}

function packetFlags(file: string): string[] {
  return execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('source frames: the list read from packets is the decoder\'s', { timeout: TIMEOUT }, () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-source-frames-'));
    makeNumberedGopVideo(path.join(dir, 'gop.mp4'), 90);
    makeNumberedGopVideo(path.join(dir, 'gop.mkv'), 90);
    makeNumberedVideo(path.join(dir, 'clip.webm'), 45, FPS);
    makeVariableRateVideo(path.join(dir, 'vfr.mp4'), [0, 0.02, 0.05, 0.2, 0.21, 0.5, 0.9, 0.933, 1.4]);
    execFileSync(FFMPEG, ['-v', 'error', '-ss', '1.3', '-i', path.join(dir, 'gop.mp4'), '-t', '1.5', '-c', 'copy', '-y', path.join(dir, 'trimmed.mp4')]);
    makeNumberedGopVideo(path.join(dir, 'late.ts'), 60, ['-output_ts_offset', '1.4']);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, until] of [['gop.mp4', 2], ['gop.mkv', 2], ['clip.webm', 1.2], ['vfr.mp4', 1], ['trimmed.mp4', 1.2]] as const) {
    test(`${name}: from its packets, the same timestamps as decoding it, up to ${until} s`, async () => {
      const listed = await listFrames(path.join(dir, name), until);
      assert.equal(listed.listedFrom, 'packets');
      assert.deepEqual(listed.pts, decodedPts(path.join(dir, name), until));
      assert.equal(listed.times[0], 0);
    });
  }

  test('the fixtures store B-frames out of order; the trimmed MP4 holds packets the demuxer discards, and the list starts after them', async () => {
    assert.ok(packetOrder(path.join(dir, 'gop.mp4')).some(([pts, dts]) => pts !== dts), 'gop.mp4 has B-frames');
    assert.ok(packetFlags(path.join(dir, 'trimmed.mp4')).some(flags => flags.includes('D')), 'the fixture has discarded packets');
    const listed = await listFrames(path.join(dir, 'trimmed.mp4'), 1.2);
    // 1.2 s of a 30 fps source: 36 frames, all of them (a list measured from the first, discarded, packet ended 1.3 s early).
    assert.equal(listed.pts.length, 36);
  });

  test('an MPEG-TS (its timestamps start at 2.8 s) is listed by decoding, from its start', async () => {
    const listed = await listFrames(path.join(dir, 'late.ts'), 1);
    assert.equal(listed.listedFrom, 'decoding');
    assert.equal(listed.pts.length, 30);
    assert.equal(listed.pts[0], 252_000, "2.8 s at 90 kHz");
    assert.deepEqual(listed.pts, decodedPts(path.join(dir, 'late.ts'), 1));
  });

  test('a planned frame the decoder never gives is replaced by the nearest earlier one; before the first, by the first', async () => {
    const source = path.join(dir, 'gop.mp4');
    const { pts } = await listFrames(source, 1);
    // Timestamps of no frame: between frames 4 and 5, before frame 0, after the last.
    const framePts = [pts[0] - 7, ...pts.slice(0, 5), pts[4] + 1, ...pts.slice(5), pts[pts.length - 1] + 100_000];
    const extractions = new FrameExtractions(new VideoFrameCache({ dir: path.join(dir, 'cache'), maxBytes: 0 }), { ffmpegPath: FFMPEG, workDir: dir, logger: silentLogger });
    try {
      const { files } = await extractions.request({
        label: 'gop', source, untilSeconds: 1, filter: 'format=yuvj420p', image: 'jpeg', framePts, sourceIndices: framePts.map((_, i) => i),
      });
      const ready = async (index: number) => path.basename(await extractions.ready(files.get(index)!));
      assert.equal(await ready(3), `${pts[2]}.jpg`, 'a real frame is its own file');
      assert.equal(await ready(6), `${pts[4]}.jpg`, 'between frames 4 and 5: frame 4');
      assert.equal(await ready(0), `${pts[0]}.jpg`, 'before the first: the first');
      assert.equal(await ready(framePts.length - 1), `${pts[pts.length - 1]}.jpg`, 'after the last: the last');
    } finally {
      await extractions.close();
    }
  });

  test('the same stand-ins from the frame cache, once the extraction is kept there', async () => {
    const source = path.join(dir, 'gop.mp4');
    const { pts } = await listFrames(source, 1);
    const framePts = [...pts.slice(0, 5), pts[4] + 1, ...pts.slice(5)];
    const request = { label: 'gop', source, untilSeconds: 1, filter: 'format=yuvj420p', image: 'jpeg' as const, framePts, sourceIndices: framePts.map((_, i) => i) };
    const cache = { dir: path.join(dir, 'kept'), maxBytes: 64 * 1024 * 1024 };
    const first = new FrameExtractions(new VideoFrameCache(cache), { ffmpegPath: FFMPEG, workDir: dir, logger: silentLogger });
    const extracted = await first.request(request);
    // A frame with no file is answered only once the extraction is done: then close() keeps it in the cache.
    assert.equal(path.basename(await first.ready(extracted.files.get(5)!)), `${pts[4]}.jpg`);
    await first.close();
    const second = new FrameExtractions(new VideoFrameCache(cache), { ffmpegPath: FFMPEG, workDir: dir, logger: silentLogger });
    try {
      const { files, fromCache } = await second.request(request);
      assert.equal(fromCache, true);
      assert.equal(path.basename(await second.ready(files.get(5)!)), `${pts[4]}.jpg`, 'between frames 4 and 5: frame 4');
      assert.equal(path.basename(await second.ready(files.get(2)!)), `${pts[2]}.jpg`);
    } finally {
      await second.close();
    }
  });
});

describe('render: a trimmed MP4 and an MPEG-TS show their own frames', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 1.2,
        body: `
<video id="trimmed" src="media/trimmed.mp4" muted playsinline data-start="0" data-duration="1.2" data-track-index="0" style="position:absolute;left:0;top:0;width:160px;height:90px"></video>
<video id="late" src="media/late.ts" muted playsinline data-start="0.2" data-duration="1" data-track-index="1" style="position:absolute;left:160px;top:0;width:160px;height:90px"></video>`,
        script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
      }),
    });
    makeNumberedGopVideo(path.join(project, 'media/full.mp4'), 90);
    execFileSync(FFMPEG, ['-v', 'error', '-ss', '1.3', '-i', path.join(project, 'media/full.mp4'), '-t', '1.5', '-c', 'copy', '-y', path.join(project, 'media/trimmed.mp4')]);
    makeNumberedGopVideo(path.join(project, 'media/late.ts'), 60, ['-output_ts_offset', '1.4']);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
  });
  after(() => removeProject(project));

  test('the trimmed clip starts at the cut (source frame 39) and shows each frame after it', () => {
    const wrong: string[] = [];
    for (let frame = 0; frame < 36; frame++) {
      const actual = pixelAt(output, frame, 80, 45);
      if (!closeTo(actual, numberedColour(39 + frame), TOLERANCE)) wrong.push(`frame ${frame}: source ${39 + frame} ${numberedColour(39 + frame)}, got ${actual}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('the MPEG-TS clip shows its frame 0 at its start and each frame after it', () => {
    const wrong: string[] = [];
    for (let frame = 6; frame < 36; frame++) {
      const actual = pixelAt(output, frame, 240, 45);
      if (!closeTo(actual, numberedColour(frame - 6), TOLERANCE)) wrong.push(`frame ${frame}: source ${frame - 6} ${numberedColour(frame - 6)}, got ${actual}`);
    }
    assert.deepEqual(wrong, []);
  });
});
