// The preview runs the renderer's runtime, so composition variables show there as they render: the bound
// text and image source, the --accent custom property, getVariables() read by a timeline at load, and each
// sub-composition instance's own values (tests/fixtures/render/variables, with its declared defaults).
// Needs `npm run build`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openPreview, repoRoot, type PreviewHarness } from './previewHarness';

interface Shown {
  title: string;
  logo: string;
  swatch: string;
  accent: string;
  variables: Record<string, unknown>;
  moverX: string;
  chips: string[];
}

describe('preview: composition variables', { timeout: 120_000 }, () => {
  let dir: string;
  let h: PreviewHarness;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-variables-'));
    fs.cpSync(path.join(repoRoot, 'tests/fixtures/render/variables'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'vendor'));
    fs.copyFileSync(path.join(repoRoot, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'vendor/gsap.min.js'));
    h = await openPreview(path.join(dir, 'index.html'));
    await h.frameReport(1);
  });
  after(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bindings, custom properties, getVariables() and per-instance values, at 1.5 s', async () => {
    await h.send({ type: 'seek', time: 1.5 });
    await h.settled();
    const frame = await h.frame();
    const shown = await frame.evaluate((): Shown => {
      const api = (window as unknown as { __hyperframes: { getVariables(): Record<string, unknown> } }).__hyperframes;
      return {
        title: document.getElementById('title')!.textContent!,
        logo: document.getElementById('logo')!.getAttribute('src')!,
        swatch: getComputedStyle(document.getElementById('swatch')!).backgroundColor,
        accent: getComputedStyle(document.documentElement).getPropertyValue('--accent'),
        variables: api.getVariables(),
        moverX: getComputedStyle(document.getElementById('mover')!).transform,
        chips: Array.from(document.querySelectorAll('.chip'), chip => `${getComputedStyle(chip).backgroundColor} ${getComputedStyle(chip).width}`),
      };
    });
    assert.deepEqual(shown, {
      title: 'WWWWWWWW',
      logo: 'assets/red.png',
      swatch: 'rgb(255, 0, 0)',
      accent: '#ff0000',
      variables: { title: 'WWWWWWWW', accent: '#ff0000', logo: 'assets/red.png', distance: 100 },
      moverX: 'matrix(1, 0, 0, 1, 100, 0)',
      chips: ['rgb(0, 0, 255) 160px', 'rgb(255, 255, 0) 80px'],
    });
  });
});
