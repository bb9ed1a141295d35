// Which matrix and range an extracted frame is converted from: the source's tags, else Chromium's rule.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { jpegColourFilter, sourceColour } from '../../server/engine/capture/videoColour';

const stream = (facts: Partial<Parameters<typeof sourceColour>[0]>) => ({ height: 360, pixelFormat: 'yuv420p', colorSpace: undefined, colorRange: undefined, ...facts });

test('tagged matrices and ranges are followed', () => {
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt709', colorRange: 'tv' })), { matrix: 'bt709', range: 'tv', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'smpte170m', height: 1080 })), { matrix: 'bt601', range: 'tv', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt470bg', colorRange: 'pc' })), { matrix: 'bt601', range: 'pc', guessed: false });
  assert.deepEqual(sourceColour(stream({ colorSpace: 'bt2020nc' })), { matrix: 'bt2020', range: 'tv', guessed: false });
});

test('a yuvj pixel format is full range unless tagged limited', () => {
  assert.equal(sourceColour(stream({ pixelFormat: 'yuvj420p' })).range, 'pc');
  assert.equal(sourceColour(stream({ pixelFormat: 'yuvj420p', colorRange: 'tv' })).range, 'tv');
});

test('untagged: BT.601 under 720 rows, BT.709 from 720 rows (Chromium)', () => {
  assert.deepEqual(sourceColour(stream({ height: 718 })), { matrix: 'bt601', range: 'tv', guessed: true });
  assert.deepEqual(sourceColour(stream({ height: 720 })), { matrix: 'bt709', range: 'tv', guessed: true });
  assert.deepEqual(sourceColour(stream({ height: 1280, colorSpace: undefined })), { matrix: 'bt709', range: 'tv', guessed: true });
});

test('RGB sources have no matrix', () => {
  assert.equal(sourceColour(stream({ pixelFormat: 'gbrp' })).matrix, undefined);
  assert.equal(sourceColour(stream({ pixelFormat: 'rgba' })).matrix, undefined);
  assert.equal(jpegColourFilter({ matrix: undefined, range: 'pc', guessed: false }), 'format=yuvj420p');
});

// Patches of known RGB, written as Y'CbCr with each matrix and range, go through the filter into a JPEG; a
// JFIF decode (what Chromium does) must give the patches' RGB back.
const PATCHES: Array<[number, number, number]> = [[251, 0, 1], [0, 250, 0], [0, 0, 250], [200, 60, 40], [30, 160, 220], [128, 128, 128], [235, 235, 235], [20, 20, 20], [90, 200, 70]];
const PATCH = 64;

function jpegRoundTrip(matrix: 'bt709' | 'bt601' | 'bt2020', range: 'tv' | 'pc'): Array<[number, number, number]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-colour-'));
  try {
    const rgb = new Uint8Array(PATCHES.length * PATCH * PATCH * 3);
    PATCHES.forEach((colour, i) => {
      for (let y = 0; y < PATCH; y++) for (let x = 0; x < PATCH; x++) rgb.set(colour, ((y * PATCHES.length * PATCH) + i * PATCH + x) * 3);
    });
    fs.writeFileSync(path.join(dir, 'in.rgb'), rgb);
    const size = `${PATCHES.length * PATCH}x${PATCH}`;
    const tag = { bt709: 'bt709', bt601: 'smpte170m', bt2020: 'bt2020nc' }[matrix];
    // The source: exact RGB → Y'CbCr 4:2:0 in the matrix and range (a "j" format for full range, as cameras
    // write), losslessly encoded and tagged.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', size, '-i', path.join(dir, 'in.rgb'),
      '-vf', `scale=out_color_matrix=${matrix}:out_range=${range}:flags=accurate_rnd+full_chroma_int,format=${range === 'pc' ? 'yuvj420p' : 'yuv420p'}`,
      '-colorspace', tag, '-color_range', range, '-c:v', 'libx264', '-qp', '0', '-preset', 'ultrafast', path.join(dir, 'source.mkv')]);
    // -t as the extraction gives it (it changed how the filter graph was negotiated).
    execFileSync('ffmpeg', ['-v', 'error', '-t', '1', '-i', path.join(dir, 'source.mkv'), '-vf', jpegColourFilter({ matrix, range, guessed: false }),
      '-q:v', '2', '-frames:v', '1', path.join(dir, 'frame.jpg')]);
    // JFIF: full-range BT.601, as a browser reads it.
    const decoded = execFileSync('ffmpeg', ['-v', 'error', '-i', path.join(dir, 'frame.jpg'),
      '-vf', 'scale=in_color_matrix=bt601:in_range=pc:flags=accurate_rnd+full_chroma_int,format=rgb24', '-f', 'rawvideo', '-']);
    return PATCHES.map((_, i) => {
      const at = ((PATCH / 2) * PATCHES.length * PATCH + i * PATCH + PATCH / 2) * 3;
      return [decoded[at], decoded[at + 1], decoded[at + 2]];
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const [matrix, range] of [['bt709', 'tv'], ['bt601', 'tv'], ['bt709', 'pc'], ['bt601', 'pc'], ['bt2020', 'tv']] as const) {
  test(`a ${matrix} ${range === 'tv' ? 'limited' : 'full'}-range source's colours survive the JPEG (JFIF decode within 3 levels)`, () => {
    const shown = jpegRoundTrip(matrix, range);
    PATCHES.forEach((colour, i) => {
      const off = Math.max(...colour.map((c, k) => Math.abs(c - shown[i][k])));
      assert.ok(off <= 3, `patch ${JSON.stringify(colour)} came back as ${JSON.stringify(shown[i])}`);
    });
  });
}
