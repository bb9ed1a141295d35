// One capture browser seeks its next frame while the current one is still composited and encoded
// (CaptureBrowser.grabOverlapping): the page reports the start of each BeginFrame's main frame, and the next
// seek is sent then. The video must be the one a capture without the overlap makes, frame for frame.
//
// The hard case is a BeginFrame that draws nothing after its main frame started: the page may already be
// at the next frame, so the capture seeks the frame again before it draws it. Chromium gives no such frame
// on demand, so the test makes one: its Nth screenshot BeginFrame asks for no display update, which runs the
// main frame (the page's signal fires, the next seek goes out) and answers with no image, as a late frame does.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaptureBrowser } from '../../server/engine/capture';
import { ENGINE_RENDER_STAGES, renderJob, type RenderStages } from '../../server/engine/render/renderJob';
import { shaderTransitionProject } from '../fixtures/render/canvasCompositions';
import { CLIP_AND_BOX_FRAMES as FRAMES, clipAndBoxMismatches, clipAndBoxProject } from '../fixtures/render/compositions';
import { frameHashes, leftovers, recordingLogger, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 240_000;
/**
 * The screenshots that draw nothing (1-based): one alone, and two in a row (the second is the redraw of the
 * frame seeked again, which then waits for damage as any late frame does).
 */
const BLANK_SCREENSHOTS = new Set([12, 30, 31]);

/** The private BeginFrame call of a capture browser, which the test reroutes. */
interface BeginFrameCall {
  beginFrame(withScreenshot: boolean, options?: { noDisplayUpdates?: boolean }): Promise<Buffer | undefined>;
}

/** Makes the listed screenshot BeginFrames run their main frame but draw nothing; returns how many did. */
function blankScreenshots(browser: CaptureBrowser, which: Set<number>): { blanked: number } {
  const call = browser as unknown as BeginFrameCall;
  const real = call.beginFrame.bind(browser);
  const counts = { shots: 0, blanked: 0 };
  call.beginFrame = async (withScreenshot, options) => {
    if (!withScreenshot) return real(withScreenshot, options);
    counts.shots++;
    if (!which.has(counts.shots)) return real(true, options);
    counts.blanked++;
    await real(true, { noDisplayUpdates: true });
    return undefined;
  };
  return counts;
}

/** The BeginFrame a capture browser sends to Chromium, which the test times. */
interface SendBeginFrameCall {
  sendBeginFrame(withScreenshot: boolean, options: { noDisplayUpdates?: boolean }): Promise<Buffer | undefined>;
}

/**
 * Holds back each screenshot's answer a while (a slow frame: the next seek, sent at its main frame, arrives
 * while it is still pending) and counts BeginFrames sent while another was pending. Counts from the first
 * screenshot on (page loading ticks are not frames).
 */
function slowScreenshots(browser: CaptureBrowser): { sent: number; composites: number; whileAnotherPending: number } {
  const call = browser as unknown as SendBeginFrameCall;
  const real = call.sendBeginFrame.bind(browser);
  const counts = { sent: 0, composites: 0, whileAnotherPending: 0 };
  let pending = 0;
  let capturing = false;
  call.sendBeginFrame = async (withScreenshot, options) => {
    capturing ||= withScreenshot;
    if (!capturing) return real(withScreenshot, options);
    counts.sent++;
    if (!withScreenshot && !options.noDisplayUpdates) counts.composites++;
    if (pending > 0) counts.whileAnotherPending++;
    pending++;
    try {
      const image = await real(withScreenshot, options);
      if (withScreenshot) await new Promise(resolve => setTimeout(resolve, 40));
      return image;
    } finally {
      pending--;
    }
  };
  return counts;
}

function stages(overrides: { overlapSeeks?: boolean; setup?: (browsers: CaptureBrowser[]) => void }): RenderStages {
  return {
    ...ENGINE_RENDER_STAGES,
    launchCaptureBrowsers: async input => {
      const browsers = await ENGINE_RENDER_STAGES.launchCaptureBrowsers(input);
      overrides.setup?.(browsers);
      return browsers;
    },
    capture: input => ENGINE_RENDER_STAGES.capture({ ...input, ...(overrides.overlapSeeks === undefined ? {} : { overlapSeeks: overrides.overlapSeeks }) }),
  };
}


const captureSummary = (lines: string[]) => lines.find(line => line.startsWith('capture: ms summed')) ?? '';

/** The capture log's counts of overlapped seeks, late frames redrawn and frames seeked again. */
function counters(lines: string[]): { overlappedSeeks: number; late: number; again: number } {
  const summary = captureSummary(lines);
  const count = (pattern: RegExp) => Number(pattern.exec(summary)?.[1] ?? Number.NaN);
  return { overlappedSeeks: count(/seeks overlapped (\d+)/), late: count(/late frames redrawn (\d+)/), again: count(/seeked again (\d+)/) };
}

describe('capture: the next frame is seeked while the current one is drawn', { timeout: TIMEOUT }, () => {
  let project: string;
  let sequential: string;
  let overlapped: string;
  let blanked: string;
  const overlappedLog = recordingLogger();
  const blankedLog = recordingLogger();
  let blanks = { blanked: 0 };

  before(async () => {
    project = clipAndBoxProject();
    const entryFile = path.join(project, 'index.html');
    sequential = path.join(project, 'sequential.mp4');
    overlapped = path.join(project, 'overlapped.mp4');
    blanked = path.join(project, 'blanked.mp4');
    await renderJob({ entryFile, outputPath: sequential, workers: 1 }, {}, stages({ overlapSeeks: false }));
    await renderJob({ entryFile, outputPath: overlapped, workers: 1 }, { logger: overlappedLog.logger }, stages({}));
    await renderJob({ entryFile, outputPath: blanked, workers: 1 }, { logger: blankedLog.logger },
      stages({ setup: browsers => { blanks = blankScreenshots(browsers[0], BLANK_SCREENSHOTS); } }));
  });
  after(() => removeProject(project));

  test('one browser overlaps its seeks by default, and the video is the sequential one, frame for frame', () => {
    const expected = frameHashes(sequential);
    assert.equal(expected.length, FRAMES);
    assert.deepEqual(frameHashes(overlapped), expected);
    // Every frame's seek went out while the frame before it was drawn, but frame 1's (frame 0 shows a video
    // image not decoded ahead, which draws on its own) and frame 0's, which has no frame before it. A frame
    // the compositor delivers late under load (a late or seeked-again frame) can cost one more.
    const { overlappedSeeks, late, again } = counters(overlappedLog.lines);
    assert.ok(overlappedSeeks <= FRAMES - 2 && overlappedSeeks >= FRAMES - 2 - late - again, captureSummary(overlappedLog.lines));
  });

  test('a frame drawn blank after the next seek went out is seeked again: the video is still the sequential one', () => {
    assert.equal(blanks.blanked, BLANK_SCREENSHOTS.size);
    assert.deepEqual(frameHashes(blanked), frameHashes(sequential));
    // Screenshot 31 is the redraw of the frame seeked again at 30: it waits for damage, as a late frame does.
    const { late, again } = counters(blankedLog.lines);
    assert.ok(again >= 2 && late >= 1, captureSummary(blankedLog.lines));
  });

  test('every frame of the blanked render shows its own video frame and box position', () => {
    assert.deepEqual(clipAndBoxMismatches(blanked), []);
    assert.deepEqual(leftovers(project), []);
  });
});

// A shader transition's frames are composited by the page between the seek and the screenshot, with a
// BeginFrame of their own (pageComposite.ts). Seeked while the frame before is drawn, that BeginFrame must wait
// for the one in flight: Chromium refuses a second ("Another frame is pending").
describe('capture: overlapped seeks into a shader transition', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = shaderTransitionProject(); });
  after(() => removeProject(project));

  test('the transition renders with one browser, frame for frame as without the overlap, one BeginFrame at a time', async () => {
    const entryFile = path.join(project, 'index.html');
    const sequentialVideo = path.join(project, 'sequential.mp4');
    const overlappedVideo = path.join(project, 'overlapped.mp4');
    const log = recordingLogger();
    let beginFrames = { sent: 0, composites: 0, whileAnotherPending: 0 };
    await renderJob({ entryFile, outputPath: sequentialVideo, workers: 1 }, {}, stages({ overlapSeeks: false }));
    await renderJob({ entryFile, outputPath: overlappedVideo, workers: 1 }, { logger: log.logger },
      stages({ setup: browsers => { beginFrames = slowScreenshots(browsers[0]); } }));
    assert.ok(counters(log.lines).overlappedSeeks > 0, captureSummary(log.lines));
    // The transition's frames painted their composites (a BeginFrame without a screenshot, while capturing),
    // and none was sent while another was pending, though each screenshot's answer was held back.
    assert.ok(beginFrames.composites > 0, JSON.stringify(beginFrames));
    assert.equal(beginFrames.whileAnotherPending, 0, JSON.stringify(beginFrames));
    assert.deepEqual(frameHashes(overlappedVideo), frameHashes(sequentialVideo));
  });
});
