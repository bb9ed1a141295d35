// A plan-locked encode runs one encoder per GOP (encode/gopSegments.ts): the joined video must be exactly the
// GOPs encoded one by one (what a chunked render's workers write), with a keyframe at every GOP and nowhere
// else, whatever the machine's CPUs, and a cancelled or failing encode leaves no ffmpeg, no segment and no
// output behind. Real ffmpeg.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startVideoEncoder, type VideoEncoderInput } from '../../server/engine/encode';
import { startGopSegmentEncoder } from '../../server/engine/encode/gopSegments';
import { silentLogger } from '../../server/engine/logger';
import { PLAN_ENCODER_THREADS } from '../../server/engine/limits';
import { FFMPEG, FFPROBE, frameHashes } from '../fixtures/render/helpers';
import { childPids, readProcess, waitUntilGone } from '../support/processes';

const FRAMES = 50;
const GOP = 20;

/** The video packets' keyframe flags, in order. */
function keyframeIndices(file: string): number[] {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out.trim().split('\n').map((flags, index) => (flags.startsWith('K') ? index : -1)).filter(index => index >= 0);
}

async function ffmpegChildrenGone(): Promise<string[]> {
  const ours = childPids().filter(pid => /ffmpeg/.test(readProcess(pid)?.command ?? ''));
  return (await waitUntilGone(ours, 5_000)).map(pid => readProcess(pid)?.command ?? String(pid));
}

describe('encode: one encoder run per GOP, joined by the chunk assembly\'s concat step', () => {
  let dir: string;
  let frames: Buffer[];
  const encoder = (outputFile: string): VideoEncoderInput => ({
    ffmpegPath: FFMPEG, format: 'webm', quality: 'standard', fps: 30, frameFormat: 'jpeg', keyframeInterval: GOP, outputFile, logger: silentLogger,
  });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-gop-segments-'));
    const pattern = path.join(dir, 'src-%03d.jpg');
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30:d=${FRAMES / 30}`, '-start_number', '0', '-y', pattern]);
    frames = Array.from({ length: FRAMES }, (_, i) => fs.readFileSync(pattern.replace('%03d', String(i).padStart(3, '0'))));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the joined video is the GOPs encoded alone, frame for frame, a keyframe at every GOP; nothing else is left', async () => {
    const workDir = fs.mkdtempSync(path.join(dir, 'work-'));
    const output = path.join(dir, 'joined.webm');
    const sink = startGopSegmentEncoder({ ...encoder(output), format: 'webm', keyframeInterval: GOP, workDir }, startVideoEncoder);
    try {
      for (const frame of frames) await sink.write(frame);
      await sink.finish();
    } finally {
      await sink.close();
    }
    // What a chunk's worker writes: each GOP's frames into an encoder of their own.
    const alone: string[] = [];
    for (let start = 0; start < FRAMES; start += GOP) {
      const file = path.join(dir, `alone-${start}.webm`);
      const single = startVideoEncoder({ ...encoder(file), threads: PLAN_ENCODER_THREADS });
      for (const frame of frames.slice(start, start + GOP)) await single.write(frame);
      await single.finish();
      await single.close();
      alone.push(...frameHashes(file));
    }
    assert.equal(frameHashes(output).length, FRAMES);
    assert.deepEqual(frameHashes(output), alone);
    assert.deepEqual(keyframeIndices(output), [0, 20, 40]);
    assert.deepEqual(fs.readdirSync(workDir), [], 'no segment folder left');
  });

  test('a machine with one CPU encodes the same video as one with two (the thread count is the plan\'s, not the CPUs\')', async () => {
    // ffmpeg restricted to one CPU: x264 and libvpx size their default thread pools from the CPUs they may use.
    const oneCpu = path.join(dir, 'ffmpeg-one-cpu');
    fs.writeFileSync(oneCpu, `#!/bin/sh\nexec taskset -c 0 ${FFMPEG} "$@"\n`, { mode: 0o755 });
    const hashes: string[][] = [];
    for (const ffmpegPath of [oneCpu, FFMPEG]) {
      const workDir = fs.mkdtempSync(path.join(dir, 'work-'));
      const output = path.join(workDir, 'out.webm');
      const sink = startGopSegmentEncoder({ ...encoder(output), ffmpegPath, format: 'webm', keyframeInterval: GOP, workDir }, startVideoEncoder);
      try {
        for (const frame of frames) await sink.write(frame);
        await sink.finish();
      } finally {
        await sink.close();
      }
      hashes.push(frameHashes(output));
    }
    assert.equal(hashes[0].length, FRAMES);
    assert.deepEqual(hashes[0], hashes[1]);
  });

  test('closed mid-GOP (a cancel): the running ffmpeg is stopped, no segment and no output are left', async () => {
    const workDir = fs.mkdtempSync(path.join(dir, 'work-'));
    const output = path.join(dir, 'cancelled.webm');
    const sink = startGopSegmentEncoder({ ...encoder(output), format: 'webm', keyframeInterval: GOP, workDir }, startVideoEncoder);
    for (const frame of frames.slice(0, GOP + 5)) await sink.write(frame);
    await sink.close();
    assert.deepEqual(await ffmpegChildrenGone(), []);
    assert.deepEqual(fs.readdirSync(workDir), []);
    assert.equal(fs.existsSync(output), false);
  });

  test('a join that fails rejects finish, and close leaves no segment and no output', async () => {
    const workDir = fs.mkdtempSync(path.join(dir, 'work-'));
    // The GOPs encode into the work folder; the join cannot write where no folder exists.
    const output = path.join(dir, 'missing-folder', 'failed.webm');
    const sink = startGopSegmentEncoder({ ...encoder(output), format: 'webm', keyframeInterval: GOP, workDir }, startVideoEncoder);
    try {
      for (const frame of frames) await sink.write(frame);
      await assert.rejects(sink.finish(), /ffmpeg exited with code/);
    } finally {
      await sink.close();
    }
    assert.deepEqual(await ffmpegChildrenGone(), []);
    assert.deepEqual(fs.readdirSync(workDir), []);
    assert.equal(fs.existsSync(output), false);
  });
});
