// A capture browser whose compositor stops drawing: BeginFrame answers "no damage" to every frame, through
// invalidations (seen about once in six CI runs of the video stress test). The capture replaces that browser
// with a fresh one and captures the frame again; the video equals a render without the stall, frame for frame.
//
// The stall itself cannot be provoked on demand (freezing or minimising the page still draws), so the test
// makes one browser process stall: past its Nth screenshot its BeginFrames ask Chromium for no display update,
// which Chromium really answers with no damage and no image. The stall is bound to that process, as the real
// one is: the replacement draws.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaptureBrowser } from '../../server/engine/capture';
import { StageError } from '../../server/engine/errors';
import { CAPTURE_BROWSER_RESTARTS_MAX } from '../../server/engine/limits';
import { ENGINE_RENDER_STAGES, renderJob, type RenderStages } from '../../server/engine/render/renderJob';
import { CLIP_AND_BOX_FRAMES as FRAMES, clipAndBoxMismatches, clipAndBoxProject } from '../fixtures/render/compositions';
import { frameHashes, leftovers, recordingLogger, removeProject } from '../fixtures/render/helpers';
import { isAlive } from '../support/processes';

const TIMEOUT = 240_000;
/** A stalled browser is given up on after this long here (the engine's default is LATE_FRAME_TIMEOUT_MS). */
const STALL_TIMEOUT_MS = 1_500;

/** The private BeginFrame call of a capture browser, which the test reroutes. */
interface BeginFrameCall {
  beginFrame(withScreenshot: boolean, options?: { noDisplayUpdates?: boolean }): Promise<Buffer | undefined>;
}

/**
 * Makes the browser's current process stall after `goodScreenshots` screenshots; `everyProcess` stalls each
 * replacement too. Returns the pids that stalled.
 */
function stallAfter(browser: CaptureBrowser, goodScreenshots: number, everyProcess = false): number[] {
  const call = browser as unknown as BeginFrameCall;
  const real = call.beginFrame.bind(browser);
  const stalledPid = browser.pid;
  const shots = new Map<number | undefined, number>();
  const stalled: number[] = [];
  call.beginFrame = async (withScreenshot, options) => {
    const pid = browser.pid;
    if (withScreenshot && (everyProcess || pid === stalledPid)) {
      const taken = (shots.get(pid) ?? 0) + 1;
      shots.set(pid, taken);
      if (taken > goodScreenshots) {
        if (pid !== undefined && !stalled.includes(pid)) stalled.push(pid);
        await real(true, { noDisplayUpdates: true });
        return undefined;
      }
    }
    return real(withScreenshot, options);
  };
  return stalled;
}

function stallingStages(setup: (browsers: CaptureBrowser[]) => void): RenderStages {
  return {
    ...ENGINE_RENDER_STAGES,
    launchCaptureBrowsers: async input => {
      const browsers = await ENGINE_RENDER_STAGES.launchCaptureBrowsers({ ...input, lateFrameTimeoutMs: STALL_TIMEOUT_MS });
      setup(browsers);
      return browsers;
    },
  };
}


describe('capture: a browser whose compositor stops drawing is replaced', { timeout: TIMEOUT }, () => {
  let project: string;
  let reference: string;
  let stalledOutput: string;
  let stalledPids: number[] = [];
  let browsersAfter: CaptureBrowser[] = [];
  const log = recordingLogger();

  before(async () => {
    project = clipAndBoxProject();
    reference = path.join(project, 'reference.mp4');
    stalledOutput = path.join(project, 'stalled.mp4');
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: reference, workers: 2 });
    // Browser 1 stalls at its 13th screenshot (frame 24 or so, mid-render, with a preload in flight).
    await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: stalledOutput, workers: 2 }, { logger: log.logger },
      stallingStages(browsers => { browsersAfter = browsers; stalledPids = stallAfter(browsers[0], 12); }));
  });
  after(() => removeProject(project));

  test('the stall happened, was reported, and its process is gone', () => {
    assert.equal(stalledPids.length, 1, 'one process stalled');
    assert.equal(browsersAfter[0].restarts, 1);
    assert.equal(browsersAfter[1].restarts, 0);
    assert.ok(!isAlive(stalledPids[0]), 'the stalled browser process was closed');
    const warning = log.lines.find(w => /drew no new frame/.test(w));
    assert.match(warning ?? '', /^Frame \d+ \(t = [\d.]+ s\): BeginFrame drew no new frame in 1500 ms .*Replacing capture browser 1 with a fresh one/);
  });

  test('the video equals the render without a stall, frame for frame', () => {
    const expected = frameHashes(reference);
    assert.equal(expected.length, FRAMES);
    assert.deepEqual(frameHashes(stalledOutput), expected);
  });

  test('every frame shows its own video frame and box position (the frames are not stale)', () => {
    assert.deepEqual(clipAndBoxMismatches(stalledOutput), []);
  });

  test('a stall in every replacement fails the render with the reason, leaving nothing behind', async () => {
    const output = path.join(project, 'always-stalled.mp4');
    let pids: number[] = [];
    let browsers: CaptureBrowser[] = [];
    await assert.rejects(
      renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, workers: 1 }, {},
        stallingStages(launched => { browsers = launched; pids = stallAfter(launched[0], 3, true); })),
      (error: unknown) => error instanceof StageError && error.stage === 'capture' && error.code === 'capture-failed' && /drew no new frame in 1500 ms/.test(error.message),
    );
    assert.equal(browsers[0].restarts, CAPTURE_BROWSER_RESTARTS_MAX);
    assert.equal(pids.length, CAPTURE_BROWSER_RESTARTS_MAX + 1, 'the first process and each replacement stalled');
    assert.deepEqual(pids.filter(pid => isAlive(pid)), [], 'no browser process is left');
    assert.ok(!fs.existsSync(output), 'no output');
    assert.deepEqual(leftovers(project), []);
  });
});
