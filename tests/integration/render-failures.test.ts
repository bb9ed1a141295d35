// Renders that must not succeed, and renders that are cancelled: a typed error naming the stage, no
// output, no partial file, and no browser or ffmpeg left running.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { RenderCancelledError, StageError } from '../../server/engine/errors';
import { basicProject } from '../fixtures/render/compositions';
import { compositionHtml, leftovers, makeProject, removeProject } from '../fixtures/render/helpers';
import { childPids, isAlive, waitUntilGone } from '../support/processes';

const TIMEOUT = 120_000;

/** Child processes the render started and left behind (compared with the ones present before). */
function newChildren(before: number[]): number[] {
  return childPids().filter(pid => !before.includes(pid) && isAlive(pid));
}


describe('render: cancel', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => { project = basicProject({ duration: 10 }); });
  after(() => removeProject(project));

  test('aborting mid-capture rejects with RenderCancelledError and leaves nothing behind', async () => {
    const output = path.join(project, 'renders', 'cancelled.mp4');
    const before = childPids();
    const controller = new AbortController();
    let running: number[] = [];
    const render = renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output }, {
      signal: controller.signal,
      onProgress: p => {
        if (p.stage === 'capture' && (p.frame ?? 0) >= 5 && !controller.signal.aborted) {
          running = newChildren(before);
          controller.abort();
        }
      },
    });
    await assert.rejects(render, (error: unknown) => error instanceof RenderCancelledError && error.stage === 'capture');
    // Two capture browsers and ffmpeg were running when the abort came.
    assert.ok(running.length >= 2, `children at abort: ${running.length}`);
    assert.deepEqual(await waitUntilGone(running), [], 'every browser and ffmpeg is gone');
    assert.deepEqual(newChildren(before), []);
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(project), []);
    assert.deepEqual(fs.readdirSync(path.dirname(output)), []);
  });

  test('an already aborted signal never starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(renderJob({ entryFile: path.join(project, 'index.html') }, { signal: controller.signal }), RenderCancelledError);
  });
});

describe('render: bad input', { timeout: TIMEOUT }, () => {
  const projects: string[] = [];
  after(() => projects.forEach(removeProject));

  async function expectStageError(html: string, stage: string, code: string | RegExp, extra: Parameters<typeof renderJob>[0] extends infer O ? Partial<O> : never = {}): Promise<StageError> {
    const dir = makeProject({ 'index.html': html });
    projects.push(dir);
    const output = path.join(dir, 'renders', 'out.mp4');
    const before = childPids();
    let caught: unknown;
    try {
      await renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output, ...extra });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof StageError, `expected a StageError, got ${String(caught)}`);
    assert.equal(caught.stage, stage, caught.message);
    assert.match(caught.code, code instanceof RegExp ? code : new RegExp(`^${code}$`));
    assert.equal(fs.existsSync(output), false);
    assert.deepEqual(leftovers(dir), []);
    assert.deepEqual(await waitUntilGone(newChildren(before)), []);
    return caught;
  }

  test('a missing audio file blocks the render before capture, naming the file, line and code', async () => {
    const error = await expectStageError(compositionHtml({
      body: `<audio id="gone" src="media/nope.wav" data-start="0" data-duration="1" data-track-index="0"></audio>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }), 'compile', 'composition-errors');
    assert.match(error.message, /^Render blocked by 1 error\(s\):\n.*index\.html:8:\d+ error audio_src_not_found: .*nope\.wav/);
    assert.match(error.message, /--allow-errors/);
    assert.deepEqual(error.diagnostics.map(d => d.code), ['audio_src_not_found']);
  });

  test('with allowErrors a missing audio file fails in the audio stage, naming the file', async () => {
    const error = await expectStageError(compositionHtml({
      body: `<audio id="gone" src="media/nope.wav" data-start="0" data-duration="1" data-track-index="0"></audio>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }), 'audio', 'missing-media', { allowErrors: true });
    assert.match(error.message, /nope\.wav/);
  });

  test('with allowErrors a missing video file fails in the capture stage', async () => {
    const error = await expectStageError(compositionHtml({
      body: `<video id="gone" src="media/nope.mp4" muted data-start="0" data-duration="1" data-track-index="0"></video>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }), 'capture', 'missing-media', { allowErrors: true });
    assert.match(error.message, /nope\.mp4/);
  });

  test('a script that throws blocks the render at the probe; allowErrors renders it', async () => {
    const html = compositionHtml({
      body: `<div id="box" class="clip" data-start="0" data-duration="1" style="width:10px;height:10px;background:red"></div>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });\nnotDefinedAnywhere();`,
    });
    const error = await expectStageError(html, 'probe', 'composition-errors');
    assert.match(error.message, /index\.html:\d+:\d+ error page-error: Uncaught (ReferenceError: )?notDefinedAnywhere is not defined/);
    const project = makeProject({ 'index.html': html });
    try {
      const output = path.join(project, 'allowed.mp4');
      const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: output, allowErrors: true });
      assert.ok(fs.existsSync(output));
      assert.ok(result.warnings.some(d => d.code === 'page-error'), 'the allowed error is reported with the result');
    } finally {
      removeProject(project);
    }
  });

  test('warnings never block, unless strict', async () => {
    const html = compositionHtml({
      body: `<div id="box" data-start="0" data-duration="1"></div>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    });
    const project = makeProject({ 'index.html': html });
    try {
      const result = await renderJob({ entryFile: path.join(project, 'index.html'), outputPath: path.join(project, 'ok.mp4') });
      assert.equal(result.frames, 30);
    } finally {
      removeProject(project);
    }
  });

  test('--strict stops at warnings too', async () => {
    const error = await expectStageError(compositionHtml({
      body: `<video id="loud" src="media/nope.mp4" data-start="0" data-duration="1" data-track-index="0"></video>`,
      script: `window.__timelines['main'] = gsap.timeline({ paused: true });`,
    }), 'compile', 'composition-errors', { strict: true, allowErrors: true });
    assert.ok(error.diagnostics.some(d => d.code === 'video_missing_muted'), error.message);
  });

  test('zero duration: probe error that says why', async () => {
    const error = await expectStageError(compositionHtml({ duration: null, body: '<div id="a">no timing</div>' }), 'probe', 'zero-duration');
    assert.match(error.message, /duration is 0/i);
  });

  test('a script that never finishes: probe timeout', async () => {
    await expectStageError(compositionHtml({
      body: '<div id="a"></div>',
      script: `window.__timelines['main'] = gsap.timeline({ paused: true }); while (true) {}`,
    }), 'probe', /timeout/, { probeTimeoutMs: 3000 });
  });

  test('an entry file that does not exist', async () => {
    await assert.rejects(renderJob({ entryFile: '/nonexistent/index.html' }), (error: unknown) => error instanceof StageError && error.stage === 'compile');
  });
});
