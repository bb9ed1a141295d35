// Every video frame of every output frame, under concurrency: twelve short clips that start, stop, loop,
// change rate and change source frame on almost every output frame, rendered by two renders at once (each
// with its own capture browsers) while they fill one frame cache, then by two more at once from that cache.
// Each output frame must show, in each clip's box, exactly the source frame its time asks for, and nothing
// (the page's background) outside the clip's window. A capture that repeats a stale image when the renderer
// delivers its frame late (CaptureBrowser.grab) shows an old source frame or the background on a clip's first
// frame; a frame image served or released too early shows nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { closeTo, compositionHtml, FFMPEG, frameHashes, makeNumberedVideo, makeProject, numberedColour, recordingLogger, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 600_000;
const FPS = 30;
const WIDTH = 640;
/** The clips' 4×3 grid, and below it a strip with the marker box. */
const HEIGHT = 400;
const MARKER = { left: 0, top: 360, width: 160, height: 40 };
const DURATION = 3;
const FRAMES = DURATION * FPS;
/** Numbered colours are 80 levels apart per channel; the background is at least 32 from each. */
const TOLERANCE = 20;
const BACKGROUND = [128, 40, 200] as const;
const CELL = { width: 160, height: 120 };

interface Source { file: string; frames: number; fps: number }
const SOURCES: Record<string, Source> = {
  a: { file: 'media/a.mp4', frames: 64, fps: 30 },
  b: { file: 'media/b.mp4', frames: 40, fps: 24 },
  c: { file: 'media/c.mp4', frames: 12, fps: 30 },
};

interface StressClip { source: keyof typeof SOURCES; start: number; duration: number; mediaStart?: number; rate?: number; loop?: boolean }
/**
 * Windows that open all through the 3 s, and two holds in which nothing on the page changes (the capture
 * reuses its image and the renderer sits idle): 0.9–1.3 s with every clip closed, 1.8–2.3 s with one clip
 * holding its source's last frame. The first frame after a hold, where clips open, is where a stale image
 * showed. The looping clips start 0.01 s into their source, so no wrap falls on an output frame's time.
 */
const CLIPS: StressClip[] = [
  { source: 'a', start: 0, duration: 0.9 },
  { source: 'a', start: 0.1, duration: 0.5, mediaStart: 0.3 },
  { source: 'b', start: 0.2, duration: 0.7 },
  { source: 'c', start: 0, duration: 0.9, mediaStart: 0.01, loop: true },
  { source: 'a', start: 0.5, duration: 0.4, rate: 2 },
  { source: 'b', start: 1.3, duration: 0.5, rate: 0.5, mediaStart: 0.5 },
  { source: 'c', start: 1.3, duration: 0.5, mediaStart: 0.01, rate: 2, loop: true },
  { source: 'c', start: 1.3, duration: 1.3 },
  { source: 'a', start: 2.3, duration: 0.7, mediaStart: 0.2, rate: 1.5 },
  { source: 'c', start: 2.3, duration: 0.7 },
  { source: 'b', start: 1.5, duration: 0.3, mediaStart: 1 },
  { source: 'a', start: 2.6, duration: 0.4, mediaStart: 1.1 },
];

function clipBox(index: number): { left: number; top: number } {
  return { left: (index % 4) * CELL.width, top: Math.floor(index / 4) * CELL.height };
}

/** The source frame clip `clip` shows at output frame `frame`, or undefined outside its window (computed here, not by the engine). */
function expectedSourceFrame(clip: StressClip, frame: number): number | undefined {
  const t = frame / FPS;
  if (t < clip.start - 1e-9 || t >= clip.start + clip.duration - 1e-9) return undefined;
  const source = SOURCES[clip.source];
  // In source frames, rounded to a millionth: an output frame on a source frame's time shows that frame.
  let position = Math.round(((t - clip.start) * (clip.rate ?? 1) + (clip.mediaStart ?? 0)) * source.fps * 1e6) / 1e6;
  if (clip.loop) position %= source.frames;
  return Math.min(source.frames - 1, Math.floor(position));
}

/** Frames that show exactly what the frame before showed (the holds). */
function heldFrames(): Set<number> {
  return new Set(Array.from({ length: FRAMES - 1 }, (_, frame) => frame + 1)
    .filter(frame => CLIPS.every(clip => expectedSourceFrame(clip, frame) === expectedSourceFrame(clip, frame - 1))));
}

/**
 * The marker box (not a video) shows the numbered colour of the last frame that was not held: a page
 * change outside the video images, so that a wrong frame says whether the whole page was stale or only
 * its video images were missing.
 */
function markerFrame(frame: number, held: Set<number>): number {
  let shown = frame;
  while (held.has(shown)) shown--;
  return shown;
}

/** Every frame of a render as RGB bytes. */
function decodeFrames(file: string): Buffer[] {
  const raw = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1024 ** 3 });
  const size = WIDTH * HEIGHT * 3;
  return Array.from({ length: raw.length / size }, (_, index) => raw.subarray(index * size, (index + 1) * size));
}

/** Output frames where a clip's box does not show what it should, as readable lines. */
function wrongFrames(file: string): string[] {
  const frames = decodeFrames(file);
  const held = heldFrames();
  const wrong: string[] = frames.length === FRAMES ? [] : [`${frames.length} frames, expected ${FRAMES}`];
  frames.forEach((pixels, frame) => {
    const markerAt = ((MARKER.top + MARKER.height / 2) * WIDTH + MARKER.left + MARKER.width / 2) * 3;
    const marker = [pixels[markerAt], pixels[markerAt + 1], pixels[markerAt + 2]];
    const markerExpected = numberedColour(markerFrame(frame, held) % 64);
    if (!closeTo(marker, markerExpected, TOLERANCE)) wrong.push(`frame ${frame} marker: frame ${markerFrame(frame, held)} ${markerExpected.join(',')}, got ${marker.join(',')}`);
    CLIPS.forEach((clip, index) => {
      const { left, top } = clipBox(index);
      const at = ((top + CELL.height / 2) * WIDTH + left + CELL.width / 2) * 3;
      const actual = [pixels[at], pixels[at + 1], pixels[at + 2]];
      const sourceFrame = expectedSourceFrame(clip, frame);
      const expected = sourceFrame === undefined ? BACKGROUND : numberedColour(sourceFrame);
      if (!closeTo(actual, expected, TOLERANCE)) wrong.push(`frame ${frame} clip ${index}: ${sourceFrame === undefined ? 'background' : `source ${sourceFrame}`} ${expected.join(',')}, got ${actual.join(',')}`);
    });
  });
  return wrong;
}


describe('render: every video frame is the source frame, with renders running at once', { timeout: TIMEOUT }, () => {
  let project: string;
  let cacheDir: string;
  const renders: Array<{ name: string; output: string; lines: string[] }> = [];
  before(async () => {
    project = makeProject({
      'index.html': compositionHtml({
        width: WIDTH, height: HEIGHT, duration: DURATION,
        body: CLIPS.map((clip, index) => {
          const { left, top } = clipBox(index);
          return `<video id="clip-${index}" src="${SOURCES[clip.source].file}" muted playsinline${clip.loop ? ' loop' : ''} data-start="${clip.start}" data-duration="${clip.duration}"`
            + `${clip.mediaStart ? ` data-media-start="${clip.mediaStart}"` : ''}${clip.rate ? ` data-playback-rate="${clip.rate}"` : ''} data-track-index="${index}" style="left:${left}px;top:${top}px"></video>`;
        }).join('\n') + '\n<div id="marker"></div>',
        style: `#root { background: rgb(${BACKGROUND.join(',')}); } video { position: absolute; width: ${CELL.width}px; height: ${CELL.height}px; object-fit: fill; }
#marker { position: absolute; left: ${MARKER.left}px; top: ${MARKER.top}px; width: ${MARKER.width}px; height: ${MARKER.height}px; }`,
        script: `
const held = new Set(${JSON.stringify([...heldFrames()])});
const level = digit => digit * 80 + 8;
const marker = document.getElementById('marker');
const timeline = gsap.timeline({ paused: true, onUpdate: () => {
  let frame = Math.round(timeline.time() * ${FPS});
  while (held.has(frame)) frame--;
  const n = frame % 64;
  const colour = 'rgb(' + level(n % 4) + ',' + level(Math.floor(n / 4) % 4) + ',' + level(Math.floor(n / 16) % 4) + ')';
  if (marker.dataset.frame !== String(frame)) { marker.dataset.frame = String(frame); marker.style.background = colour; }
} });
timeline.to({}, { duration: ${DURATION} }, 0);
window.__timelines['main'] = timeline;`,
      }),
    });
    for (const source of Object.values(SOURCES)) makeNumberedVideo(path.join(project, source.file), source.frames, source.fps);
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-video-stress-cache-'));
    const renderPair = (names: [string, string]) => Promise.all(names.map(async name => {
      const { logger, lines } = recordingLogger({ trace: false });
      const output = path.join(project, `${name}.mp4`);
      await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, videoFrameCacheDir: cacheDir }, { logger });
      renders.push({ name, output, lines });
    }));
    // Two renders extracting into the cache at once, then two painting from it at once.
    await renderPair(['extracting-1', 'extracting-2']);
    await renderPair(['cached-1', 'cached-2']);
  });
  after(() => {
    removeProject(project);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  test('the composition opens clip windows all through it, between holds', () => {
    let firstFrames = 0;
    for (let frame = 1; frame < FRAMES; frame++) {
      firstFrames += CLIPS.filter(clip => expectedSourceFrame(clip, frame) !== undefined && expectedSourceFrame(clip, frame - 1) === undefined).length;
    }
    assert.ok(firstFrames >= 9, `${firstFrames} clip first frames after frame 0`);
    assert.ok(heldFrames().size >= 20, `${heldFrames().size} frames the same as the one before`);
  });

  test('the holds reused the previous image (the capture browsers sat idle through them)', () => {
    for (const { name, lines } of renders) {
      const reused = /^static frames: (\d+) of/.exec(lines.find(line => line.startsWith('static frames: ')) ?? '');
      assert.ok(reused && Number(reused[1]) >= 8, `${name}: ${lines.find(line => line.startsWith('static frames: '))}`);
    }
  });

  test('the second pair of renders painted from the cache', () => {
    for (const { name, lines } of renders.filter(render => render.name.startsWith('cached'))) {
      assert.ok(lines.some(line => /^video frames: \d+ clip\(s\) from the cache, 0 extracting/.test(line)), `${name}: ${lines.find(line => line.startsWith('video frames: '))}`);
    }
  });

  for (const name of ['extracting-1', 'extracting-2', 'cached-1', 'cached-2']) {
    test(`${name}: every clip shows its source frame (or nothing) at every output frame`, () => {
      const render = renders.find(candidate => candidate.name === name);
      assert.ok(render, `${name} did not finish`);
      assert.deepEqual(wrongFrames(render.output), []);
    });
  }

  test('the four renders are the same pixels', t => {
    // How often the renderer's frame came late and the capture waited for it (CaptureBrowser.grab).
    for (const { name, lines } of renders) t.diagnostic(`${name}: ${/late frames redrawn \d+/.exec(lines.find(line => line.startsWith('capture: ms summed')) ?? '')?.[0]}`);
    const [first, ...others] = renders.map(render => frameHashes(render.output));
    for (const hashes of others) assert.deepEqual(hashes, first);
  });
});
