// The output formats beyond MP4/WebM/PNG, end to end (real Chromium, real ffmpeg): MOV is ProRes 4444 with
// its alpha channel read back from a decoded frame, and PCM audio; a GIF has the frame count of its 15 fps
// default, the loop count written in its NETSCAPE2.0 block, a palette that keeps the box's colour and a
// transparent background when asked; HLS is a VOD playlist whose every segment starts on a keyframe and
// which ffprobe reads as one stream of all the frames. --crf and --video-bitrate change what the encoder
// writes, and the options a format cannot honour are refused before any work.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderOptions } from '../../server/engine/render/types';
import { StageError } from '../../server/engine/errors';
import { transparentProject } from '../fixtures/render/compositions';
import { closeTo, compositionHtml, FFMPEG, FFPROBE, leftovers, makeProject, makeTone, removeProject, rgbaAt } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
const ORANGE = [255, 64, 0];
// transparentProject (320x180, 1 s at 30 fps): an orange box at (40..120, 40..120) moving down 60 px, a 50 %
// blue square at (200..280, 40..120), nothing else.
const BOX = { x: 80, y: 50 };
const HALF = { x: 240, y: 80 };
const EMPTY = { x: 300, y: 10 };
const TEN_BIT_MAX = 1023;

interface Stream { codec_type: string; codec_name: string; profile?: string; pix_fmt?: string; nb_read_frames?: string; r_frame_rate?: string; width?: number; height?: number }

function streams(file: string, countFrames = true): Stream[] {
  const out = execFileSync(FFPROBE, ['-v', 'error', ...(countFrames ? ['-count_frames'] : []), '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: Stream[] }).streams;
}

/** The alpha sample (0–1023) of pixel (x, y) in frame 0, decoded to ProRes' own 10-bit 4:4:4 with alpha. */
function tenBitAlpha(file: string, x: number, y: number): number {
  const raw = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,0),crop=1:1:${x}:${y}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'yuva444p10le', '-']);
  // Planar Y, U, V, A: one 16-bit little-endian sample each.
  return raw.readUInt16LE(6);
}

/**
 * A 320x180 composition of `seconds` with an orange box crossing a white page, and optionally a tone, or a
 * page of fine stripes (`detailed`: where a codec's rate control shows in the file size).
 */
function movingBoxProject(seconds: number, withAudio = false, detailed = false): string {
  const stripes = detailed ? '#root { background: repeating-linear-gradient(30deg, #135 0 2px, #fda 2px 5px); }\n' : '';
  const dir = makeProject({
    'index.html': compositionHtml({
      duration: seconds,
      style: `${stripes}#box { position: absolute; left: 20px; top: 40px; width: 80px; height: 80px; background: rgb(255, 64, 0); }`,
      body: `<div id="box"></div>${withAudio ? `\n<audio id="tone" src="media/tone.wav" data-start="0" data-duration="${seconds}" data-track-index="0"></audio>` : ''}`,
      script: `
const tl = gsap.timeline({ paused: true });
tl.to('#box', { x: 200, duration: ${seconds}, ease: 'none' }, 0);
window.__timelines['main'] = tl;`,
    }),
  });
  if (withAudio) makeTone(path.join(dir, 'media/tone.wav'), seconds);
  return dir;
}

function render(project: string, options: Partial<RenderOptions>) {
  return renderJob({ entryFile: path.join(project, 'index.html'), ...options });
}

describe('render: MOV (ProRes 4444)', { timeout: TIMEOUT }, () => {
  let project: string;
  let transparentMov: string;
  let opaqueMov: string;

  before(async () => {
    project = transparentProject({ withAudio: true });
    transparentMov = path.join(project, 'out', 'clear.mov');
    opaqueMov = path.join(project, 'out', 'opaque.mov');
    const clear = await render(project, { outputPath: transparentMov, format: 'mov', transparent: true });
    assert.equal(clear.format, 'mov');
    assert.equal(clear.hasAudio, true);
    await render(project, { outputPath: opaqueMov, format: 'mov' });
  });
  after(() => removeProject(project));

  test('ffprobe: ProRes profile 4444 with an alpha plane, 30 frames, PCM audio', () => {
    const [video, audio] = ['video', 'audio'].map(type => streams(transparentMov).find(s => s.codec_type === type));
    assert.equal(video?.codec_name, 'prores');
    assert.equal(video?.profile, '4444');
    // ffmpeg's ProRes decoder reports 4444 as 12-bit; the encoder wrote 10-bit yuva444p10le.
    assert.match(video?.pix_fmt ?? '', /^yuva444p1[02]le$/);
    assert.equal(Number(video?.nb_read_frames), 30);
    assert.equal(audio?.codec_name, 'pcm_s24le');
    assert.deepEqual(leftovers(project), []);
  });

  test('a decoded frame keeps alpha: 0 where nothing is drawn, 1023 on the box, half on the 50 % fill; colours exact', () => {
    assert.equal(tenBitAlpha(transparentMov, EMPTY.x, EMPTY.y), 0);
    assert.equal(tenBitAlpha(transparentMov, BOX.x, BOX.y), TEN_BIT_MAX);
    const half = tenBitAlpha(transparentMov, HALF.x, HALF.y);
    assert.ok(Math.abs(half - TEN_BIT_MAX / 2) < 12, `half alpha ${half}`);
    const box = rgbaAt(transparentMov, 0, BOX.x, BOX.y);
    assert.ok(closeTo(box, [...ORANGE, 255], 2), `box ${box}`);
  });

  test('an opaque MOV has no alpha plane and the page\'s white where nothing is drawn', () => {
    const video = streams(opaqueMov, false).find(s => s.codec_type === 'video');
    assert.match(video?.pix_fmt ?? '', /^yuv444p1[02]le$/);
    assert.ok(closeTo(rgbaAt(opaqueMov, 0, EMPTY.x, EMPTY.y), [255, 255, 255, 255], 2));
  });
});

/** The loop count of a GIF's NETSCAPE2.0 application extension; undefined without one (plays once). */
function gifLoopCount(file: string): number | undefined {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf('NETSCAPE2.0', 0, 'latin1');
  if (at < 0) return undefined;
  // "NETSCAPE2.0", then a 3-byte sub-block: size 3, id 1, the count as 16-bit little-endian.
  const block = at + 'NETSCAPE2.0'.length;
  assert.equal(bytes[block], 3);
  assert.equal(bytes[block + 1], 1);
  return bytes.readUInt16LE(block + 2);
}

describe('render: GIF', { timeout: TIMEOUT }, () => {
  let project: string;
  let clearProject: string;
  let gif: string;
  let clearGif: string;

  before(async () => {
    project = movingBoxProject(1);
    clearProject = transparentProject();
    gif = path.join(project, 'out', 'box.gif');
    clearGif = path.join(clearProject, 'out', 'clear.gif');
    // No fps: a GIF's default (15) rather than the composition's 30.
    const result = await render(project, { outputPath: gif, format: 'gif', gifLoop: 3 });
    assert.equal(result.fps, 15);
    assert.equal(result.frames, 15);
    await render(clearProject, { outputPath: clearGif, format: 'gif', transparent: true });
  });
  after(() => { removeProject(project); removeProject(clearProject); });

  test('ffprobe: a GIF of 15 frames at 15 fps for 1 s', () => {
    const video = streams(gif).find(s => s.codec_type === 'video');
    assert.equal(video?.codec_name, 'gif');
    assert.equal(Number(video?.nb_read_frames), 15);
    assert.equal(video?.r_frame_rate, '15/1');
  });

  test('the NETSCAPE2.0 block holds the asked loop count; without --gif-loop it loops forever (0)', () => {
    assert.equal(gifLoopCount(gif), 3);
    assert.equal(gifLoopCount(clearGif), 0);
  });

  test('the palette keeps the box orange and the page white; the box moves', () => {
    // Frame 0: box at x 20..100; frame 14 (t = 14/15 s): moved 186.7 px right.
    assert.ok(closeTo(rgbaAt(gif, 0, 60, 80).slice(0, 3), ORANGE, 6), `box ${rgbaAt(gif, 0, 60, 80)}`);
    assert.ok(closeTo(rgbaAt(gif, 0, 250, 80).slice(0, 3), [255, 255, 255], 3));
    assert.ok(closeTo(rgbaAt(gif, 14, 250, 80).slice(0, 3), ORANGE, 6), `moved box ${rgbaAt(gif, 14, 250, 80)}`);
    assert.ok(closeTo(rgbaAt(gif, 14, 60, 80).slice(0, 3), [255, 255, 255], 3));
  });

  test('a transparent GIF: see-through where nothing is drawn, the box opaque', () => {
    assert.equal(rgbaAt(clearGif, 0, EMPTY.x, EMPTY.y)[3], 0);
    const box = rgbaAt(clearGif, 0, BOX.x, BOX.y);
    assert.ok(closeTo(box, [...ORANGE, 255], 6), `box ${box}`);
  });
});

describe('render: HLS', { timeout: TIMEOUT }, () => {
  let project: string;
  let folder: string;
  const SEGMENT_SECONDS = 1;

  before(async () => {
    project = movingBoxProject(3, true);
    folder = path.join(project, 'out', 'stream');
    const result = await render(project, { outputPath: folder, format: 'hls', hlsSegmentSeconds: SEGMENT_SECONDS });
    assert.equal(result.format, 'hls');
    assert.equal(result.frames, 90);
    assert.equal(result.hasAudio, true);
  });
  after(() => removeProject(project));

  const segments = () => fs.readFileSync(path.join(folder, 'index.m3u8'), 'utf8').split('\n').filter(line => line.endsWith('.ts'));

  test('a VOD playlist of 1 s segments', () => {
    const playlist = fs.readFileSync(path.join(folder, 'index.m3u8'), 'utf8');
    assert.match(playlist, /^#EXT-X-PLAYLIST-TYPE:VOD$/m);
    assert.match(playlist, /^#EXT-X-ENDLIST$/m);
    assert.match(playlist, /^#EXT-X-TARGETDURATION:1$/m);
    assert.deepEqual(segments(), ['segment-000.ts', 'segment-001.ts', 'segment-002.ts']);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['index.m3u8', ...segments()]);
    assert.deepEqual(leftovers(project), []);
  });

  test('ffprobe reads the playlist as H.264 + AAC with all 90 frames', () => {
    const all = streams(path.join(folder, 'index.m3u8'));
    const video = all.find(s => s.codec_type === 'video');
    assert.equal(video?.codec_name, 'h264');
    assert.equal(Number(video?.nb_read_frames), 90);
    assert.equal(all.find(s => s.codec_type === 'audio')?.codec_name, 'aac');
  });

  test('every segment starts on a keyframe and holds 30 frames', () => {
    for (const segment of segments()) {
      const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=key_frame,pict_type', '-of', 'csv=p=0', path.join(folder, segment)], { encoding: 'utf8' });
      const frames = out.split('\n').filter(line => /\d/.test(line));
      assert.equal(frames.length, 30, segment);
      assert.match(frames[0], /^1,I/, `${segment} starts with ${frames[0]}`);
    }
  });
});

describe('render: --crf and --video-bitrate override the quality preset', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = movingBoxProject(1, false, true); });
  after(() => removeProject(project));

  test('MP4 and WebM: a higher CRF writes a smaller file; a higher bitrate a bigger one', async () => {
    const size = async (format: 'mp4' | 'webm', rateControl: RenderOptions['rateControl'], name: string) =>
      (await render(project, { outputPath: path.join(project, 'out', `${name}.${format}`), format, rateControl })).sizeBytes;
    for (const format of ['mp4', 'webm'] as const) {
      const fine = await size(format, { crf: 4 }, 'fine');
      const coarse = await size(format, { crf: 50 }, 'coarse');
      assert.ok(coarse * 2 < fine, `${format}: crf 50 ${coarse} B vs crf 4 ${fine} B`);
      const low = await size(format, { bitrate: 50_000 }, 'low');
      const high = await size(format, { bitrate: 4_000_000 }, 'high');
      assert.ok(low * 2 < high, `${format}: 50 kbit/s ${low} B vs 4 Mbit/s ${high} B`);
    }
  });

  test('refused before any work: a CRF out of the codec\'s range, a rate for a GIF, a transparent HLS', async () => {
    const refused = async (options: Partial<RenderOptions>, code: string) => {
      await assert.rejects(render(project, options), (error: unknown) => error instanceof StageError && error.stage === 'compile' && error.code === code);
    };
    await refused({ format: 'mp4', rateControl: { crf: 60 } }, 'invalid-crf');
    await refused({ format: 'gif', rateControl: { crf: 20 } }, 'rate-control-format');
    await refused({ format: 'hls', transparent: true }, 'transparent-hls');
    await refused({ format: 'gif', gifLoop: -1 }, 'invalid-gif-loop');
    assert.equal(fs.existsSync(path.join(project, 'renders')), false, 'nothing written');
  });

  test('CLI: usage errors (exit 2) for --crf with --video-bitrate, a bad bitrate, --gif-loop or --hls-segment-seconds on another format', () => {
    for (const args of [
      ['--crf', '20', '--video-bitrate', '5M'],
      ['--video-bitrate', 'fast'],
      ['--format', 'gif', '--crf', '20'],
      ['--gif-loop', '2'],
      ['--format', 'gif', '--gif-loop', '70000'],
      ['--hls-segment-seconds', '2'],
      ['--format', 'hls', '--transparent'],
      ['-o', 'out.mov', '--format', 'gif'],
    ]) {
      const result = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), ...args], { encoding: 'utf8', cwd: project });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^hyperframes-live render: /, args.join(' '));
    }
  });
});
