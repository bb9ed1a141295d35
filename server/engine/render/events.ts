// What a render reports while it runs: per-stage timings (written by the sequencer only) and progress
// events (sent over the protocol and printed by `render --json`).
import type { StageName } from '../errors';

/** Timings per stage in milliseconds, recorded by the sequencer only. */
export type StageTimings = Partial<Record<`${StageName}Ms`, number>> & {
  /** Finding Chromium, ffmpeg and ffprobe. */
  toolsMs?: number;
  /** The encoder's whole life, overlapping the capture (encodeMs is only its flush after the last frame). */
  encoderMs?: number;
  /** Renaming the finished output into place. */
  publishMs?: number;
  totalMs?: number;
};

/** A progress event of a render job (also sent over the protocol and printed by `render --json`). */
export interface RenderProgress {
  stage: StageName | 'done';
  /** Frames captured so far and the total, during capture/encode. */
  frame?: number;
  totalFrames?: number;
  /** Captured frames per second over the last second or so. */
  fps?: number;
  /** Seconds left, estimated. */
  etaSeconds?: number;
  /** 0..1 over the whole job. */
  fraction: number;
  message?: string;
}
