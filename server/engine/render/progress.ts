// Turns the sequencer's stage changes and captured-frame counts into RenderProgress events: fraction of
// the whole job, frames per second over the last second or so, ETA. During capture an event goes out at
// most every PROGRESS_MIN_INTERVAL_MS, and at least every PROGRESS_HEARTBEAT_MS even when no frame landed.
import { PROGRESS_HEARTBEAT_MS, PROGRESS_MIN_INTERVAL_MS } from '../limits';
import type { StageName } from '../errors';
import type { RenderProgress } from './events';

// Share of the whole job each stage ends at (capture dominates; the rest is fixed cost).
const STAGE_END_FRACTION: Record<StageName, number> = {
  compile: 0.02, probe: 0.08, capture: 0.94, audio: 0.94, encode: 0.97, mux: 1,
};
const STAGE_START_FRACTION: Record<StageName, number> = {
  compile: 0, probe: 0.02, capture: 0.08, audio: 0.94, encode: 0.94, mux: 0.97,
};
/** Frames-per-second is measured over this window of recent frames. */
const FPS_WINDOW_MS = 1500;

export class ProgressReporter {
  private frameTimes: Array<{ at: number; frame: number }> = [];
  private lastEmit = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private current: RenderProgress = { stage: 'compile', fraction: 0 };

  constructor(private readonly emit: ((progress: RenderProgress) => void) | undefined) {}

  stage(stage: StageName, message?: string): void {
    this.stopHeartbeat();
    this.current = { stage, fraction: STAGE_START_FRACTION[stage], message };
    this.send();
  }

  startCapture(totalFrames: number): void {
    this.stage('capture', `Capturing ${totalFrames} frames`);
    this.current = { ...this.current, frame: 0, totalFrames };
    this.frameTimes = [{ at: Date.now(), frame: 0 }];
    this.heartbeat = setInterval(() => this.send(), PROGRESS_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  frame(written: number): void {
    const now = Date.now();
    this.frameTimes.push({ at: now, frame: written });
    while (this.frameTimes.length > 2 && now - this.frameTimes[0].at > FPS_WINDOW_MS) this.frameTimes.shift();
    const total = this.current.totalFrames ?? written;
    const oldest = this.frameTimes[0];
    const seconds = (now - oldest.at) / 1000;
    const fps = seconds > 0 ? (written - oldest.frame) / seconds : undefined;
    const start = STAGE_START_FRACTION.capture;
    this.current = {
      stage: 'capture',
      frame: written,
      totalFrames: total,
      fps: fps !== undefined ? Math.round(fps * 10) / 10 : undefined,
      etaSeconds: fps ? Math.round(((total - written) / fps) * 10) / 10 : undefined,
      fraction: start + (STAGE_END_FRACTION.capture - start) * (total ? written / total : 1),
    };
    if (written === total || now - this.lastEmit >= PROGRESS_MIN_INTERVAL_MS) this.send();
  }

  done(message: string): void {
    this.stopHeartbeat();
    this.current = { stage: 'done', fraction: 1, message };
    this.send();
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private send(): void {
    this.lastEmit = Date.now();
    this.emit?.({ ...this.current });
  }
}
