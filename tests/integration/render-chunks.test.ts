// Chunked renders on one machine (render --chunks N): the plan's frame ranges, each rendered by its own
// worker process, joined without re-encoding, must equal an in-process render of the same locked config
// (closed GOPs of one chunk, each its own encoder run): same frame count, ≥ 50 dB PSNR at every frame (in
// fact the same decoded frames, MP4 and WebM), the video clip's numbered frames in order across the seam,
// the same audio; with a rate control, a scale, a range or a rational rate too, each locked into the plan.
// A plan changed after it was made is refused. Real
// Chromium, ffmpeg and render worker processes (dist/render-worker.js: run `npm run build` first).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderJob } from '../../server/engine/render/renderJob';
import { renderChunked } from '../../server/engine/chunks/renderChunked';
import { buildPlan } from '../../server/engine/plan/build';
import { chunkFramesFor } from '../../server/engine/plan/chunking';
import type { RenderOptions } from '../../server/engine/render/types';
import { checkPlanTools, planBlobPath, readPlanManifest, verifyPlan } from '../../server/engine/plan/verify';
import { PLAN_MANIFEST_FILE } from '../../server/engine/plan/types';
import { StageError } from '../../server/engine/errors';
import { framePsnr, frameTimes } from '../fixtures/chunks/psnr';
import { SEAM_FPS, SEAM_FRAMES, seamProject } from '../fixtures/chunks/seamComposition';
import { audioSamples, closeTo, frameHashes, GSAP_SOURCE, leftovers, numberedColour, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';
import { childPids, readProcess, waitUntilGone } from '../support/processes';

const TIMEOUT = 240_000;
/** The reference's bar for a distributed render against an in-process one. */
const MIN_PSNR_DB = 50;
/** The clip's numbered frame colours survive the H.264 round trip within this. */
const COLOUR_TOLERANCE = 24;
const CLIP_START_FRAME = 12; // data-start 0.4 s at 30 fps
const CLIP_CENTRE = [82, 68] as const;
/** A composition whose variables set a colour and a tween's distance (render-variables.test.ts reads the same fixture). */
const VARIABLES_FIXTURE = path.resolve(__dirname, '../fixtures/render/variables');

function tempDirsNamed(prefix: string): string[] {
  return fs.readdirSync(os.tmpdir()).filter(name => name.startsWith(prefix));
}

describe('render --chunks: chunks joined without re-encoding equal the in-process render', { timeout: TIMEOUT }, () => {
  let project: string;
  let entry: string;
  let inProcess: string;
  const chunkDirsBefore = tempDirsNamed('hyperframes-chunks-');

  before(async () => {
    project = seamProject();
    entry = path.join(project, 'index.html');
    inProcess = path.join(project, 'in-process.mp4');
    // The plan locks closed GOPs of one chunk (30 frames for two chunks); the in-process render uses the same.
    await renderJob({ entryFile: entry, outputPath: inProcess, keyframeInterval: SEAM_FRAMES / 2 });
  });
  after(() => removeProject(project));

  test('mp4 in 2 chunks: 60 frames, every frame ≥ 50 dB, the clip in order across the seam, the same audio', async () => {
    const output = path.join(project, 'out', 'chunked.mp4');
    const progress: number[] = [];
    const result = await renderChunked({ entryFile: entry, outputPath: output }, 2, {
      onProgress: p => { if (p.stage === 'capture' && p.frame !== undefined) progress.push(p.frame); },
    });
    assert.equal(result.chunks, 2);
    assert.equal(result.frames, SEAM_FRAMES);
    assert.equal(result.hasAudio, true);
    const streams = probeStreams(output);
    assert.equal(Number(streams.video?.nb_read_frames), SEAM_FRAMES);
    assert.equal(streams.audio?.codec_name, 'aac');

    const psnr = framePsnr(inProcess, output);
    assert.equal(psnr.length, SEAM_FRAMES);
    assert.deepEqual(frameTimes(output), frameTimes(inProcess), 'the same timestamps as the in-process render');
    const below = psnr.map((db, frame) => ({ frame, db })).filter(({ db }) => db < MIN_PSNR_DB);
    assert.deepEqual(below, [], `frames under ${MIN_PSNR_DB} dB: ${JSON.stringify(below)}`);
    assert.deepEqual(frameHashes(output), frameHashes(inProcess), 'the decoded frames are the in-process render\'s');

    // No frame doubled or lost at the seam (frame 30): the clip shows its own frame n − 12 at every frame.
    for (const frame of [28, 29, 30, 31]) {
      const colour = pixelAt(output, frame, CLIP_CENTRE[0], CLIP_CENTRE[1]);
      assert.ok(closeTo(colour, numberedColour(frame - CLIP_START_FRAME), COLOUR_TOLERANCE), `frame ${frame}: ${colour} is not clip frame ${frame - CLIP_START_FRAME}`);
    }

    // One audio track, muxed once: sample for sample the in-process render's.
    const ours = audioSamples(output);
    const theirs = audioSamples(inProcess);
    assert.ok(Math.abs(ours.length - theirs.length) <= 1024, `audio ${ours.length} vs ${theirs.length} samples`);
    let worst = 0;
    for (let i = 0; i < Math.min(ours.length, theirs.length); i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
    assert.ok(worst < 1e-3, `audio differs by up to ${worst}`);

    // Frames summed over chunks, ending at the whole video's count.
    assert.equal(progress.at(-1), SEAM_FRAMES);
    assert.deepEqual(leftovers(path.dirname(output)), []);
  });

  test('webm in 3 chunks: 60 frames, each the in-process render\'s bit for bit, no frame doubled or lost at either seam', async () => {
    const reference = path.join(project, 'in-process.webm');
    await renderJob({ entryFile: entry, outputPath: reference, format: 'webm', keyframeInterval: SEAM_FRAMES / 3 });
    const output = path.join(project, 'chunked.webm');
    const result = await renderChunked({ entryFile: entry, outputPath: output, format: 'webm' }, 3);
    assert.equal(result.frames, SEAM_FRAMES);
    const streams = probeStreams(output);
    assert.equal(Number(streams.video?.nb_read_frames), SEAM_FRAMES);
    assert.equal(streams.audio?.codec_name, 'opus');
    // Every GOP is its own encoder run in both renders (encode/gopSegments.ts): the same frames, bit for bit.
    const psnr = framePsnr(reference, output);
    assert.equal(psnr.length, SEAM_FRAMES);
    const below = psnr.map((db, frame) => ({ frame, db })).filter(({ db }) => db < MIN_PSNR_DB);
    assert.deepEqual(below, [], `frames under ${MIN_PSNR_DB} dB: ${JSON.stringify(below)}`);
    assert.deepEqual(frameHashes(output), frameHashes(reference), 'the decoded frames are the in-process render\'s');
    assert.deepEqual(frameTimes(output), frameTimes(reference), 'the same timestamps as the in-process render');
    // Every frame at its own time, within WebM's millisecond: none doubled, none skipped at a seam.
    const off = frameTimes(output).map((t, i) => ({ i, ms: Math.abs(t - i / SEAM_FPS) * 1000 })).filter(({ ms }) => ms > 1);
    assert.deepEqual(off, [], `frames off their time: ${JSON.stringify(off)}`);
  });

  test('a plan changed after it was made is refused (plan-hash-mismatch); other tools are refused (tool-version-mismatch)', async () => {
    const planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-test-plan-'));
    try {
      const plan = await buildPlan({ render: { entryFile: entry }, chunks: 2, planDir });
      assert.equal(plan.config.frameCount, SEAM_FRAMES);
      assert.equal(plan.config.chunkFrames, 30);
      assert.equal(plan.config.keyframeInterval, 30);
      assert.equal(plan.config.fps, SEAM_FPS);
      assert.ok(plan.audio, 'the mixed audio is in the plan');
      assert.ok(plan.files.some(file => file.path === 'clip.mp4'));
      await verifyPlan(planDir, plan.planHash);

      // A byte of the page changed in the plan.
      const page = plan.files.find(file => file.path === 'index.html')!;
      fs.appendFileSync(planBlobPath(planDir, page), ' ');
      await assert.rejects(verifyPlan(planDir), (error: unknown) => error instanceof StageError && error.code === 'plan-hash-mismatch');
      fs.truncateSync(planBlobPath(planDir, page), page.bytes);
      await verifyPlan(planDir);

      // The locked config changed in the manifest.
      const manifestFile = path.join(planDir, PLAN_MANIFEST_FILE);
      const manifest = fs.readFileSync(manifestFile, 'utf8');
      fs.writeFileSync(manifestFile, manifest.replace('"frameCount":60', '"frameCount":59'));
      assert.throws(() => readPlanManifest(planDir), (error: unknown) => error instanceof StageError && error.code === 'plan-hash-mismatch');

      assert.throws(() => checkPlanTools(plan, { ...plan.tools, chromiumMajor: plan.tools.chromiumMajor + 1 }),
        (error: unknown) => error instanceof StageError && error.code === 'tool-version-mismatch' && /Chromium/.test(error.message));
      assert.throws(() => checkPlanTools(plan, { ...plan.tools, ffmpegMajor: plan.tools.ffmpegMajor - 1 }),
        (error: unknown) => error instanceof StageError && error.code === 'tool-version-mismatch' && /ffmpeg/.test(error.message));
    } finally {
      fs.rmSync(planDir, { recursive: true, force: true });
    }
  });

  /**
   * A chunked render with `options` against the in-process render with the same options and the plan's GOP
   * (one chunk): the frame count ffprobe reads, every frame ≥ 50 dB (here: the same decoded frames), the same
   * frame timestamps, the size asked.
   */
  async function assertChunkedEqualsInProcess(name: string, options: Omit<RenderOptions, 'entryFile'>, chunks: number, expected: { frames: number; width: number; height: number }, entryFile = entry): Promise<void> {
    const reference = path.join(project, `in-process-${name}.${options.format ?? 'mp4'}`);
    const output = path.join(project, 'out', `chunked-${name}.${options.format ?? 'mp4'}`);
    await renderJob({ ...options, entryFile, outputPath: reference, keyframeInterval: chunkFramesFor(expected.frames, chunks, undefined) });
    const result = await renderChunked({ ...options, entryFile, outputPath: output }, chunks);
    assert.equal(result.chunks, chunks);
    assert.equal(result.frames, expected.frames);
    assert.deepEqual([result.width, result.height], [expected.width, expected.height]);
    for (const file of [reference, output]) {
      const { video } = probeStreams(file);
      assert.equal(Number(video?.nb_read_frames), expected.frames, `${path.basename(file)}: frames`);
      assert.deepEqual([video?.width, video?.height], [expected.width, expected.height], `${path.basename(file)}: size`);
    }
    const psnr = framePsnr(reference, output);
    assert.equal(psnr.length, expected.frames);
    const below = psnr.map((db, frame) => ({ frame, db })).filter(({ db }) => db < MIN_PSNR_DB);
    assert.deepEqual(below, [], `frames under ${MIN_PSNR_DB} dB: ${JSON.stringify(below)}`);
    assert.deepEqual(frameHashes(output), frameHashes(reference), 'the decoded frames are the in-process render\'s');
    assert.deepEqual(frameTimes(output), frameTimes(reference), 'the same timestamps as the in-process render');
    assert.deepEqual(leftovers(path.dirname(output)), []);
  }

  test('--crf (mp4) and --video-bitrate (webm) are locked into the plan: the chunks equal the in-process render at that rate', async () => {
    await assertChunkedEqualsInProcess('crf', { rateControl: { crf: 40 } }, 2, { frames: SEAM_FRAMES, width: 160, height: 90 });
    // The rate control reached the chunks' encoders: CRF 40 is a fraction of the default CRF 18's size.
    assert.ok(fs.statSync(path.join(project, 'out', 'chunked-crf.mp4')).size < fs.statSync(inProcess).size * 0.8, 'CRF 40 is smaller than CRF 18');
    await assertChunkedEqualsInProcess('bitrate', { format: 'webm', rateControl: { bitrate: 40_000 } }, 3, { frames: SEAM_FRAMES, width: 160, height: 90 });
  });

  test('--scale 2 is locked into the plan: 320x180 chunks equal the in-process render at scale 2', async () => {
    await assertChunkedEqualsInProcess('scale', { scale: 2 }, 2, { frames: SEAM_FRAMES, width: 320, height: 180 });
  });

  test('--from 0.5 --to 1.5 is locked into the plan: its 30 frames in 2 chunks equal the in-process range render, audio included', async () => {
    await assertChunkedEqualsInProcess('range', { range: { start: 0.5, end: 1.5 } }, 2, { frames: 30, width: 160, height: 90 });
    const output = path.join(project, 'out', 'chunked-range.mp4');
    // The clip's frame n − 12 at composition frame n: the range's first frame is composition frame 15.
    for (const frame of [0, 14, 15]) {
      const colour = pixelAt(output, frame, CLIP_CENTRE[0], CLIP_CENTRE[1]);
      assert.ok(closeTo(colour, numberedColour(15 + frame - CLIP_START_FRAME), COLOUR_TOLERANCE), `frame ${frame}: ${colour} is not clip frame ${15 + frame - CLIP_START_FRAME}`);
    }
    const ours = audioSamples(output);
    const theirs = audioSamples(path.join(project, 'in-process-range.mp4'));
    assert.ok(ours.length > 0 && Math.abs(ours.length - theirs.length) <= 1024, `audio ${ours.length} vs ${theirs.length} samples`);
  });

  test('a rational rate (30000/1001) is locked into the plan: 60 frames at N·1001/30000 s equal the in-process render', async () => {
    await assertChunkedEqualsInProcess('ntsc', { fps: { num: 30000, den: 1001 } }, 2, { frames: 60, width: 160, height: 90 });
    const times = frameTimes(path.join(project, 'out', 'chunked-ntsc.mp4'));
    const off = times.map((t, i) => ({ i, ms: Math.abs(t - (i * 1001) / 30000) * 1000 })).filter(({ ms }) => ms > 0.1);
    assert.deepEqual(off, [], `frames off their time: ${JSON.stringify(off)}`);
  });

  test('--variables are locked into the plan: every chunk renders the values, and equals the in-process render with them', async () => {
    const variablesProject = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-chunks-variables-'));
    try {
      fs.cpSync(VARIABLES_FIXTURE, variablesProject, { recursive: true });
      fs.mkdirSync(path.join(variablesProject, 'vendor'));
      fs.copyFileSync(GSAP_SOURCE, path.join(variablesProject, 'vendor/gsap.min.js'));
      const variables = { accent: '#00ff00', distance: 400 };
      await assertChunkedEqualsInProcess('variables', { variables }, 2, { frames: 60, width: 640, height: 360 }, path.join(variablesProject, 'index.html'));
      // The values reached the chunks: the swatch is the given green (its default is red), the tween went to 400.
      const output = path.join(project, 'out', 'chunked-variables.mp4');
      assert.ok(closeTo(pixelAt(output, 45, 60, 140), [0, 255, 0], COLOUR_TOLERANCE), `swatch ${pixelAt(output, 45, 60, 140)}`);
      assert.ok(closeTo(pixelAt(output, 45, 420, 220), [255, 255, 255], COLOUR_TOLERANCE), `mover ${pixelAt(output, 45, 420, 220)}`);
    } finally {
      removeProject(variablesProject);
    }
  });

  test('nothing is left: no temporary folder, no worker process', async () => {
    assert.deepEqual(tempDirsNamed('hyperframes-chunks-').filter(name => !chunkDirsBefore.includes(name)), []);
    // A worker that has just sent its result may still be exiting: it must be gone within a few seconds.
    // (tsx keeps its esbuild service as a child of the test process: not ours.)
    const ours = childPids().filter(pid => /render-worker|chrom|ffmpeg/.test(readProcess(pid)?.command ?? ''));
    const remaining = await waitUntilGone(ours, 5_000);
    assert.deepEqual(remaining.map(pid => readProcess(pid)?.command), []);
  });
});
