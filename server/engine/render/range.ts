// Rendering part of a composition: which composition frames a time range covers.
//
// The rule is model.ts's frameCount(), applied to both ends: frame i shows composition time i / fps, and
// a range [start, end) covers the frames whose time lies inside it, so
//   first frame = frameCount(start, fps)   (the frames before start are skipped)
//   end frame   = frameCount(end, fps)     (exclusive; clamped to the composition's last frame)
// A time within FRAME_COUNT_EPSILON of a frame's time counts as that frame's time, so a range starting at
// 0.5 s at 30 fps starts at frame 15 exactly. Adjacent ranges ([0, a), [a, b), …) tile the composition
// with no frame twice and none missed, and the output lasts exactly frames / fps.
import { frameCount } from '../model';
import { StageError } from '../errors';

/** Seconds of composition time; end is exclusive and may lie past the end (clamped). */
export interface RenderRange {
  start: number;
  end: number;
}

/** The composition frames a render covers: [firstFrame, endFrame). */
export interface FrameWindow {
  firstFrame: number;
  endFrame: number;
  frames: number;
}

function seconds(value: number): string {
  return `${Number(value.toFixed(3))} s`;
}

/** Rejects a range that cannot mean anything, before any work starts (stage: compile). */
export function checkRange(range: RenderRange | undefined): void {
  if (!range) return;
  const { start, end } = range;
  if (typeof start !== 'number' || Number.isNaN(start) || typeof end !== 'number' || Number.isNaN(end)) {
    throw new StageError('compile', 'The render range needs a start and an end in seconds.', 'invalid-range');
  }
  if (start < 0 || !Number.isFinite(start)) {
    throw new StageError('compile', `The render range starts at ${start} s; it must start at 0 s or later.`, 'invalid-range');
  }
  if (end <= start) {
    throw new StageError('compile', `The render range ${seconds(start)} – ${seconds(end)} is empty: its end must come after its start.`, 'invalid-range');
  }
}

/**
 * The frames to render out of a composition of `totalFrames` frames: all of them without a range, else
 * the range's frames (see the rule above). A range that holds no frame of the composition is a StageError
 * (stage: probe, where the duration became known).
 */
export function frameWindow(range: RenderRange | undefined, totalFrames: number, fps: number): FrameWindow {
  if (!range) return { firstFrame: 0, endFrame: totalFrames, frames: totalFrames };
  checkRange(range);
  const firstFrame = frameCount(range.start, fps);
  const endFrame = Number.isFinite(range.end) ? Math.min(totalFrames, frameCount(range.end, fps)) : totalFrames;
  if (endFrame <= firstFrame) {
    const duration = totalFrames / fps;
    throw new StageError('probe',
      `The render range ${seconds(range.start)} – ${seconds(range.end)} holds no frame of the composition (0 s – ${seconds(duration)} at ${fps} fps).`,
      'empty-range');
  }
  return { firstFrame, endFrame, frames: endFrame - firstFrame };
}
