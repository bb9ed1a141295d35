// Video clips with an alpha channel show the page through their transparent parts, as their <video> does in
// Chromium: a VP9 WebM with alpha (its alpha is a side stream only libvpx decodes) and a ProRes 4444 MOV are
// extracted as PNG, an opaque clip still as JPEG. Rendered over a blue page, and into a transparent WebM.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { closeTo, compositionHtml, FFMPEG, makeProject, pixelAt, removeProject, rgbaAt } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const SLOT = { width: 320, height: 180 };
/** JPEG/PNG capture and the encode each round a level or two; the half-transparent box blends once more. */
const TOLERANCE = 6;
const BLUE: [number, number, number] = [0, 0, 255];

/** Transparent, with an opaque red box and a half-transparent green one (straight alpha). */
const RED_BOX = { x: 100, y: 50, width: 120, height: 80 };
const GREEN_BOX = { x: 240, y: 50, width: 60, height: 80 };
const inBox = (box: typeof RED_BOX) => `between(X,${box.x},${box.x + box.width - 1})*between(Y,${box.y},${box.y + box.height - 1})`;
const RGBA_SOURCE = `nullsrc=s=${SLOT.width}x${SLOT.height}:r=30:d=1,format=rgba,geq=` +
  `r='if(${inBox(RED_BOX)},255,0)':g='if(${inBox(GREEN_BOX)},255,0)':b=0:a='if(${inBox(RED_BOX)},255,if(${inBox(GREEN_BOX)},128,0))'`;

interface Source { name: string; file: string; args: string[]; alpha: boolean }
const SOURCES: Source[] = [
  { name: 'vp9-alpha', file: 'vp9-alpha.webm', args: ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-auto-alt-ref', '0', '-b:v', '0', '-crf', '10'], alpha: true },
  { name: 'prores-4444', file: 'prores-4444.mov', args: ['-c:v', 'prores_ks', '-profile:v', '4444', '-pix_fmt', 'yuva444p10le'], alpha: true },
  { name: 'vp9-opaque', file: 'vp9-opaque.webm', args: ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p', '-b:v', '0', '-crf', '10'], alpha: false },
];

/** Points in slot k: outside both boxes, the red box's centre, the green box's centre. */
function points(k: number) {
  const x = k * SLOT.width;
  return {
    outside: { x: x + 30, y: 150 },
    red: { x: x + RED_BOX.x + RED_BOX.width / 2, y: RED_BOX.y + RED_BOX.height / 2 },
    green: { x: x + GREEN_BOX.x + GREEN_BOX.width / 2, y: GREEN_BOX.y + GREEN_BOX.height / 2 },
  };
}

function videosHtml(): string {
  return SOURCES.map((source, k) => `<video id="v-${source.name}" src="media/${source.file}" muted playsinline data-start="0" data-duration="0.5" data-track-index="${k}" ` +
    `style="position:absolute;left:${k * SLOT.width}px;top:0;width:${SLOT.width}px;height:${SLOT.height}px"></video>`).join('\n');
}

describe('render: video clips with alpha show the page through them', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    project = makeProject({});
    fs.mkdirSync(path.join(project, 'media'));
    for (const source of SOURCES) {
      execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', RGBA_SOURCE, ...source.args, '-y', path.join(project, 'media', source.file)]);
    }
  });
  after(() => removeProject(project));

  test('over a blue page: the page shows where a clip is transparent, blended where it is half so', async () => {
    fs.writeFileSync(path.join(project, 'index.html'), compositionHtml({
      width: SLOT.width * SOURCES.length, height: SLOT.height, duration: 0.5, style: '#root { background: #0000ff; }', body: videosHtml(),
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }));
    const output = path.join(project, 'over-blue.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    SOURCES.forEach((source, k) => {
      const at = points(k);
      const pixel = (point: { x: number; y: number }) => pixelAt(output, 5, point.x, point.y);
      assert.ok(closeTo(pixel(at.red), [255, 0, 0], TOLERANCE), `${source.name}: red box ${pixel(at.red)}`);
      if (source.alpha) {
        assert.ok(closeTo(pixel(at.outside), BLUE, TOLERANCE), `${source.name}: outside the boxes ${pixel(at.outside)}, the page's blue expected`);
        assert.ok(closeTo(pixel(at.green), [0, 128, 127], TOLERANCE), `${source.name}: half-transparent green over blue ${pixel(at.green)}`);
      } else {
        // An opaque clip covers the page: its transparent black is black.
        assert.ok(closeTo(pixel(at.outside), [0, 0, 0], TOLERANCE), `${source.name}: outside the boxes ${pixel(at.outside)}`);
        assert.ok(closeTo(pixel(at.green), [0, 255, 0], TOLERANCE), `${source.name}: green box ${pixel(at.green)}`);
      }
    });
  });

  test('into a transparent WebM: the clip\'s alpha is the video\'s alpha', async () => {
    fs.writeFileSync(path.join(project, 'index.html'), compositionHtml({
      width: SLOT.width * SOURCES.length, height: SLOT.height, duration: 0.5, style: 'html, body, #root { background: transparent; }', body: videosHtml(),
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }));
    const output = path.join(project, 'transparent.webm');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, format: 'webm', transparent: true });
    for (const [k, source] of SOURCES.entries()) {
      if (!source.alpha) continue;
      const at = points(k);
      const outside = rgbaAt(output, 5, at.outside.x, at.outside.y);
      const red = rgbaAt(output, 5, at.red.x, at.red.y);
      const green = rgbaAt(output, 5, at.green.x, at.green.y);
      assert.ok(outside[3] <= TOLERANCE, `${source.name}: outside the boxes alpha ${outside[3]}`);
      assert.ok(red[3] >= 255 - TOLERANCE && closeTo(red.slice(0, 3), [255, 0, 0], TOLERANCE), `${source.name}: red box ${red}`);
      assert.ok(Math.abs(green[3] - 128) <= TOLERANCE, `${source.name}: half-transparent green alpha ${green[3]}`);
    }
  });
});
