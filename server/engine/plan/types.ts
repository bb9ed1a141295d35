// A render plan: everything a chunk of a render needs, frozen once on the submitting machine so that every
// chunk of one video is rendered from the same bytes by the same software. It is a folder:
//   plan.json          this manifest (RenderPlan)
//   blobs/<sha256>     every file of the project, the compiled page and the mixed audio, content-addressed
// The plan hash covers the whole manifest, and the manifest names every blob by its sha256, so one hash
// verifies all of it (verify.ts).
import type { CaptureMode } from '../capture/browserSession';
import type { OutputFormat, RateControl, RenderQuality } from '../encode';
import type { FrameRate } from '../frameRate';

// 2: the config locks the exact frame rate, the device scale factor, a range's first frame, the rate control
// and variable values.
export const PLAN_FORMAT_VERSION = 2;
export const PLAN_MANIFEST_FILE = 'plan.json';
export const PLAN_BLOBS_FOLDER = 'blobs';

export interface PlanBlob {
  sha256: string;
  bytes: number;
}

export interface PlanFile extends PlanBlob {
  /** Relative to the project root, with forward slashes. */
  path: string;
}

/** The render settings every chunk is rendered with: nothing of them is left to the worker. */
export interface LockedRenderConfig {
  /** The composition's size in CSS pixels; the video is `scale` times it. */
  width: number;
  height: number;
  /** The device scale factor every frame is captured at (--scale, --resolution). */
  scale: number;
  /** Frames per second as a number (for people); `frameRate` is the exact rate every time is computed from. */
  fps: number;
  frameRate: FrameRate;
  /** The composition frame the video starts at (a range's first frame; 0 for the whole composition). */
  firstFrame: number;
  /** Frames of the whole video: the chunks tile [0, frameCount), composition frames firstFrame + that. */
  frameCount: number;
  format: OutputFormat;
  quality: RenderQuality;
  /** Replaces the quality's CRF (--crf, --video-bitrate); every chunk is one encoder run, so any rate control holds. */
  rateControl?: RateControl;
  /** The composition's variable values (--variables, a batch row), merged over its declared defaults by every chunk. */
  variables?: Record<string, unknown>;
  transparent: boolean;
  captureMode: CaptureMode | 'auto';
  /** yuv420p, or yuva420p with alpha (WebM); PNG sequences keep RGBA. */
  pixelFormat: 'yuv420p' | 'yuva420p' | 'rgba';
  /** Frames per chunk; every chunk but the last has exactly this many. Also the closed-GOP length. */
  chunkFrames: number;
  chunkCount: number;
  keyframeInterval: number;
  /** Capture browsers inside one chunk's render. */
  workersPerChunk: number;
}

/** The software a plan was made with; a worker whose major versions differ refuses it. */
export interface PlanTools {
  chromium: string;
  chromiumMajor: number;
  ffmpeg: string;
  ffmpegMajor: number;
  /** sha256 of the in-page runtime (dist/runtime.js) the page was probed with. */
  runtime: string;
}

export interface RenderPlan {
  formatVersion: number;
  /** sha256 over the canonical JSON of every other field. */
  planHash: string;
  createdAt: string;
  /** The entry HTML, relative to the project root. */
  entry: string;
  files: PlanFile[];
  /** The compiled page as the probe served it (for inspection and for verifying a worker's compile). */
  compiledPage: PlanBlob;
  /** The mixed audio track for the whole video (AAC for MP4, Opus for WebM); absent when nothing is audible. */
  audio?: PlanBlob & { codec: 'aac' | 'opus' };
  config: LockedRenderConfig;
  tools: PlanTools;
}

/** One chunk of a plan: composition frames [startFrame, endFrame). */
export interface PlanChunk {
  index: number;
  startFrame: number;
  endFrame: number;
}
