// One chunk of a plan, rendered by its own render worker process (render/workerClient.ts) from the plan's
// laid-out project: frames [startFrame, endFrame) as a video-only segment whose GOPs are the plan's (one
// closed GOP per chunk), so the segments concatenate without re-encoding. The same function serves the
// local chunked render and the farm worker.
import type { RenderProgress } from '../render/events';
import type { RenderOptions } from '../render/types';
import { startRenderWorker } from '../render/workerClient';
import { StageError } from '../errors';
import type { PlanChunk, RenderPlan } from '../plan/types';
import type { CaptureMode } from '../capture/browserSession';
import { frameTime } from '../frameRate';

export interface RenderChunkInput {
  plan: RenderPlan;
  chunk: PlanChunk;
  /** The plan's entry, laid out by materializePlan. */
  entryFile: string;
  /** The segment to write (a file, or a folder of PNG frames). */
  outputFile: string;
  /** Tool paths and render policy of this machine and this render (not the locked config: that is the plan's). */
  local: Pick<RenderOptions, 'chromiumPath' | 'ffmpegPath' | 'runtimePath' | 'allowErrors' | 'strict' | 'probeTimeoutMs'>;
  signal?: AbortSignal;
  onProgress?: (progress: RenderProgress) => void;
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** dist/render-worker.js when not beside the running bundle. */
  workerPath?: string;
}

export interface ChunkResult {
  index: number;
  frames: number;
  wallMs: number;
  /** How the chunk's frames were captured (the plan may leave it to each machine: 'auto'). */
  captureMode: CaptureMode;
}

/** The RenderOptions of one chunk: the plan's locked config, the chunk's frame range, video only. */
export function chunkRenderOptions(input: Pick<RenderChunkInput, 'plan' | 'chunk' | 'entryFile' | 'outputFile' | 'local'>): RenderOptions {
  const { config } = input.plan;
  return {
    ...input.local,
    entryFile: input.entryFile, outputPath: input.outputFile, format: config.format, quality: config.quality, fps: config.frameRate,
    // Composition time: the plan's frames start at its range's first frame.
    range: { start: frameTime(config.firstFrame + input.chunk.startFrame, config.frameRate), end: frameTime(config.firstFrame + input.chunk.endFrame, config.frameRate) },
    scale: config.scale, ...(config.rateControl ? { rateControl: config.rateControl } : {}), ...(config.variables ? { variables: config.variables } : {}),
    workers: config.workersPerChunk, transparent: config.transparent, captureMode: config.captureMode,
    keyframeInterval: config.keyframeInterval, videoOnly: true,
    // A chunk's extracted video frames are the plan's to reuse: same clips, same fps, same cache.
  };
}

export async function renderPlanChunk(input: RenderChunkInput): Promise<ChunkResult> {
  const started = Date.now();
  const handle = startRenderWorker(chunkRenderOptions(input), { onProgress: input.onProgress, onLog: input.onLog, workerPath: input.workerPath });
  const onAbort = () => handle.cancel();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  if (input.signal?.aborted) handle.cancel();
  try {
    const result = await handle.done;
    const expected = input.chunk.endFrame - input.chunk.startFrame;
    if (result.frames !== expected) {
      throw new StageError('capture', `Chunk ${input.chunk.index} rendered ${result.frames} frames, not the plan's ${expected}: the composition's length changed under the plan.`, 'chunk-frame-count');
    }
    return { index: input.chunk.index, frames: result.frames, wallMs: Date.now() - started, captureMode: result.captureMode };
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}
