// Assembly: the chunks' segments joined with ffmpeg's concat demuxer, streams copied (never re-encoded),
// the plan's audio track muxed once, +faststart for MP4; a PNG sequence is renumbered into one folder.
// The output is staged beside the target and renamed into place only when complete.
import fs from 'node:fs';
import path from 'node:path';
import { runFfmpeg } from '../encode/ffmpegProcess';
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

/** A concat-demuxer list line: single quotes escaped as the demuxer reads them. */
function concatLine(file: string): string {
  return `file '${path.resolve(file).replace(/'/g, "'\\''")}'`;
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
    } else {
      const list = path.join(input.workDir, 'segments.txt');
      // Each segment's exact length: the demuxer would otherwise offset the next one by the container's
      // duration, which MP4 rounds to milliseconds (a 20-frame chunk at 30 fps became 0.667 s and every later
      // frame drifted by 0.3 ms, enough for a player or a filter to see an extra frame at the end).
      const chunks = planChunks(plan.config.frameCount, plan.config.chunkFrames);
      if (chunks.length !== input.segments.length) throw new Error(`The plan has ${chunks.length} chunks; ${input.segments.length} segments were given.`);
      const lines = input.segments.map((segment, i) => `${concatLine(segment)}\nduration ${((chunks[i].endFrame - chunks[i].startFrame) / plan.config.fps).toFixed(6)}`);
      await fs.promises.writeFile(list, `${lines.join('\n')}\n`);
      const audio = plan.audio ? planBlobPath(input.planDir, plan.audio) : undefined;
      const container = format === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm'];
      await runFfmpeg({
        ffmpegPath: input.ffmpegPath,
        args: [
          '-f', 'concat', '-safe', '0', '-i', list, ...(audio ? ['-i', audio] : []),
          '-map', '0:v:0', ...(audio ? ['-map', '1:a:0'] : []), '-c', 'copy', ...container, '-y', staged,
        ],
        stage: 'mux', logger: input.logger, signal: input.signal,
      });
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
