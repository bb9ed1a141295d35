// Time and frame arithmetic of the preview. Frames are i / fps for i in [0, frameCount), as the renderer
// captures them, so a frame step lands exactly on a render frame.
import { frameCount } from '../server/engine/model';

/** Frame index shown for time t (the frame the render captures at or before t). */
export function frameAt(t: number, fps: number): number {
  return Math.floor(t * fps + 1e-6);
}

/** Time of the last frame the render captures. */
export function lastFrameTime(duration: number, fps: number): number {
  const frames = frameCount(duration, fps);
  return frames > 0 ? (frames - 1) / fps : 0;
}

/** The frame time nearest to t (i / fps), what a scrub lands on. */
export function snapToFrame(t: number, fps: number): number {
  return Math.round(t * fps) / fps;
}

export function totalFrames(duration: number, fps: number): number {
  return frameCount(duration, fps);
}

/** "1:02.345" */
export function formatTime(seconds: number): string {
  const safe = Math.max(0, seconds);
  const minutes = Math.floor(safe / 60);
  const rest = safe - minutes * 60;
  return `${minutes}:${rest.toFixed(3).padStart(6, '0')}`;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
