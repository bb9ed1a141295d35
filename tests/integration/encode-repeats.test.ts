// Repeated frames are not piped to ffmpeg (encode/ivfFramePipe.ts): the encoder's fps filter fills them in
// after the colour conversion. The output must be the file an encode of every frame makes (the same bytes of
// video), with every frame where it was written, a trailing hold included, at integer and NTSC rates, and for
// PNG frames into WebM too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startVideoEncoder, videoEncoderArgs, type VideoEncoderInput } from '../../server/engine/encode';
import { silentLogger } from '../../server/engine/logger';
import { FFMPEG, frameHashes } from '../fixtures/render/helpers';

/** Which distinct image each output frame shows: holds in the middle and at the end. */
const SEQUENCE = [0, 0, 1, 1, 1, 2, 3, 3, 0, 0, 0, 0];

/** A Buffer as the plain byte view the typed APIs take. */
const bytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** The same encode with every frame piped as image2pipe (what the engine did before): the expected bytes. */
function encodeEveryFrame(images: Buffer[], input: Omit<VideoEncoderInput, 'ffmpegPath' | 'logger' | 'signal'>, rate: string): void {
  const args = videoEncoderArgs(input);
  const at = args.indexOf('-i');
  const codec = input.frameFormat === 'jpeg' ? 'mjpeg' : 'png';
  const everyFrame = ['-f', 'image2pipe', '-c:v', codec, '-framerate', rate, ...args.slice(at, at + 2),
    ...args.slice(at + 2).map(arg => arg.replace(new RegExp(`,fps=${rate.replace('/', '\\/')}$`), ''))];
  execFileSync(FFMPEG, ['-v', 'error', ...everyFrame], { input: bytes(Buffer.concat(SEQUENCE.map(index => bytes(images[index])))) });
}

/** The video stream's packets, hashed (the container's own timestamps and atoms aside). */
function videoStreamHash(file: string): string {
  const stream = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  return crypto.createHash('sha256').update(stream.split('\n').filter(line => line && !line.startsWith('#')).join('\n')).digest('hex');
}

describe('encode: repeated frames are filled in by ffmpeg, not piped', () => {
  let dir: string;
  const images: Record<'jpeg' | 'png', Buffer[]> = { jpeg: [], png: [] };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-encode-repeats-'));
    for (const format of ['jpeg', 'png'] as const) {
      const pattern = path.join(dir, `src-%d.${format === 'jpeg' ? 'jpg' : 'png'}`);
      execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=1:d=4', '-start_number', '0', '-y', pattern]);
      images[format] = [0, 1, 2, 3].map(index => fs.readFileSync(pattern.replace('%d', String(index))));
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: Array<{ name: string; input: Omit<VideoEncoderInput, 'ffmpegPath' | 'logger' | 'signal' | 'outputFile'>; rate: string; ext: string }> = [
    { name: 'MP4 from JPEG at 30 fps', input: { format: 'mp4', quality: 'standard', fps: 30, frameFormat: 'jpeg' }, rate: '30', ext: 'mp4' },
    { name: 'MP4 from JPEG at 30000/1001', input: { format: 'mp4', quality: 'standard', fps: { num: 30000, den: 1001 }, frameFormat: 'jpeg' }, rate: '30000/1001', ext: 'mp4' },
    { name: 'WebM with alpha from PNG at 24 fps', input: { format: 'webm', quality: 'draft', fps: 24, frameFormat: 'png', alpha: true }, rate: '24', ext: 'webm' },
  ];
  for (const { name, input, rate, ext } of cases) {
    test(`${name}: the same video as piping every frame, each frame in its place`, async () => {
      const outputFile = path.join(dir, `${name.replace(/\W+/g, '-')}.${ext}`);
      const sink = startVideoEncoder({ ...input, outputFile, ffmpegPath: FFMPEG, logger: silentLogger });
      try {
        // Each repeat is a separate buffer with the same bytes, as two capture browsers hand them over.
        for (const index of SEQUENCE) await sink.write(Buffer.from(bytes(images[input.frameFormat][index])));
        await sink.finish();
      } finally {
        await sink.close();
      }
      const expectedFile = path.join(dir, `expected-${name.replace(/\W+/g, '-')}.${ext}`);
      encodeEveryFrame(images[input.frameFormat], { ...input, outputFile: expectedFile }, rate);
      const hashes = frameHashes(outputFile);
      assert.equal(hashes.length, SEQUENCE.length);
      // Frames showing different images differ (a repeat itself is a lossy P-frame: not always equal to the first).
      SEQUENCE.forEach((image, frame) => SEQUENCE.forEach((other, otherFrame) => {
        if (image !== other) assert.notEqual(hashes[frame], hashes[otherFrame], `frames ${frame} and ${otherFrame}`);
      }));
      assert.deepEqual(hashes, frameHashes(expectedFile));
      assert.equal(videoStreamHash(outputFile), videoStreamHash(expectedFile));
    });
  }
});
