// Assembly: the chunks' segments joined with ffmpeg's concat demuxer, streams copied (never re-encoded),
// the plan's audio track muxed once, +faststart for MP4; a PNG sequence is renumbered into one folder.
// The output is staged beside the target and renamed into place only when complete.
import fs from 'node:fs';
import path from 'node:path';
import { concatSegments } from '../encode/concat';
import { frameTime } from '../frameRate';
import { pngFrameName } from '../encode';
import type { Logger } from '../logger';
import { outputSize, publishOutput, stagingPath } from '../render/output';
import { pathCreated, pathReleased } from '../render/ownedResources';
import { planBlobPath } from '../plan/verify';
import { planChunks } from '../plan/chunking';
import type { RenderPlan } from '../plan/types';

export interface AssembleInput {
  plan: RenderPlan;
  /** Where the plan's blobs are (for its audio track). */
  planDir: string;
  /** The segments in chunk order. */
  segments: string[];
  outputPath: string;
  /** A private folder for the concat list. */
  workDir: string;
  ffmpegPath: string;
  logger: Logger;
  signal?: AbortSignal;
}

export async function assembleChunks(input: AssembleInput): Promise<{ sizeBytes: number; hasAudio: boolean }> {
  const { plan, outputPath } = input;
  const { format } = plan.config;
  const staged = stagingPath(outputPath);
  fs.mkdirSync(path.dirname(outputPath), { recursive: true });
  pathCreated(staged);
  let published = false;
  try {
    if (format === 'png') {
      await fs.promises.mkdir(staged, { recursive: true });
      let next = 0;
      for (const segment of input.segments) {
        for (const frame of fs.readdirSync(segment).sort()) {
          await fs.promises.rename(path.join(segment, frame), path.join(staged, pngFrameName(next++, plan.config.frameCount)));
        }
      }
    } else if (format === 'mp4' || format === 'webm') {
      const chunks = planChunks(plan.config.frameCount, plan.config.chunkFrames);
      if (chunks.length !== input.segments.length) throw new Error(`The plan has ${chunks.length} chunks; ${input.segments.length} segments were given.`);
      await concatSegments({
        segments: input.segments.map((file, i) => ({ file, seconds: frameTime(chunks[i].endFrame - chunks[i].startFrame, plan.config.frameRate) })),
        format, audioFile: plan.audio ? planBlobPath(input.planDir, plan.audio) : undefined, outputFile: staged,
        workDir: input.workDir, ffmpegPath: input.ffmpegPath, logger: input.logger, signal: input.signal,
      });
    } else {
      throw new Error(`A ${format} plan's chunks are not joined (mp4, webm and png are).`);
    }
    await publishOutput(staged, outputPath, format);
    published = true;
    pathReleased(staged);
    return { sizeBytes: outputSize(outputPath), hasAudio: format !== 'png' && plan.audio !== undefined };
  } finally {
    if (!published) {
      await fs.promises.rm(staged, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(staged);
    }
  }
}
