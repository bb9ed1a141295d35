// Tool paths are inputs, not environment: a render given --ffmpeg measures its media with the ffprobe
// beside that ffmpeg too (compile used to look on PATH only), so a machine whose ffmpeg lives in a folder
// that is not on PATH renders a video written without data-duration. Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compositionHtml, makeNumberedVideo, makeProject, probeStreams, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 120_000;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

function which(tool: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  assert.ok(found, `${tool} is installed`);
  return fs.realpathSync(found);
}

describe('render: --ffmpeg reaches every stage', { timeout: TIMEOUT }, () => {
  let project: string;
  let tools: string;
  before(() => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: null,
        body: '<video id="clip" src="clip.mp4" muted data-start="0" data-track-index="0" style="position:absolute;left:0;top:0;width:160px;height:90px"></video>',
        script: "window.__timelines['main'] = gsap.timeline({ paused: true });",
      }),
    });
    makeNumberedVideo(path.join(project, 'clip.mp4'), 30, 30);
    tools = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-private-ffmpeg-'));
    for (const tool of ['ffmpeg', 'ffprobe']) fs.copyFileSync(which(tool), path.join(tools, tool));
    for (const tool of ['ffmpeg', 'ffprobe']) fs.chmodSync(path.join(tools, tool), 0o755);
  });
  after(() => {
    removeProject(project);
    fs.rmSync(tools, { recursive: true, force: true });
  });

  test('a PATH without ffmpeg and --ffmpeg in a private folder: the video clip without data-duration is measured and rendered', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-empty-path-'));
    try {
      const output = path.join(project, 'out.mp4');
      const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '-o', output, '--json', '--ffmpeg', path.join(tools, 'ffmpeg')], {
        encoding: 'utf8', env: { ...process.env, PATH: empty, HYPERFRAMES_FFMPEG: '' }, timeout: TIMEOUT,
      });
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(run.stdout.trim().split('\n').find(line => line.includes('"event":"result"'))!) as { warnings: Array<{ code: string }> };
      assert.deepEqual(result.warnings.map(w => w.code), [], 'compile measured the clip with the ffprobe beside --ffmpeg');
      // The clip's 30 frames at 30 fps give the composition (no data-duration anywhere) its 1 s.
      assert.equal(probeStreams(output).video?.nb_read_frames, '30');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
