// A plan-locked encode (a keyframe every N frames: a render plan's chunks, and the in-process render they
// must equal) runs one encoder per GOP and joins the GOPs with the concat step chunk assembly uses
// (concat.ts). Why not one long encode with -g N: libvpx-vp9 carries encoder state across a keyframe
// (adaptive mode-search thresholds, rate control), so a GOP encoded alone, as a chunk's worker encodes it,
// differs from the same GOP inside one long encode: measured on 60 frames, -g 20, one run against three
// 20-frame runs joined, the keyframes match bit for bit and the frames after them reach only 41–49 dB, with
// -qmin = -qmax, -lag-in-frames 0, -auto-alt-ref 0, -aq-mode 0 or -deadline good alike. A fresh encoder fed
// the same frames writes the same packets (the same three GOPs encoded twice each: identical packets, the
// joined files decode to identical frames), so when both paths encode every GOP in its own run the chunked
// video is the in-process one, frame for frame. It also leaves no rate-control state to cross a seam, so a
// plan honours any rate control (CRF, a bitrate) for H.264 as for VP9.
// Every run has PLAN_ENCODER_THREADS threads: the encoders' output depends on the thread count, which would
// otherwise follow each machine's CPUs. In a chunk's worker the chunk is one GOP: one run, its file renamed
// into place.
import fs from 'node:fs';
import path from 'node:path';
import { frameTime } from '../frameRate';
import { PLAN_ENCODER_THREADS } from '../limits';
import { pathCreated, pathReleased } from '../render/ownedResources';
import { concatSegments } from './concat';
import type { FrameSink, VideoEncoderInput } from './index';

export interface GopSegmentEncoderInput extends VideoEncoderInput {
  format: 'mp4' | 'webm';
  keyframeInterval: number;
  /** A folder of the render's own: the GOP segments are written in a private folder inside it. */
  workDir: string;
}

export function startGopSegmentEncoder(input: GopSegmentEncoderInput, startEncoder: (input: VideoEncoderInput) => FrameSink): FrameSink {
  const folder = fs.mkdtempSync(path.join(input.workDir, 'gops-'));
  pathCreated(folder);
  const segments: Array<{ file: string; frames: number }> = [];
  let current: FrameSink | undefined;
  let finished = false;

  const startGop = (): FrameSink => {
    const file = path.join(folder, `gop-${String(segments.length).padStart(5, '0')}.${input.format}`);
    segments.push({ file, frames: 0 });
    current = startEncoder({ ...input, threads: PLAN_ENCODER_THREADS, outputFile: file });
    return current;
  };

  return {
    async write(frame: Buffer): Promise<void> {
      const last = segments.at(-1);
      let sink = current;
      if (!sink || !last || last.frames === input.keyframeInterval) {
        if (sink) {
          // The GOP is complete: its encoder flushes and exits before the next one starts.
          await sink.finish();
          current = undefined;
        }
        sink = startGop();
      }
      segments[segments.length - 1].frames++;
      await sink.write(frame);
    },
    async finish(): Promise<void> {
      if (!current) throw new Error('No frame was written to the encoder.');
      await current.finish();
      current = undefined;
      if (segments.length === 1) {
        await fs.promises.rename(segments[0].file, input.outputFile);
      } else {
        await concatSegments({
          segments: segments.map(segment => ({ file: segment.file, seconds: frameTime(segment.frames, input.fps) })),
          format: input.format, outputFile: input.outputFile, workDir: folder, stage: 'encode',
          ffmpegPath: input.ffmpegPath, logger: input.logger, signal: input.signal,
        });
      }
      finished = true;
      await fs.promises.rm(folder, { recursive: true, force: true });
      pathReleased(folder);
    },
    async close(): Promise<void> {
      // Cancelled or failed: the running encoder is killed, and no segment or half-joined output is left.
      await current?.close();
      current = undefined;
      if (!finished) await fs.promises.rm(input.outputFile, { force: true }).catch(() => undefined);
      await fs.promises.rm(folder, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(folder);
    },
  };
}
