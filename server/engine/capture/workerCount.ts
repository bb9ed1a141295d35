// How many capture browsers a render starts, from the machine (cores, free memory) and the composition (its
// size, whether it paints video clips), with the reason in words for the log.
//
// Memory per capture browser, measured on this machine at 1920x1080 (beginframe, Chromium 156, sum of the
// browser's processes' RSS): about 310 MB for a GSAP page, about 950 MB for a page painting two 1080p video
// clips (the renderer's decoded-image caches fill with frames: 512 MB of its 711 MB were discardable shared memory,
// Chromium's own limit for it, min(512 MB, a quarter of RAM, half the shared-memory folder's free space); a
// simulated memory-pressure notification, moderate or critical, released none of it). Two browsers on a video page took the render to
// 2.3 GB for a 10% shorter wall time than one browser at 1.35 GB; the reference's low-memory mode exists
// because 8 GB machines thrashed. So the browsers together stay within CAPTURE_MEMORY_BUDGET_BYTES (and half
// of the memory free now), and video pages get fewer of them.
import os from 'node:os';
import { CAPTURE_MEMORY_BUDGET_BYTES, DEFAULT_CAPTURE_WORKERS, MAX_CAPTURE_WORKERS, MIN_FRAMES_PER_EXTRA_WORKER } from '../limits';

const MB = 1024 * 1024;
/** Measured per-browser memory at 1080p (above); scaled by the page's pixels, never below half. */
const BROWSER_BYTES_1080P = 310 * MB;
const VIDEO_BROWSER_BYTES_1080P = 950 * MB;
const PIXELS_1080P = 1920 * 1080;

export interface CaptureWorkersInput {
  /** --workers / RenderOptions.workers: taken as given. */
  requested?: number;
  /** Frames the render captures. */
  frames: number;
  width: number;
  height: number;
  /** The page paints extracted video frames. */
  videoClips: number;
  /** Machine facts (tests pass their own). */
  cores?: number;
  freeBytes?: number;
}

export interface CaptureWorkers {
  workers: number;
  /** Why, for the log: "2 (2 cores; about 310 MB a browser, within the 1024 MB budget)". */
  reason: string;
}

/** Estimated memory of one capture browser for a page of this size and content. */
export function captureBrowserBytes(width: number, height: number, videoClips: number): number {
  const scale = Math.max(0.5, (width * height) / PIXELS_1080P);
  return Math.round((videoClips > 0 ? VIDEO_BROWSER_BYTES_1080P : BROWSER_BYTES_1080P) * scale);
}

export function chooseCaptureWorkers(input: CaptureWorkersInput): CaptureWorkers {
  if (input.requested !== undefined) {
    const workers = Math.max(1, Math.floor(input.requested));
    return { workers, reason: `${workers} as asked` };
  }
  if (input.frames < MIN_FRAMES_PER_EXTRA_WORKER) {
    return { workers: 1, reason: `1: ${input.frames} frames do not repay a second browser's launch` };
  }
  const cores = input.cores ?? os.availableParallelism();
  // Two BeginFrame browsers beat one on 2 cores (the encoder runs beside them); on more, one core is left to
  // the encoder so that capture never waits for it.
  const byCores = Math.min(MAX_CAPTURE_WORKERS, cores <= DEFAULT_CAPTURE_WORKERS ? DEFAULT_CAPTURE_WORKERS : cores - 1);
  const perBrowser = captureBrowserBytes(input.width, input.height, input.videoClips);
  const budget = Math.min(CAPTURE_MEMORY_BUDGET_BYTES, (input.freeBytes ?? os.freemem()) / 2);
  const byMemory = Math.max(1, Math.floor(budget / perBrowser));
  const workers = Math.max(1, Math.min(byCores, byMemory));
  const page = `${input.width}x${input.height}${input.videoClips > 0 ? ` with ${input.videoClips} video clip(s)` : ''}`;
  const memory = `about ${Math.round(perBrowser / MB)} MB a browser for a ${page} page, ${Math.round(budget / MB)} MB for all`;
  return { workers, reason: `${workers} (${cores} core(s) allow ${byCores}; ${memory}${byMemory < byCores ? `: memory allows ${byMemory}` : ''})` };
}
