// Transparent output end to end (real Chromium, real ffmpeg): a composition with see-through html, body and
// root renders with alpha 0 where nothing is drawn, 255 on an opaque box and about half on a 50 % fill —
// as RGBA PNGs and as VP9-with-alpha WebM (through the audio mux too). MP4 is refused; without
// `transparent` the same page renders opaque on Chromium's white default background, as before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { StageError } from '../../server/engine/errors';
import { transparentProject } from '../fixtures/render/compositions';
import { closeTo, FFPROBE, leftovers, rgbaAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
// PNG frames are exact; VP9's yuva420p moves a flat colour by a few levels.
const PNG_TOLERANCE = 2;
const VP9_TOLERANCE = 14;
const ORANGE_OPAQUE = [255, 64, 0, 255];
const CLEAR = 0;
const HALF_ALPHA = 128;

// Sample points (320x180 fixture): the box starts at (40..120, 40..120) and moves down 60 px over 1 s, so
// (80, 50) is on it at frame 0 and see-through by frame 29, and (80, 150) the other way round.
const BOX_START = { x: 80, y: 50 };
const BOX_END = { x: 80, y: 150 };
const HALF = { x: 240, y: 80 };
const EMPTY = { x: 300, y: 10 };

describe('render: transparent PNG sequence', { timeout: TIMEOUT }, () => {
  let project: string;
  let folder: string;

  before(async () => {
    project = transparentProject();
    folder = path.join(project, 'frames');
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: folder, format: 'png', transparent: true });
    assert.equal(result.frames, 30);
  });
  after(() => removeProject(project));

  test('RGBA frames: the box opaque in its colour, the background alpha 0, the 50 % fill half alpha', () => {
    const first = path.join(folder, 'frame-00001.png');
    const last = path.join(folder, 'frame-00030.png');
    const probe = spawnSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=pix_fmt', '-of', 'csv=p=0', first], { encoding: 'utf8' });
    assert.equal(probe.stdout.trim(), 'rgba');
    const box = rgbaAt(first, 0, BOX_START.x, BOX_START.y);
    assert.ok(closeTo(box, ORANGE_OPAQUE, PNG_TOLERANCE), `box ${box}`);
    assert.equal(rgbaAt(first, 0, EMPTY.x, EMPTY.y)[3], CLEAR);
    assert.equal(rgbaAt(last, 0, BOX_START.x, BOX_START.y)[3], CLEAR, 'the box has moved away by frame 29');
    assert.ok(closeTo(rgbaAt(last, 0, BOX_END.x, BOX_END.y), ORANGE_OPAQUE, PNG_TOLERANCE), 'the box has moved here by frame 29');
    // Real alpha, not crushed to 0/255: straight (unpremultiplied) blue at half alpha.
    const half = rgbaAt(first, 0, HALF.x, HALF.y);
    assert.ok(closeTo(half, [0, 0, 255, HALF_ALPHA], PNG_TOLERANCE), `half ${half}`);
  });
});

describe('render: transparent WebM (VP9 alpha), with audio', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;

  before(async () => {
    project = transparentProject({ withAudio: true });
    output = path.join(project, 'out', 'clear.webm');
    // No format: a transparent render is WebM.
    const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, transparent: true, quality: 'high' });
    assert.equal(result.format, 'webm');
    assert.equal(result.hasAudio, true);
  });
  after(() => removeProject(project));

  test('ffprobe: VP9 with the ALPHA_MODE=1 tag, 30 frames, opus audio', () => {
    const out = spawnSync(FFPROBE, ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', output], { encoding: 'utf8' });
    const streams = (JSON.parse(out.stdout) as { streams: Array<{ codec_type: string; codec_name: string; nb_read_frames?: string; tags?: Record<string, string> }> }).streams;
    const video = streams.find(s => s.codec_type === 'video');
    assert.equal(video?.codec_name, 'vp9');
    assert.equal(video?.tags?.ALPHA_MODE ?? video?.tags?.alpha_mode, '1');
    assert.equal(Number(video?.nb_read_frames), 30);
    assert.equal(streams.find(s => s.codec_type === 'audio')?.codec_name, 'opus');
  });

  test('decoded with libvpx: background alpha 0, box alpha 255 in its colour, half alpha on the 50 % fill', () => {
    assert.ok(closeTo(rgbaAt(output, 0, BOX_START.x, BOX_START.y), ORANGE_OPAQUE, VP9_TOLERANCE), `box ${rgbaAt(output, 0, BOX_START.x, BOX_START.y)}`);
    assert.equal(rgbaAt(output, 0, EMPTY.x, EMPTY.y)[3], CLEAR);
    assert.equal(rgbaAt(output, 29, BOX_START.x, BOX_START.y)[3], CLEAR);
    assert.ok(closeTo(rgbaAt(output, 29, BOX_END.x, BOX_END.y), ORANGE_OPAQUE, VP9_TOLERANCE));
    const half = rgbaAt(output, 15, HALF.x, HALF.y)[3];
    assert.ok(Math.abs(half - HALF_ALPHA) <= VP9_TOLERANCE, `half alpha ${half}`);
  });
});

describe('render: transparent MP4 is refused; opaque renders stay opaque', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = transparentProject(); });
  after(() => removeProject(project));

  test('renderJob: StageError transparent-mp4 before anything starts, no output', async () => {
    const output = path.join(project, 'out', 'x.mp4');
    await assert.rejects(
      renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, format: 'mp4', transparent: true }),
      (e: unknown) => e instanceof StageError && e.code === 'transparent-mp4' && /MP4\/H\.264 has no alpha channel: use --format webm or png/.test(e.message),
    );
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(project), []);
  });

  test('CLI: --transparent with an MP4 is a usage error (exit 2) with the reason', () => {
    const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--transparent', '--format', 'mp4'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /MP4\/H\.264 has no alpha channel: use --format webm or png/);
    assert.equal(fs.existsSync(path.join(project, 'renders')), false);
  });

  test('without transparent the see-through page renders on white, alpha 255', async () => {
    const folder = path.join(project, 'opaque');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: folder, format: 'png', range: { start: 0, end: 0.1 } });
    const first = path.join(folder, 'frame-00001.png');
    assert.ok(closeTo(rgbaAt(first, 0, EMPTY.x, EMPTY.y), [255, 255, 255, 255], PNG_TOLERANCE));
    // The 50 % blue over white.
    assert.ok(closeTo(rgbaAt(first, 0, HALF.x, HALF.y), [127, 127, 255, 255], PNG_TOLERANCE), `half ${rgbaAt(first, 0, HALF.x, HALF.y)}`);
  });
});
