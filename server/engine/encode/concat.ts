// Joining closed-GOP video segments into one file with ffmpeg's concat demuxer, streams copied (never
// re-encoded), an audio track muxed in the same pass when there is one, +faststart for MP4. A chunked
// render's assembly (chunks/assemble.ts) and a plan-locked in-process encode (gopSegments.ts) both join
// their segments here, so the two paths write the same packets at the same timestamps.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import type { StageName } from '../errors';
import { runFfmpeg } from './ffmpegProcess';

export interface ConcatSegment {
  file: string;
  /** The segment's exact length: frames / fps. */
  seconds: number;
}

export interface ConcatInput {
  segments: ConcatSegment[];
  format: 'mp4' | 'webm';
  /** An audio track as long as the joined video, muxed in the same pass. */
  audioFile?: string;
  outputFile: string;
  /** A private folder for the concat list. */
  workDir: string;
  ffmpegPath: string;
  /** The stage a failure is reported in (default mux). */
  stage?: StageName;
  logger: Logger;
  signal?: AbortSignal;
}

/** A concat-demuxer list line: single quotes escaped as the demuxer reads them. */
function concatLine(file: string): string {
  return `file '${path.resolve(file).replace(/'/g, "'\\''")}'`;
}

export async function concatSegments(input: ConcatInput): Promise<void> {
  const list = path.join(input.workDir, 'segments.txt');
  // Each segment's exact length: the demuxer would otherwise offset the next one by the container's
  // duration, which MP4 rounds to milliseconds (a 20-frame chunk at 30 fps became 0.667 s and every later
  // frame drifted by 0.3 ms, enough for a player or a filter to see an extra frame at the end).
  const lines = input.segments.map(segment => `${concatLine(segment.file)}\nduration ${segment.seconds.toFixed(6)}`);
  await fs.promises.writeFile(list, `${lines.join('\n')}\n`);
  const audio = input.audioFile;
  const container = input.format === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm'];
  try {
    await runFfmpeg({
      ffmpegPath: input.ffmpegPath,
      args: [
        '-f', 'concat', '-safe', '0', '-i', list, ...(audio ? ['-i', audio] : []),
        '-map', '0:v:0', ...(audio ? ['-map', '1:a:0'] : []), '-c', 'copy', ...container, '-y', input.outputFile,
      ],
      stage: input.stage ?? 'mux', logger: input.logger, signal: input.signal,
    });
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}
