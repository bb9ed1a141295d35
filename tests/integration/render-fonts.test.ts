// Deterministic fonts: a text composition renders the same pixels on a machine without its fonts installed
// as with the system's fonts, because every family it uses resolves to a bundled face or the project's own
// @font-face. "Without fonts" is a fontconfig configuration whose only font is DejaVu Sans Mono (what every
// generic family would then draw): with no font at all (an empty configuration) Chromium has no last-resort
// font and fails to load any web font, bundled or not. Needs `npm run build` (dist/fonts).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FFMPEG, removeProject } from '../fixtures/render/helpers';
import { TEXT_BOXES, textProject } from '../fixtures/fonts/textProject';

const TIMEOUT = 120_000;
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const WIDTH = 320;
const HEIGHT = 240;
/** Installed by scripts/setup.sh (fonts-dejavu-core); a monospace face none of the composition's families is. */
const LAST_RESORT_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

/** Renders the project to PNG frames with `env` added, and returns the last frame's RGB bytes. */
function renderLastFrame(project: string, out: string, env: Record<string, string>): Buffer {
  const run = spawnSync(process.execPath, [CLI, 'render', path.join(project, 'index.html'), '--format', 'png', '-o', out],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(run.status, 0, run.stderr);
  const frames = fs.readdirSync(out).filter(name => name.endsWith('.png')).sort();
  assert.ok(frames.length > 0);
  return execFileSync(FFMPEG, ['-v', 'error', '-i', path.join(out, frames[frames.length - 1]), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

function psnr(a: Buffer, b: Buffer): number {
  assert.equal(a.length, b.length);
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += (a[i] - b[i]) ** 2;
  const mse = squared / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Pixels darker than mid-grey inside a box: the glyphs drawn there (the page is white). */
function inkIn(rgb: Buffer, [x0, y0, width, height]: readonly number[]): number {
  let ink = 0;
  for (let y = y0; y < y0 + height; y++) {
    for (let x = x0; x < x0 + width; x++) {
      const i = (y * WIDTH + x) * 3;
      if (rgb[i] + rgb[i + 1] + rgb[i + 2] < 3 * 128) ink++;
    }
  }
  return ink;
}

describe('deterministic fonts', { timeout: TIMEOUT }, () => {
  let project: string;
  let scratch: string;
  let bareFontConfig: string;
  before(() => {
    project = textProject();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-fonts-test-'));
    assert.ok(fs.existsSync(LAST_RESORT_FONT), `${LAST_RESORT_FONT} is missing: run scripts/setup.sh`);
    const fontDir = path.join(scratch, 'system-fonts');
    fs.mkdirSync(fontDir);
    fs.copyFileSync(LAST_RESORT_FONT, path.join(fontDir, path.basename(LAST_RESORT_FONT)));
    bareFontConfig = path.join(scratch, 'fonts.conf');
    fs.writeFileSync(bareFontConfig, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${fontDir}</dir><cachedir>${path.join(scratch, 'fc-cache')}</cachedir></fontconfig>\n`);
  });
  after(() => {
    removeProject(project);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('text renders the same without the system\'s fonts as with them (generic → Inter, Google Montserrat, local @font-face)', t => {
    const withSystemFonts = renderLastFrame(project, path.join(scratch, 'system'), {});
    const withoutFonts = renderLastFrame(project, path.join(scratch, 'bare'), { FONTCONFIG_FILE: bareFontConfig });
    assert.equal(withSystemFonts.length, WIDTH * HEIGHT * 3);
    for (const [name, box] of Object.entries(TEXT_BOXES)) {
      const ink = inkIn(withoutFonts, box);
      t.diagnostic(`${name}: ${ink} glyph pixels without the system's fonts, ${inkIn(withSystemFonts, box)} with them`);
      // A 36 px line of text inks several hundred pixels; an empty box (no font found) inks none.
      assert.ok(ink > 400, `glyphs drawn in the ${name} box without the system's fonts (${ink} dark pixels)`);
      assert.ok(Math.abs(ink - inkIn(withSystemFonts, box)) <= ink * 0.01, `${name}: same ink with and without system fonts`);
    }
    const db = psnr(withSystemFonts, withoutFonts);
    t.diagnostic(`PSNR ${db} dB`);
    assert.ok(db >= 50, `PSNR between the renders with and without system fonts: ${db.toFixed(1)} dB`);
  });
});
