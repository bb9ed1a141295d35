// Parity: the preview shows the render's frame. The fixture is rendered to a PNG sequence by the real render
// job (same Chromium, screenshot capture), the preview is seeked to the same frame times at 100 %, and the
// iframe's pixels are compared with each rendered frame by ffmpeg's PSNR filter (≥ 40 dB at every time).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { imagePsnr, renderedFrame } from '../fixtures/render/helpers';
import { CHROMIUM, makeProject, openPreview, repoRoot, type PreviewHarness } from './previewHarness';

const FPS = 30;
const SAMPLED_FRAMES = [0, 15, 30, 45, 60, 75, 89];
const MIN_PSNR_DB = 40;

describe('preview ↔ render parity', { timeout: 240_000 }, () => {
  const project = makeProject('basic');
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-parity-'));
  const renderFolder = path.join(shots, 'render');
  let h: PreviewHarness;

  before(async () => {
    const result = await renderJob({
      entryFile: project.entry,
      outputPath: renderFolder,
      format: 'png',
      chromiumPath: CHROMIUM,
      captureMode: 'screenshot',
      workers: 1,
      runtimePath: path.join(repoRoot, 'dist', 'runtime.js'),
    });
    assert.equal(result.frames, 3 * FPS);
    h = await openPreview(project.entry);
    await h.frameReport(1);
    await h.page.click('button[data-action="toggle-size"]');
  });
  after(async () => {
    await h?.close();
    project.remove();
    fs.rmSync(shots, { recursive: true, force: true });
  });

  test('the iframe is shown at 100 %: one composition pixel per CSS pixel', async () => {
    const box = await (await h.iframe()).boundingBox();
    assert.deepEqual(box && { width: box.width, height: box.height }, { width: 640, height: 360 });
  });

  test(`the preview's pixels equal the render's frames (PSNR ≥ ${MIN_PSNR_DB} dB at every sampled time)`, async t => {
    const results: string[] = [];
    for (const index of SAMPLED_FRAMES) {
      await h.send({ type: 'seek', time: index / FPS });
      assert.equal(await h.settled(), index / FPS);
      const shot = path.join(shots, `preview-${index}.png`);
      await (await h.iframe()).screenshot({ path: shot as `${string}.png` });
      const db = await imagePsnr(shot, renderedFrame(renderFolder, index));
      results.push(`frame ${index}: ${db === Infinity ? 'identical' : `${db.toFixed(1)} dB`}`);
      assert.ok(db >= MIN_PSNR_DB, `frame ${index} (t=${(index / FPS).toFixed(3)} s): ${db.toFixed(2)} dB < ${MIN_PSNR_DB} dB\n${results.join('\n')}`);
    }
    t.diagnostic(results.join('; '));
  });

  test('the comparison can fail: different times differ by far more than the threshold', async () => {
    const db = await imagePsnr(renderedFrame(renderFolder, 15), renderedFrame(renderFolder, 60));
    assert.ok(db < MIN_PSNR_DB - 10, `frames 15 and 60 differ (${db.toFixed(1)} dB)`);
  });
});
