// The mux stage: the encoded video and the mixed audio into one file, streams copied. The audio track is
// already exactly as long as the video (audio stage), so no -shortest is needed.
import type { Logger } from '../logger';
import type { VideoCodecFormat } from './index';
import { runFfmpeg } from './ffmpegProcess';

export interface MuxInput {
  ffmpegPath: string;
  videoFile: string;
  audioFile: string;
  format: VideoCodecFormat;
  outputFile: string;
  logger: Logger;
  signal?: AbortSignal;
}

export async function runMuxStage(input: MuxInput): Promise<void> {
  const container = input.format === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', input.format];
  await runFfmpeg({
    ffmpegPath: input.ffmpegPath,
    args: ['-i', input.videoFile, '-i', input.audioFile, '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', ...container, '-y', input.outputFile],
    stage: 'mux',
    logger: input.logger,
    signal: input.signal,
  });
}
