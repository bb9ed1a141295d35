// Rational frame rates end to end (real Chromium, real ffmpeg, through the CLI): `--fps 30000/1001` renders
// round-or-ceil(d·30000/1001) frames, the MP4's time base follows the rational (frame N at N·1001/30000 s in
// ffprobe), and the page is seeked to those exact times: a clip that starts at 1.0005 s is absent from
// frame 29 (0.9676 s) and present on frame 30 (1.001 s), where an integer 30 fps would show it one frame later.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeTo, compositionHtml, FFPROBE, makeProject, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
const NTSC = { num: 30000, den: 1001 };
const MARK = { x: 160, y: 90 };
const GREEN = [0, 200, 0];
const WHITE = [255, 255, 255];
const TOLERANCE = 12;

function cliRender(project: string, args: string[]): { result: { frames: number; frameRate: string; duration: number }; status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'render', project, '--json', ...args], { encoding: 'utf8', timeout: TIMEOUT });
  const line = String(run.stdout).split('\n').find(l => l.includes('"event":"result"'));
  return { result: line ? JSON.parse(line) as { frames: number; frameRate: string; duration: number } : { frames: 0, frameRate: '', duration: 0 }, status: run.status, stderr: String(run.stderr) };
}

describe('render: --fps 30000/1001', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  let rendered: ReturnType<typeof cliRender>;

  before(() => {
    // 2 s at a declared 30 fps, --fps overrides it: 2·30000/1001 = 59.94 frames → 60 (ceil).
    project = makeProject({
      'index.html': compositionHtml({
        duration: 2,
        style: '#mark { position: absolute; left: 140px; top: 70px; width: 40px; height: 40px; background: rgb(0, 200, 0); }',
        body: '<div id="mark" class="clip" data-start="1.0005" data-duration="0.999" data-track-index="0"></div>',
      }),
    });
    output = path.join(project, 'out', 'ntsc.mp4');
    rendered = cliRender(project, ['--fps', '30000/1001', '-o', output]);
    assert.equal(rendered.status, 0, rendered.stderr);
  });
  after(() => removeProject(project));

  test('60 frames, the rate reported as the rational, the duration 60·1001/30000 s', () => {
    assert.equal(rendered.result.frames, 60);
    assert.equal(rendered.result.frameRate, '30000/1001');
    assert.ok(Math.abs(rendered.result.duration - 60 * NTSC.den / NTSC.num) < 1e-9, `duration ${rendered.result.duration}`);
    const streams = execFileSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=r_frame_rate,avg_frame_rate,nb_read_frames', '-of', 'json', output], { encoding: 'utf8' });
    const video = (JSON.parse(streams) as { streams: Array<{ r_frame_rate: string; avg_frame_rate: string; nb_read_frames: string }> }).streams[0];
    assert.equal(video.r_frame_rate, '30000/1001');
    assert.equal(video.avg_frame_rate, '30000/1001');
    assert.equal(Number(video.nb_read_frames), 60);
  });

  test('ffprobe: frame N is stamped N·1001/30000 s', () => {
    const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', output], { encoding: 'utf8' });
    const times = out.split('\n').map(line => line.replace(/,.*$/, '').trim()).filter(Boolean).map(Number);
    assert.equal(times.length, 60);
    for (const n of [1, 30, 45, 59]) {
      const expected = (n * NTSC.den) / NTSC.num;
      assert.ok(Math.abs(times[n] - expected) < 1e-5, `frame ${n}: ${times[n]} s, expected ${expected} s`);
    }
  });

  test('the page is seeked to the rational frame times: frame 30 (1.001 s) shows the clip from 1.0005 s, frame 29 does not', () => {
    assert.ok(closeTo(pixelAt(output, 29, MARK.x, MARK.y), WHITE, TOLERANCE), `frame 29 ${pixelAt(output, 29, MARK.x, MARK.y)}`);
    assert.ok(closeTo(pixelAt(output, 30, MARK.x, MARK.y), GREEN, TOLERANCE), `frame 30 ${pixelAt(output, 30, MARK.x, MARK.y)}`);
  });
});

describe('render: other rates and bad ones', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({ 'index.html': compositionHtml({ duration: 1, body: '<div id="box" style="position:absolute;left:10px;top:10px;width:20px;height:20px;background:#000"></div>' }) });
  });
  after(() => removeProject(project));

  test('24000/1001 for 1 s: 23.976 frames → 24; 24 (whole) for 1 s: 24', () => {
    const ntsc = cliRender(project, ['--fps', '24000/1001', '-o', path.join(project, 'out', 'film.mp4')]);
    assert.equal(ntsc.status, 0, ntsc.stderr);
    assert.equal(ntsc.result.frames, 24);
    assert.equal(ntsc.result.frameRate, '24000/1001');
    const whole = cliRender(project, ['--fps', '24', '-o', path.join(project, 'out', 'whole.mp4')]);
    assert.equal(whole.result.frames, 24);
    assert.equal(whole.result.frameRate, '24');
  });

  test('usage errors (exit 2): a decimal, 0, above 240, a zero denominator, a word', () => {
    for (const fps of ['29.97', '0', '241', '30000/0', 'fast', '480/1']) {
      const run = spawnSync(process.execPath, [CLI, 'render', project, '--fps', fps], { encoding: 'utf8' });
      assert.equal(run.status, 2, `--fps ${fps}: ${run.stderr}`);
      assert.match(String(run.stderr), /^hyperframes-live render: --fps: /, fps);
    }
  });
});
