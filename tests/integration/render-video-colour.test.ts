// Video colour in renders: every source shows the RGB its own Y'CbCr means under its tags (matrix, range),
// and an untagged source the matrix Chromium itself picks for the same <video> (measured here by a
// screenshot of the real element), so the preview, which plays the real <video>, and the render agree.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from '../../server/engine/browser';
import { renderJob } from '../../server/engine/render/renderJob';
import { closeTo, compositionHtml, imagePixel, makeProject, pixelAt, removeProject } from '../fixtures/render/helpers';
import { BAR_COLOURS, decodeYcbcr, makeColourBars, sourceYcbcr, type BarMatrix, type ColourBarsOptions } from '../fixtures/render/videoSources';

const TIMEOUT = 180_000;
/** JPEG capture and the H.264 output each round a level or two. */
const TOLERANCE = 4;
const SLOT = { width: 160, height: 90 };

interface Source {
  name: string;
  bars: ColourBarsOptions;
  /** How the source's tags say to decode it; undefined for untagged sources (Chromium decides). */
  tagged?: { matrix: BarMatrix; range: 'tv' | 'pc' };
}

const BT709_TAGS = { colorspace: 'bt709', primaries: 'bt709', trc: 'bt709' } as const;
const SOURCES: Source[] = [
  { name: 'bt709', bars: { width: 640, height: 360, matrix: 'bt709', range: 'tv', tags: { ...BT709_TAGS, range: 'tv' } }, tagged: { matrix: 'bt709', range: 'tv' } },
  { name: 'smpte170m', bars: { width: 640, height: 360, matrix: 'bt601', range: 'tv', tags: { colorspace: 'smpte170m', primaries: 'smpte170m', trc: 'smpte170m', range: 'tv' } }, tagged: { matrix: 'bt601', range: 'tv' } },
  { name: 'bt470bg', bars: { width: 640, height: 360, matrix: 'bt601', range: 'tv', tags: { colorspace: 'bt470bg', primaries: 'bt470bg', trc: 'gamma28', range: 'tv' } }, tagged: { matrix: 'bt601', range: 'tv' } },
  // yuvj420p, matrix and range tagged, primaries not (a JPEG-style camera stream).
  { name: 'full-range-bt601', bars: { width: 640, height: 360, matrix: 'bt601', range: 'pc', tags: { colorspace: 'bt470bg', range: 'pc' } }, tagged: { matrix: 'bt601', range: 'pc' } },
  { name: 'full-range-bt709', bars: { width: 640, height: 360, matrix: 'bt709', range: 'pc', tags: { ...BT709_TAGS, range: 'pc' } }, tagged: { matrix: 'bt709', range: 'pc' } },
  { name: 'bt709-720p', bars: { width: 1280, height: 720, matrix: 'bt709', range: 'tv', tags: { ...BT709_TAGS, range: 'tv' } }, tagged: { matrix: 'bt709', range: 'tv' } },
  // Untagged, written with the other matrix than Chromium assumes for the size, so the choice shows.
  { name: 'untagged-sd', bars: { width: 640, height: 360, matrix: 'bt709', range: 'tv' } },
  { name: 'untagged-hd', bars: { width: 1920, height: 1080, matrix: 'bt601', range: 'tv' } },
];

/** Top-left of source k's slot in the 640x360 composition (4 columns, 2 rows). */
function slotOrigin(k: number): { x: number; y: number } {
  return { x: (k % 4) * SLOT.width, y: Math.floor(k / 4) * SLOT.height };
}

/** Centre of bar b in source k's slot (even coordinates), and the same point in the source itself. */
function barPoints(k: number, b: number, source: Source): { output: { x: number; y: number }; source: { x: number; y: number } } {
  const { x, y } = slotOrigin(k);
  const even = (v: number) => 2 * Math.round(v / 2);
  return {
    output: { x: x + even(SLOT.width * (b + 0.5) / 4), y: y + SLOT.height / 2 },
    source: { x: even(source.bars.width * (b + 0.5) / 4), y: even(source.bars.height / 2) },
  };
}

function videosHtml(): string {
  return SOURCES.map((source, k) => {
    const { x, y } = slotOrigin(k);
    return `<video id="v-${source.name}" src="media/${source.name}.mp4" muted playsinline data-start="0" data-duration="1" data-track-index="${k}" style="position:absolute;left:${x}px;top:${y}px;width:${SLOT.width}px;height:${SLOT.height}px;object-fit:fill"></video>`;
  }).join('\n');
}

/** What Chromium shows for the real <video> elements: a screenshot of the same layout, each seeked to 0.1 s. */
async function chromiumPixels(project: string, points: Array<{ x: number; y: number }>): Promise<Array<[number, number, number]>> {
  const page = path.join(project, 'chromium.html');
  fs.writeFileSync(page, `<!doctype html><html><body style="margin:0;background:#fff"><div style="position:relative;width:640px;height:360px">${videosHtml()}</div></body></html>`);
  const session = await launchBrowser();
  try {
    const tab = await session.browser.newPage();
    await tab.setViewport({ width: 640, height: 360 });
    await tab.goto(pathToFileURL(page).href);
    // Source text, not functions: tsx's helpers do not exist in the page.
    await tab.evaluate(`Promise.all(Array.from(document.querySelectorAll('video'), video => new Promise((resolve, reject) => {
      const seek = () => { video.addEventListener('seeked', resolve, { once: true }); video.currentTime = 0.1; };
      video.addEventListener('error', () => reject(new Error(video.src + ': ' + (video.error && video.error.message))), { once: true });
      if (video.readyState >= 1) seek(); else video.addEventListener('loadedmetadata', seek, { once: true });
    })))`);
    // One more frame so the seeked pictures are composited.
    await tab.evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const shot = path.join(project, 'chromium.png');
    await tab.screenshot({ path: shot as `${string}.png` });
    return points.map(point => imagePixel(shot, point.x, point.y));
  } finally {
    await session.close();
  }
}

describe('render: video colour follows the source', { timeout: TIMEOUT }, () => {
  let project: string;
  let output: string;
  let chromium: Array<[number, number, number]>;
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({ width: 640, height: 360, duration: 0.2, body: videosHtml(), script: `window.__timelines['main'] = gsap.timeline({ paused: true });` }),
    });
    for (const source of SOURCES) makeColourBars(path.join(project, 'media', `${source.name}.mp4`), source.bars);
    output = path.join(project, 'out.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output });
    chromium = await chromiumPixels(project, SOURCES.flatMap((source, k) => BAR_COLOURS.map((_, b) => barPoints(k, b, source).output)));
  });
  after(() => removeProject(project));

  SOURCES.forEach((source, k) => {
    test(`${source.name}: rendered bars are the source's own colours`, t => {
      const file = path.join(project, 'media', `${source.name}.mp4`);
      const redYcbcr = sourceYcbcr(file, barPoints(k, 0, source).source.x, barPoints(k, 0, source).source.y);
      let decode = source.tagged;
      if (!decode) {
        // Untagged: the matrix whose decode of the red bar is nearest what Chromium showed for the <video>.
        const shown = chromium[k * BAR_COLOURS.length];
        const distance = (matrix: BarMatrix) => decodeYcbcr(redYcbcr, matrix, 'tv').reduce((sum, v, i) => sum + Math.abs(v - shown[i]), 0);
        decode = { matrix: distance('bt709') < distance('bt601') ? 'bt709' : 'bt601', range: 'tv' };
        // The two decodes of red differ by more than 20 levels: the choice is unambiguous.
        assert.ok(Math.abs(distance('bt709') - distance('bt601')) > 20, `Chromium's pixel ${shown} decides between the matrices`);
      }
      BAR_COLOURS.forEach((_, b) => {
        const points = barPoints(k, b, source);
        const expected = decodeYcbcr(sourceYcbcr(file, points.source.x, points.source.y), decode.matrix, decode.range);
        const actual = pixelAt(output, 3, points.output.x, points.output.y);
        t.diagnostic(`bar ${b}: source ${expected} rendered ${actual} chromium ${chromium[k * BAR_COLOURS.length + b]}`);
        assert.ok(closeTo(actual, expected, TOLERANCE), `bar ${b}: source ${expected} (${decode.matrix} ${decode.range}), rendered ${actual}, Chromium's <video> ${chromium[k * BAR_COLOURS.length + b]}`);
      });
    });
  });

  test('Chromium picks BT.601 for untagged SD and BT.709 for untagged HD, and so does the render', () => {
    const sd = SOURCES.findIndex(s => s.name === 'untagged-sd');
    const hd = SOURCES.findIndex(s => s.name === 'untagged-hd');
    const red = (k: number) => decodeYcbcr(sourceYcbcr(path.join(project, 'media', `${SOURCES[k].name}.mp4`), barPoints(k, 0, SOURCES[k]).source.x, barPoints(k, 0, SOURCES[k]).source.y), k === sd ? 'bt601' : 'bt709', 'tv');
    assert.ok(closeTo(chromium[sd * BAR_COLOURS.length], red(sd), TOLERANCE), `untagged SD in Chromium ${chromium[sd * BAR_COLOURS.length]} vs BT.601 decode ${red(sd)}`);
    assert.ok(closeTo(chromium[hd * BAR_COLOURS.length], red(hd), TOLERANCE), `untagged HD in Chromium ${chromium[hd * BAR_COLOURS.length]} vs BT.709 decode ${red(hd)}`);
  });
});
