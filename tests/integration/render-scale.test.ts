// Supersampled output (real Chromium, real ffmpeg): the page is laid out at the composition's size and
// captured at a device scale factor. `scale: 2` doubles an MP4's dimensions in both capture modes with
// the layout unchanged (a box at the same relative place); a 1080p composition rendered at the 4K preset
// has glyph edges that are measurably sharper than the same text rendered at 1080p and upscaled (gradient
// energy across the glyphs); a preset of another aspect ratio is refused before anything starts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import type { RenderOptions } from '../../server/engine/render/types';
import { StageError } from '../../server/engine/errors';
import { closeTo, compositionHtml, FFMPEG, makeProject, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');

function render(project: string, options: Partial<RenderOptions>) {
  return renderJob({ entryFile: path.join(project, 'index.html'), ...options });
}

/** Grey levels of a region of an image file, row by row. */
function greyRegion(file: string, region: { x: number; y: number; width: number; height: number }, scaleTo?: { width: number; height: number }): Uint8Array {
  const upscale = scaleTo ? `scale=${scaleTo.width}:${scaleTo.height}:flags=bicubic,` : '';
  return new Uint8Array(execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-vf', `${upscale}crop=${region.width}:${region.height}:${region.x}:${region.y},format=gray`, '-f', 'rawvideo', '-']));
}

/** Mean squared difference of neighbouring pixels: how abrupt the edges are (a blurred edge spreads its step). */
function gradientEnergy(pixels: Uint8Array, width: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i + width + 1 < pixels.length; i++) {
    if ((i + 1) % width === 0) continue;
    const dx = pixels[i + 1] - pixels[i];
    const dy = pixels[i + width] - pixels[i];
    sum += dx * dx + dy * dy;
    count++;
  }
  return sum / count;
}

describe('render: --scale N', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({
      'index.html': compositionHtml({
        duration: 0.2,
        style: '#box { position: absolute; left: 40px; top: 40px; width: 80px; height: 60px; background: rgb(255, 0, 0); }',
        body: '<div id="box"></div>',
      }),
    });
  });
  after(() => removeProject(project));

  for (const captureMode of ['beginframe', 'screenshot'] as const) {
    test(`${captureMode}: scale 2 writes 640x360 with the layout of 320x180 (the box at twice its place and size)`, async () => {
      const output = path.join(project, 'out', `${captureMode}.mp4`);
      const result = await render(project, { outputPath: output, scale: 2, captureMode });
      assert.equal(result.width, 640);
      assert.equal(result.height, 360);
      assert.equal(result.scale, 2);
      const { video } = probeStreams(output);
      assert.equal(video?.width, 640);
      assert.equal(video?.height, 360);
      // The box covers (80..240, 80..200) at 2×; outside it the page is white.
      assert.ok(closeTo(pixelAt(output, 0, 160, 140), [255, 0, 0], 12), `inside ${pixelAt(output, 0, 160, 140)}`);
      assert.ok(closeTo(pixelAt(output, 0, 260, 140), [255, 255, 255], 12), `right of it ${pixelAt(output, 0, 260, 140)}`);
      assert.ok(closeTo(pixelAt(output, 0, 160, 220), [255, 255, 255], 12), `below it ${pixelAt(output, 0, 160, 220)}`);
    });
  }

  test('refused before any work: a preset of another aspect (square-1080p for 16:9), more than 4×, scale with a preset', async () => {
    const refused = async (options: Partial<RenderOptions>, code: string, message: RegExp) => {
      await assert.rejects(render(project, { outputPath: path.join(project, 'out', 'x.mp4'), ...options }),
        (error: unknown) => error instanceof StageError && error.stage === 'compile' && error.code === code && message.test(error.message));
    };
    await refused({ resolution: 'square-1080p' }, 'resolution-aspect-mismatch', /square-1080p \(1080x1080\) does not have the composition's aspect ratio \(320x180\)/);
    // 320x180 → 3840x2160 would be 12×.
    await refused({ resolution: 'landscape-4k' }, 'invalid-resolution', /a whole multiple of it, 1× to 4×/);
    await refused({ scale: 2, resolution: 'landscape-1080p' }, 'invalid-resolution', /not both/);
    await refused({ scale: 1.5 }, 'invalid-resolution', /whole number/);
  });

  test('CLI: --scale 5, --scale 2 with --resolution, an unknown preset are usage errors (exit 2)', () => {
    for (const args of [['--scale', '5'], ['--scale', '2', '--resolution', 'landscape-4k'], ['--resolution', '8k']]) {
      const run = spawnSync(process.execPath, [CLI, 'render', project, ...args], { encoding: 'utf8' });
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    }
  });
});

describe('render: the 4K preset of a 1080p composition draws sharp text', { timeout: TIMEOUT }, () => {
  let project: string;
  let native4k: string;
  let at1080: string;
  // The glyphs' box at 1080p (CSS px): 160 px bold text at (100, 100).
  const TEXT = { x: 100, y: 120, width: 900, height: 180 };

  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        width: 1920, height: 1080, duration: 0.05,
        style: '#title { position: absolute; left: 100px; top: 100px; font: bold 160px sans-serif; color: #000; white-space: nowrap; }',
        body: '<div id="title">Sharp Hg</div>',
      }),
    });
    const big = await render(project, { outputPath: path.join(project, 'out', 'big'), format: 'png', resolution: 'landscape-4k' });
    assert.equal(big.width, 3840);
    assert.equal(big.height, 2160);
    assert.equal(big.scale, 2);
    await render(project, { outputPath: path.join(project, 'out', 'small'), format: 'png' });
    native4k = path.join(project, 'out', 'big', 'frame-00001.png');
    at1080 = path.join(project, 'out', 'small', 'frame-00001.png');
  });
  after(() => removeProject(project));

  test('the frames are 3840x2160, and the glyph edges carry much more gradient energy than 1080p upscaled to 4K', t => {
    const { video } = probeStreams(native4k);
    assert.equal(video?.width, 3840);
    assert.equal(video?.height, 2160);
    const region = { x: TEXT.x * 2, y: TEXT.y * 2, width: TEXT.width * 2, height: TEXT.height * 2 };
    const sharp = greyRegion(native4k, region);
    const upscaled = greyRegion(at1080, region, { width: 3840, height: 2160 });
    // The same text in both: about as much ink (mean grey within a few levels)…
    const mean = (pixels: Uint8Array) => pixels.reduce((sum, v) => sum + v, 0) / pixels.length;
    assert.ok(Math.abs(mean(sharp) - mean(upscaled)) < 6, `mean grey ${mean(sharp)} vs ${mean(upscaled)}`);
    // …but the native edges are steps, the upscaled ones ramps.
    const sharpEnergy = gradientEnergy(sharp, region.width);
    const upscaledEnergy = gradientEnergy(upscaled, region.width);
    t.diagnostic(`gradient energy: 4K ${sharpEnergy.toFixed(1)} vs 1080p upscaled ${upscaledEnergy.toFixed(1)}`);
    assert.ok(sharpEnergy > upscaledEnergy * 1.5, `gradient energy: 4K ${sharpEnergy.toFixed(1)} vs 1080p upscaled ${upscaledEnergy.toFixed(1)}`);
  });
});
