// HLS output: a folder holding a VOD playlist (index.m3u8) and MPEG-TS segments of H.264/AAC. The video is
// encoded as an MP4 first with a keyframe forced on every segment boundary (encode/index.ts keyframeSeconds),
// then this packaging pass copies the streams into segments, so every segment starts on a keyframe and is
// decodable on its own (#EXT-X-INDEPENDENT-SEGMENTS); nothing is encoded twice.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { runFfmpeg } from './ffmpegProcess';

export const HLS_PLAYLIST_FILE = 'index.m3u8';
/** segment-000.ts, segment-001.ts…: what an HLS output folder holds besides the playlist. */
export const HLS_SEGMENT_FILE = /^segment-\d+\.ts$/;
const HLS_SEGMENT_PATTERN = 'segment-%03d.ts';

export interface HlsPackageInput {
  ffmpegPath: string;
  /** The MP4 (H.264, keyframes on the boundaries) to cut. */
  videoFile: string;
  /** The mixed AAC track, when the composition has audio. */
  audioFile?: string;
  segmentSeconds: number;
  /** The folder to write (created; a staging folder the caller renames into place). */
  outputFolder: string;
  logger: Logger;
  signal?: AbortSignal;
}

export function hlsPackageArgs(input: Omit<HlsPackageInput, 'ffmpegPath' | 'logger' | 'signal'>): string[] {
  const audio = input.audioFile ? ['-i', input.audioFile, '-map', '0:v:0', '-map', '1:a:0'] : ['-map', '0:v:0'];
  return [
    '-i', input.videoFile, ...audio, '-c', 'copy',
    '-f', 'hls', '-hls_time', String(input.segmentSeconds), '-hls_playlist_type', 'vod', '-hls_list_size', '0',
    '-hls_flags', 'independent_segments', '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', path.join(input.outputFolder, HLS_SEGMENT_PATTERN),
    '-y', path.join(input.outputFolder, HLS_PLAYLIST_FILE),
  ];
}

export async function runHlsPackaging(input: HlsPackageInput): Promise<void> {
  await fs.promises.mkdir(input.outputFolder, { recursive: true });
  await runFfmpeg({ ffmpegPath: input.ffmpegPath, args: hlsPackageArgs(input), stage: 'mux', logger: input.logger, signal: input.signal });
}
