// Cutting a plan's frames into chunks [start, end): every chunk but the last holds exactly chunkFrames
// frames, so the chunks tile the video with no frame twice and none missed.
import { MAX_CHUNKS } from '../limits';
import { PlanError } from './errors';
import type { PlanChunk } from './types';

/** Frames per chunk for `chunks` chunks (or as given), at least 1 and never more than the video. */
export function chunkFramesFor(frameCount: number, chunks: number | undefined, chunkFrames: number | undefined): number {
  if (chunkFrames !== undefined) {
    if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new PlanError('plan-invalid', `A chunk must hold a whole number of frames, at least 1 (got ${chunkFrames}).`);
    return Math.min(chunkFrames, frameCount);
  }
  const count = chunks ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_CHUNKS) throw new PlanError('plan-invalid', `The chunk count must be a whole number from 1 to ${MAX_CHUNKS} (MAX_CHUNKS; got ${count}).`);
  return Math.ceil(frameCount / Math.min(count, frameCount));
}

export function planChunks(frameCount: number, chunkFrames: number): PlanChunk[] {
  const chunks: PlanChunk[] = [];
  for (let start = 0, index = 0; start < frameCount; start += chunkFrames, index++) {
    chunks.push({ index, startFrame: start, endFrame: Math.min(frameCount, start + chunkFrames) });
  }
  return chunks;
}
