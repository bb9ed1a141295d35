// `render --chunks N` on one machine: plan once, lay the plan's project out once, render its chunks each in
// its own worker process (at most MAX_PARALLEL_LOCAL_CHUNKS at a time), assemble. The result is the same
// RenderResult a local render gives, with the plan, chunk and assembly timings. Nothing but the finished
// output is left anywhere: the plan, the segments and the laid-out project live in one temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_PARALLEL_LOCAL_CHUNKS } from '../limits';
import { RenderCancelledError, StageError } from '../errors';
import { silentLogger } from '../logger';
import { locateFfmpeg } from '../tools';
import { frameTime } from '../frameRate';
import { defaultOutputPath } from '../render/output';
import { pathCreated, pathReleased } from '../render/ownedResources';
import type { OutputFormat, RenderCallbacks, RenderOptions, RenderResult } from '../render/types';
import type { CaptureMode } from '../capture/browserSession';
import { buildPlan } from '../plan/build';
import { planChunks } from '../plan/chunking';
import { materializePlan, verifyPlan } from '../plan/verify';
import type { RenderPlan } from '../plan/types';
import { assembleChunks } from './assemble';
import { ChunkedProgress } from './progress';
import { renderPlanChunk, type ChunkResult } from './renderChunk';

/** The formats whose segments concatenate without re-encoding (or, for PNG, simply renumber). */
export const CHUNKED_FORMATS: readonly OutputFormat[] = ['mp4', 'webm', 'png'];

export interface ChunkedTimings {
  planMs: number;
  /** From the first chunk's start to the last one's end. */
  chunksMs: number;
  assembleMs: number;
  perChunkMs: number[];
}

/** What a chunked (or farm) render reports: the output's facts, and where its time went. */
export interface ChunkedRenderResult {
  outputPath: string;
  format: OutputFormat;
  sizeBytes: number;
  /** Seconds of video. */
  duration: number;
  frames: number;
  fps: number;
  width: number;
  height: number;
  hasAudio: boolean;
  wallMs: number;
  planHash: string;
  chunks: number;
  chunkTimings: ChunkedTimings;
  /** The first chunk's capture mode, and the capture browsers of each chunk's render (the plan's). */
  captureMode: CaptureMode;
  captureWorkers: number;
}

/** A chunked or farm render's result as a local render reports it (the editor's notification and log read these). */
export function asRenderResult(result: ChunkedRenderResult): RenderResult {
  const t = result.chunkTimings;
  return {
    outputPath: result.outputPath, format: result.format, sizeBytes: result.sizeBytes, duration: result.duration, frames: result.frames,
    fps: result.fps, width: result.width, height: result.height, hasAudio: result.hasAudio, captureMode: result.captureMode,
    workers: result.captureWorkers, wallMs: result.wallMs, renderFps: result.wallMs > 0 ? result.frames / (result.wallMs / 1000) : 0,
    timings: { compileMs: t.planMs, captureMs: t.chunksMs, muxMs: t.assembleMs, totalMs: result.wallMs }, warnings: [],
  };
}

/** The segment file (or PNG folder) of chunk `index`. */
export function segmentName(plan: RenderPlan, index: number): string {
  const name = `chunk-${String(index).padStart(4, '0')}`;
  return plan.config.format === 'png' ? name : `${name}.${plan.config.format}`;
}

/** Runs `tasks` with at most `limit` at once; the first failure aborts the rest (through `abort`) and is thrown. */
export async function runLimited<T>(tasks: Array<() => Promise<T>>, limit: number, abort: () => void): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < tasks.length && !failure) {
      const index = next++;
      try {
        results[index] = await tasks[index]();
      } catch (error) {
        if (!failure) { failure = { error }; abort(); }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  if (failure) throw failure.error;
  return results;
}

export async function renderChunked(options: RenderOptions, chunks: number, callbacks: RenderCallbacks & { workerPath?: string } = {}): Promise<ChunkedRenderResult> {
  const logger = callbacks.logger ?? silentLogger;
  const started = Date.now();
  const format = options.format ?? (options.transparent ? 'webm' : 'mp4');
  if (!CHUNKED_FORMATS.includes(format)) throw new StageError('compile', `A ${format} render is not chunked: use --format ${CHUNKED_FORMATS.join(', ')} with --chunks.`, 'chunks-format');
  const outputPath = path.resolve(options.outputPath ?? defaultOutputPath(options.entryFile, format));
  const progress = new ChunkedProgress(callbacks.onProgress);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  callbacks.signal?.addEventListener('abort', onAbort, { once: true });
  if (callbacks.signal?.aborted) controller.abort();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-chunks-'));
  pathCreated(workDir);
  try {
    progress.planning();
    const planDir = path.join(workDir, 'plan');
    await buildPlan({ render: { ...options, format }, chunks, planDir, logger, signal: controller.signal });
    const plan = await verifyPlan(planDir);
    const entryFile = await materializePlan(plan, planDir, path.join(workDir, 'project'));
    const planMs = Date.now() - started;

    const chunkList = planChunks(plan.config.frameCount, plan.config.chunkFrames);
    // This machine's tools and the render's policy; everything else is the plan's.
    const local = {
      chromiumPath: options.chromiumPath, ffmpegPath: options.ffmpegPath, runtimePath: options.runtimePath,
      allowErrors: options.allowErrors, strict: options.strict, probeTimeoutMs: options.probeTimeoutMs,
    };
    progress.capturing(plan.config.frameCount);
    const chunksStarted = Date.now();
    const segments = chunkList.map(chunk => path.join(workDir, segmentName(plan, chunk.index)));
    const results: ChunkResult[] = await runLimited(chunkList.map(chunk => () => renderPlanChunk({
      plan, chunk, entryFile, outputFile: segments[chunk.index], local, signal: controller.signal, workerPath: callbacks.workerPath,
      onProgress: p => { if (p.stage === 'capture' && p.frame !== undefined) progress.chunkFrames(chunk.index, p.frame); },
      onLog: (level, message) => logger[level](`chunk ${chunk.index}: ${message}`),
    })), MAX_PARALLEL_LOCAL_CHUNKS, () => controller.abort()).catch(error => {
      throw controller.signal.aborted && callbacks.signal?.aborted ? new RenderCancelledError('capture') : error;
    });
    const chunksMs = Date.now() - chunksStarted;

    progress.assembling();
    const assembleStarted = Date.now();
    if (controller.signal.aborted) throw new RenderCancelledError('mux');
    const assembled = await assembleChunks({
      plan, planDir, segments, outputPath, workDir, ffmpegPath: locateFfmpeg({ explicitPath: options.ffmpegPath }).path, logger, signal: controller.signal,
    });
    const assembleMs = Date.now() - assembleStarted;
    const wallMs = Date.now() - started;
    const { config } = plan;
    progress.done(`Rendered ${outputPath}`);
    return {
      outputPath, format, sizeBytes: assembled.sizeBytes, duration: frameTime(config.frameCount, config.frameRate), frames: results.reduce((sum, r) => sum + r.frames, 0),
      fps: config.fps, width: config.width * config.scale, height: config.height * config.scale, hasAudio: assembled.hasAudio, wallMs,
      planHash: plan.planHash, chunks: chunkList.length, captureMode: results[0].captureMode, captureWorkers: config.workersPerChunk,
      chunkTimings: { planMs, chunksMs, assembleMs, perChunkMs: results.map(r => r.wallMs) },
    };
  } finally {
    progress.stop();
    callbacks.signal?.removeEventListener('abort', onAbort);
    await fs.promises.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    pathReleased(workDir);
  }
}
