// Progress of a chunked render, as a local render shows it: the stages, and frame N/M summed over chunks.
import { ProgressReporter } from '../render/progress';
import type { RenderProgress } from '../render/events';

export class ChunkedProgress {
  private readonly reporter: ProgressReporter;
  private readonly framesByChunk = new Map<number, number>();

  constructor(emit: ((progress: RenderProgress) => void) | undefined) {
    this.reporter = new ProgressReporter(emit);
  }

  planning(): void { this.reporter.stage('compile', 'Planning'); }

  capturing(totalFrames: number): void { this.reporter.startCapture(totalFrames); }

  /** A chunk's frames written so far (never goes back: a retried chunk's restart does not undo progress shown). */
  chunkFrames(index: number, frames: number): void {
    const before = this.framesByChunk.get(index) ?? 0;
    if (frames <= before) return;
    this.framesByChunk.set(index, frames);
    this.reporter.frame([...this.framesByChunk.values()].reduce((a, b) => a + b, 0));
  }

  assembling(): void { this.reporter.stage('mux', 'Assembling the chunks'); }

  done(message: string): void { this.reporter.done(message); }

  stop(): void { this.reporter.stopHeartbeat(); }
}
