// Frame-exact video clips. A browser's <video> seek lands near, not on, the asked time, and BeginFrame
// pages do not play video at all; so every clip's source frames are decoded with ffmpeg first (the
// "extract" step), and at capture time the exact source frame is painted into the <video> element's box.
//
// The frame shown at composition time t is the source frame at (t − start) + data-media-start: with
// `loop` the source time wraps at the source's length; without it the last frame holds.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Clip, Composition, MediaElement } from '../model';
import { StageError, type Logger } from '../stages';
import { runFfmpeg } from '../encode/ffmpegProcess';
import { VIDEO_FRAME_TIME_EPSILON_S } from '../limits';

const execFileAsync = promisify(execFile);

/** Which extracted image each video clip shows at each composition frame. */
export interface VideoFramePlan {
  clips: Array<{ clipId: string; frameFiles: Map<number, string> }>;
}

export interface ExtractVideoFramesInput {
  composition: Composition;
  fps: number;
  frameCount: number;
  ffmpegPath: string;
  ffprobePath: string;
  /** A private temporary folder (removed by the caller). */
  workDir: string;
  logger: Logger;
  signal?: AbortSignal;
}

/** Index of the source frame on screen at `sourceTime`: the last one whose timestamp is not after it. */
export function sourceFrameIndex(timestamps: number[], sourceTime: number): number {
  let low = 0;
  let high = timestamps.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (timestamps[mid] <= sourceTime + VIDEO_FRAME_TIME_EPSILON_S) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The source time a clip shows at composition time t (before the frame lookup). */
export function clipSourceTime(t: number, clip: Pick<Clip, 'start'>, media: Pick<MediaElement, 'mediaStart' | 'loop'>, sourceDuration: number): number {
  const time = t - clip.start + media.mediaStart;
  if (media.loop && sourceDuration > 0) return ((time % sourceDuration) + sourceDuration) % sourceDuration;
  return time;
}

async function frameTimestamps(ffprobePath: string, file: string, untilSeconds: number, signal?: AbortSignal): Promise<number[]> {
  const { stdout } = await execFileAsync(ffprobePath, [
    '-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%+${untilSeconds.toFixed(3)}`,
    '-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', file,
  ], { signal, maxBuffer: 64 * 1024 * 1024 });
  const times = stdout.split('\n').map(line => Number.parseFloat(line)).filter(n => Number.isFinite(n));
  const first = times[0] ?? 0;
  // Timestamps are relative to the first frame: a stream starting at 0.033 s shows its first frame at 0.
  return times.map(time => time - first);
}

export async function extractVideoFrames(input: ExtractVideoFramesInput): Promise<VideoFramePlan> {
  const { composition, fps, frameCount, logger, signal } = input;
  const clipsById = new Map(composition.clips.map(clip => [clip.id, clip]));
  const plan: VideoFramePlan = { clips: [] };
  let index = 0;
  for (const media of composition.media) {
    if (media.kind !== 'video') continue;
    const clip = clipsById.get(media.clipId);
    if (!clip) continue;
    if (!media.localPath || !fs.existsSync(media.localPath)) {
      throw new StageError('capture', `Video "${media.src}" (clip "${media.clipId}") was not found${media.localPath ? ` at ${media.localPath}` : ' (remote videos are not rendered)'}.`, 'missing-media');
    }
    const end = Math.min(clip.end ?? composition.duration ?? 0, frameCount / fps);
    const firstFrame = Math.max(0, Math.ceil(clip.start * fps - VIDEO_FRAME_TIME_EPSILON_S * fps));
    const lastFrame = Math.min(frameCount - 1, Math.ceil(end * fps - VIDEO_FRAME_TIME_EPSILON_S * fps) - 1);
    if (lastFrame < firstFrame) continue;
    const sourceDuration = media.sourceDuration ?? 0;
    // Decode only as far as the slot reaches into the source (all of it when looping).
    const reach = media.loop && sourceDuration > 0 ? sourceDuration : (end - clip.start) + media.mediaStart;
    const untilSeconds = reach + 2 / fps;
    const timestamps = await frameTimestamps(input.ffprobePath, media.localPath, untilSeconds, signal).catch(error => {
      if (signal?.aborted) throw error;
      throw new StageError('capture', `Could not read the frames of video "${media.src}": ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
    });
    if (timestamps.length === 0) throw new StageError('capture', `Video "${media.src}" has no video frames.`, 'video-extract-failed');
    const folder = path.join(input.workDir, `video-${index++}`);
    fs.mkdirSync(folder, { recursive: true });
    // -fps_mode passthrough: one image per decoded frame, numbered in decode order like the timestamps.
    await runFfmpeg({
      ffmpegPath: input.ffmpegPath,
      args: ['-t', untilSeconds.toFixed(3), '-i', media.localPath, '-map', '0:v:0', '-fps_mode', 'passthrough', '-q:v', '2', '-start_number', '0', '-y', path.join(folder, '%06d.jpg')],
      stage: 'capture',
      logger,
      signal,
    });
    const available = fs.readdirSync(folder).length;
    const usable = timestamps.slice(0, available);
    const loopLength = media.loop ? (sourceDuration > 0 ? sourceDuration : usable[usable.length - 1] + 1 / fps) : 0;
    const frameFiles = new Map<number, string>();
    for (let frame = firstFrame; frame <= lastFrame; frame++) {
      const sourceTime = clipSourceTime(frame / fps, clip, media, loopLength);
      const sourceIndex = sourceFrameIndex(usable, sourceTime);
      frameFiles.set(frame, path.join(folder, `${String(Math.max(0, sourceIndex)).padStart(6, '0')}.jpg`));
    }
    logger.debug(`video ${media.clipId}: ${usable.length} source frames for composition frames ${firstFrame}–${lastFrame}`);
    plan.clips.push({ clipId: media.clipId, frameFiles });
  }
  return plan;
}

// In-page part: paints a decoded image as the <video> element's background and moves the element's own
// picture out of its box, so transforms, opacity, clip windows and stacking stay the element's own.
export const VIDEO_FRAME_PAINTER_SOURCE = `window.__hfPaintVideoFrame = async (id, url) => {
  const video = document.getElementById(id);
  if (!video) return;
  const cache = (window.__hfVideoFrameImages ||= new Map());
  if (cache.get(id)?.src !== url) {
    const image = new Image();
    image.src = url;
    await image.decode();
    cache.set(id, image); // keeps the decoded image alive in the memory cache for the paint
  }
  if (!video.dataset.hfObjectFit) {
    const style = getComputedStyle(video);
    video.dataset.hfObjectFit = style.objectFit;
    video.dataset.hfObjectPosition = style.objectPosition;
  }
  const fit = video.dataset.hfObjectFit;
  const size = fit === 'cover' ? 'cover' : fit === 'fill' ? '100% 100%' : fit === 'none' ? 'auto' : 'contain';
  video.style.setProperty('background-image', 'url("' + url + '")', 'important');
  video.style.setProperty('background-size', size, 'important');
  video.style.setProperty('background-position', video.dataset.hfObjectPosition, 'important');
  video.style.setProperty('background-repeat', 'no-repeat', 'important');
  video.style.setProperty('object-position', '-100000px -100000px', 'important');
};`;

/** Data URL of an extracted frame (the file server serves the project only, not our temp folder). */
export async function frameDataUrl(file: string): Promise<string> {
  const bytes = await fs.promises.readFile(file);
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}
