// GIF output. A GIF has one 256-colour palette, and a good palette needs every frame: the captured frames
// go to a folder of PNGs in the render's work folder (memory stays flat however long the render is), then
// two ffmpeg passes run on finish: palettegen over all frames, paletteuse to map each frame onto it.
//
// stats_mode=diff counts only the pixels that change from one frame to the next, so a moving title gets the
// palette's entries rather than a large static background; paletteuse with diff_mode=rectangle re-dithers
// only the changed rectangle of each frame, so the still parts do not shimmer and the frames compress as
// small deltas. A transparent render reserves one palette entry for "clear" and maps pixels with alpha
// below GIF_ALPHA_THRESHOLD to it (GIF transparency is on/off).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { ffmpegRate, type FrameRate } from '../frameRate';
import { runFfmpeg } from './ffmpegProcess';
import { startPngSequenceWriter, type FrameSink } from './index';

/** Alpha (0–255) below which a pixel of a transparent GIF is see-through. */
const GIF_ALPHA_THRESHOLD = 128;

export interface GifWriterInput {
  ffmpegPath: string;
  fps: number | FrameRate;
  frameCount: number;
  /** NETSCAPE2.0 loop count: 0 loops forever, N repeats N times after the first play. */
  loop: number;
  /** Keep see-through pixels see-through (PNG frames with alpha in). */
  transparent: boolean;
  /** A private folder for the frames and the palette (the caller removes it). */
  workDir: string;
  outputFile: string;
  logger: Logger;
  signal?: AbortSignal;
}

/** palettegen over every frame: motion-weighted statistics, one entry kept for transparency when asked. */
export function gifPaletteArgs(input: Pick<GifWriterInput, 'fps' | 'transparent'>, framePattern: string, paletteFile: string): string[] {
  return [
    '-framerate', ffmpegRate(input.fps), '-start_number', '1', '-i', framePattern,
    '-vf', `palettegen=stats_mode=diff:reserve_transparent=${input.transparent ? 1 : 0}`, '-frames:v', '1', '-update', '1', '-y', paletteFile,
  ];
}

/** paletteuse: each frame mapped onto the palette, only the changed rectangle re-dithered; the loop count in the NETSCAPE2.0 block. */
export function gifEncodeArgs(input: Pick<GifWriterInput, 'fps' | 'transparent' | 'loop' | 'outputFile'>, framePattern: string, paletteFile: string): string[] {
  const alpha = input.transparent ? `:alpha_threshold=${GIF_ALPHA_THRESHOLD}` : '';
  return [
    '-framerate', ffmpegRate(input.fps), '-start_number', '1', '-i', framePattern, '-i', paletteFile,
    '-lavfi', `[0:v][1:v]paletteuse=diff_mode=rectangle${alpha}`,
    '-loop', String(input.loop), '-f', 'gif', '-y', input.outputFile,
  ];
}

export function startGifWriter(input: GifWriterInput): FrameSink {
  const frameFolder = path.join(input.workDir, 'gif-frames');
  const frames = startPngSequenceWriter(frameFolder, input.frameCount);
  const digits = Math.max(5, String(input.frameCount).length);
  const framePattern = path.join(frameFolder, `frame-%0${digits}d.png`);
  const paletteFile = path.join(input.workDir, 'gif-palette.png');
  const run = (args: string[]) => runFfmpeg({ ffmpegPath: input.ffmpegPath, args, stage: 'encode', logger: input.logger, signal: input.signal });
  return {
    write: frame => frames.write(frame),
    async finish(): Promise<void> {
      await frames.finish();
      await run(gifPaletteArgs(input, framePattern, paletteFile));
      await run(gifEncodeArgs(input, framePattern, paletteFile));
    },
    async close(): Promise<void> {
      await frames.close();
      // The frames are the biggest thing a GIF render writes: gone as soon as the GIF is (or will not be).
      await fs.promises.rm(frameFolder, { recursive: true, force: true });
    },
  };
}
