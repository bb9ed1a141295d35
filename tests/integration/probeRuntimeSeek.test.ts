// The in-page runtime seeks what the frame at t shows: clip windows (relative starts resolved by the
// engine), the root GSAP timeline, a sub-composition's timeline at its local time (clamped to its host),
// CSS animations, timeline callbacks and virtual time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { compile } from '../../server/engine/compile';
import { closeProbeResources, runProbeStage } from '../../server/engine/probe';
import type { ProbeResult } from '../../server/engine/probe/types';
import { projectFromFixture, runtimeBundle, type TempProject } from './probeSupport';
import { waitForExit } from '../support/processes';

interface FrameState {
  hidden: Record<string, boolean>;
  faderOpacity: number;
  pulseWidth: number;
  subX: number;
  stamp: string;
  raf: string | undefined;
  dateOffset: number;
  performanceNow: number;
}

const READ_STATE = `(() => {
  const hidden = {};
  for (const id of ['early', 'late', 'fader', 'sub', 'sub-box']) {
    hidden[id] = getComputedStyle(document.getElementById(id)).visibility === 'hidden';
  }
  return {
    hidden,
    faderOpacity: Number(getComputedStyle(document.getElementById('fader')).opacity),
    pulseWidth: parseFloat(getComputedStyle(document.getElementById('pulse')).width),
    subX: Number(gsap.getProperty('#sub-box', 'x')),
    stamp: document.getElementById('stamp').textContent,
    raf: document.getElementById('stamp').dataset.raf,
    dateOffset: Date.now() - Date.UTC(2025, 0, 1),
    performanceNow: performance.now(),
  };
})()`;

describe('runtime seek', { timeout: 120_000 }, () => {
  let project: TempProject;
  let result: ProbeResult;
  let page: Page;

  before(async () => {
    project = projectFromFixture('seek');
    const compileInput = { entryFile: project.file('index.html') };
    result = await runProbeStage({ compiled: await compile(compileInput), compileInput, runtimePath: runtimeBundle() });
    assert.ok(result.resources.page && result.resources.browser);
    page = result.resources.page;
  });

  after(async () => {
    const pid = result.resources.browser?.browser.process()?.pid;
    const origin = result.resources.fileServer?.origin;
    await closeProbeResources(result.resources);
    assert.ok(await waitForExit(pid), 'the browser the probe launched is gone');
    await assert.rejects(fetch(`${origin}/index.html`), 'the file server is closed');
    project.remove();
  });

  async function stateAt(t: number): Promise<FrameState> {
    await page.evaluate(`window.__hf.seek(${t})`);
    return page.evaluate(READ_STATE) as Promise<FrameState>;
  }

  it('reports the static duration and ran rAF callbacks on the virtual clock during ready', async () => {
    assert.equal(result.duration, 4);
    assert.equal(await page.evaluate('window.__hf.duration'), 4);
    const state = await page.evaluate(READ_STATE) as FrameState;
    assert.equal(state.raf, '0');
    assert.equal(state.performanceNow, 0);
  });

  it('t = 0.5: first clip shown, relative-start clip hidden, tweens and CSS animations at 0.5 s', async () => {
    const state = await stateAt(0.5);
    assert.deepEqual(state.hidden, { early: false, late: true, fader: false, sub: true, 'sub-box': true });
    assert.equal(state.faderOpacity, 0.25);
    assert.equal(state.pulseWidth, 50);
    assert.equal(state.dateOffset, 500);
    assert.equal(state.performanceNow, 500);
  });

  it('t = 2.5: "early + 1" clip shown from 2 s, sub-composition seeked at its local 0.5 s', async () => {
    const state = await stateAt(2.5);
    assert.deepEqual(state.hidden, { early: true, late: false, fader: false, sub: false, 'sub-box': false });
    assert.equal(state.faderOpacity, 1);
    assert.equal(state.pulseWidth, 200);
    assert.equal(state.subX, 25);
    assert.notEqual(state.stamp, 'called');
  });

  it('t = 3.2: host window over (sub-composition clamped to its 1 s), timeline callback fired', async () => {
    const state = await stateAt(3.2);
    assert.deepEqual(state.hidden, { early: true, late: false, fader: false, sub: true, 'sub-box': true });
    assert.equal(state.subX, 50);
    assert.equal(state.stamp, 'called');
  });

  it('t = 3.5: a clip is hidden at its end (windows are [start, end))', async () => {
    const state = await stateAt(3.5);
    assert.equal(state.hidden.late, true);
  });

  it('seeking back restores the earlier frame', async () => {
    const state = await stateAt(0.5);
    assert.deepEqual(state.hidden, { early: false, late: true, fader: false, sub: true, 'sub-box': true });
    assert.equal(state.faderOpacity, 0.25);
    assert.equal(state.subX, 0);
    assert.equal(state.pulseWidth, 50);
  });
});

describe('runtime seek: media', { timeout: 120_000 }, () => {
  let project: TempProject;
  let result: ProbeResult;
  let page: Page;

  before(async () => {
    project = projectFromFixture('media');
    fs.mkdirSync(project.file('assets'));
    // A 2 s test video with a keyframe every frame, so every seek lands exactly.
    const ffmpeg = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=10:duration=2',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '1', project.file('assets/clip.mp4')], { encoding: 'utf8' });
    assert.equal(ffmpeg.status, 0, ffmpeg.stderr);
    const compileInput = { entryFile: project.file('index.html') };
    result = await runProbeStage({ compiled: await compile(compileInput), compileInput, runtimePath: runtimeBundle() });
    assert.ok(result.resources.page);
    page = result.resources.page;
  });

  after(async () => {
    await closeProbeResources(result.resources);
    project.remove();
  });

  async function positionsAt(t: number): Promise<{ once: number; looped: number; onceHidden: boolean; paused: boolean }> {
    await page.evaluate(`window.__hf.seek(${t})`);
    return page.evaluate(`(() => {
      const once = document.getElementById('once');
      const looped = document.getElementById('looped');
      return { once: once.currentTime, looped: looped.currentTime, onceHidden: getComputedStyle(once).visibility === 'hidden', paused: once.paused && looped.paused };
    })()`) as Promise<{ once: number; looped: number; onceHidden: boolean; paused: boolean }>;
  }

  it('reads the media durations and reports no mismatch with ffprobe', () => {
    assert.equal(result.diagnostics.filter(d => d.code === 'media-duration-mismatch').length, 0);
    assert.equal(result.duration, 5);
  });

  it('seeks each video to (t - start) + data-media-start, looping or holding the last frame', async () => {
    const early = await positionsAt(0.5);
    assert.equal(early.onceHidden, true, 'hidden before its start');
    assert.equal(early.once, 0.5, 'parked at its media start');
    assert.equal(early.looped, 0.5);
    const inside = await positionsAt(1.5);
    assert.equal(inside.onceHidden, false);
    assert.equal(inside.once, 1);
    const late = await positionsAt(3.5);
    assert.equal(late.once, 2, 'past the source end: the last frame is held');
    assert.equal(late.looped, 1.5, 'loop: 3.5 s modulo the 2 s source');
    assert.equal(late.paused, true, 'the runtime never lets media play on its own');
  });
});
