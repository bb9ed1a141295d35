// How many capture browsers a render starts (capture/workerCount.ts): as asked; one for a short render; else
// from the cores, and never more than the memory budget allows for the page's size and video clips.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { captureBrowserBytes, chooseCaptureWorkers } from '../../server/engine/capture/workerCount';
import { CAPTURE_MEMORY_BUDGET_BYTES } from '../../server/engine/limits';

const GB = 1024 ** 3;
const machine = { cores: 2, freeBytes: 16 * GB };

describe('capture workers', () => {
  test('as asked, whatever the machine', () => {
    assert.deepEqual(chooseCaptureWorkers({ requested: 3, frames: 30, width: 1920, height: 1080, videoClips: 2, ...machine }), { workers: 3, reason: '3 as asked' });
  });

  test('one for a render too short to repay a second browser', () => {
    assert.equal(chooseCaptureWorkers({ frames: 30, width: 320, height: 180, videoClips: 0, ...machine }).workers, 1);
  });

  test('a 1080p page without video: two on 2 cores, one core left to the encoder on more', () => {
    const page = { frames: 150, width: 1920, height: 1080, videoClips: 0 };
    const two = chooseCaptureWorkers({ ...page, ...machine });
    assert.equal(two.workers, 2);
    assert.match(two.reason, /^2 \(2 core\(s\) allow 2; about 310 MB a browser for a 1920x1080 page, 1024 MB for all\)$/);
    assert.equal(chooseCaptureWorkers({ ...page, cores: 4, freeBytes: 16 * GB }).workers, 3);
  });

  test('a 1080p page painting video clips: one browser, and the log says memory decided', () => {
    const chosen = chooseCaptureWorkers({ frames: 180, width: 1920, height: 1080, videoClips: 2, ...machine });
    assert.equal(chosen.workers, 1);
    assert.match(chosen.reason, /with 2 video clip\(s\) page.*: memory allows 1\)$/);
    assert.ok(captureBrowserBytes(1920, 1080, 2) * 2 > CAPTURE_MEMORY_BUDGET_BYTES);
  });

  test('little free memory: half of it is the budget, at least one browser', () => {
    assert.equal(chooseCaptureWorkers({ frames: 150, width: 1920, height: 1080, videoClips: 0, cores: 8, freeBytes: 1.3 * GB }).workers, 2);
    assert.equal(chooseCaptureWorkers({ frames: 150, width: 3840, height: 2160, videoClips: 1, cores: 8, freeBytes: 0.5 * GB }).workers, 1);
  });

  test('a small page costs less than a 1080p one, never below half', () => {
    assert.equal(captureBrowserBytes(320, 180, 0), captureBrowserBytes(960, 540, 0));
    assert.ok(captureBrowserBytes(3840, 2160, 0) === 4 * captureBrowserBytes(1920, 1080, 0));
  });
});
