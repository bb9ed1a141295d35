// Frame-exact video clips. A browser's <video> seek lands near, not on, the asked time, and BeginFrame
// pages do not play video at all; so every clip's source frames are decoded with ffmpeg first (the
// "extract" step), and at capture time the exact source frame is painted into the <video> element's box.
//
// The frame shown at composition time t is the source frame at data-media-start + (t − start) ×
// data-playback-rate: with `loop` the source time wraps at the source's length; without it the last frame
// holds. "The source frame at" a time is the last frame whose timestamp is not after it, so a variable-rate
// source (a screen recording) shows each frame for as long as the file says, as a <video> does.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Clip, Composition, MediaElement } from '../model';
import { StageError, type Logger } from '../stages';
import { runFfmpeg } from '../encode/ffmpegProcess';
import { VIDEO_FRAME_TIME_EPSILON_S } from '../limits';
import { probeVideoStream } from '../compile/mediaProbe';
import { describeColour, jpegColourFilter, sourceColour } from './videoColour';
import { missingHdrSupport, type HdrTransfer } from '../encode/hdr';

const execFileAsync = promisify(execFile);

/** Which extracted image each video clip shows at each composition frame. */
export interface VideoFramePlan {
  clips: Array<{ clipId: string; frameFiles: Map<number, string> }>;
  /** The transfer of each HDR (PQ/HLG) clip shown, tone-mapped, in the render: what an HDR render is written with. */
  hdrTransfers: HdrTransfer[];
}

export interface ExtractVideoFramesInput {
  composition: Composition;
  fps: number;
  /** Composition frames to plan for: firstFrame (default 0) up to frameCount, exclusive. */
  firstFrame?: number;
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
export function clipSourceTime(t: number, clip: Pick<Clip, 'start'>, media: Pick<MediaElement, 'mediaStart' | 'loop'> & Partial<Pick<MediaElement, 'playbackRate'>>, sourceDuration: number): number {
  const time = (t - clip.start) * (media.playbackRate ?? 1) + media.mediaStart;
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
  const plan: VideoFramePlan = { clips: [], hdrTransfers: [] };
  let index = 0;
  for (const media of composition.media) {
    if (media.kind !== 'video') continue;
    const clip = clipsById.get(media.clipId);
    if (!clip) continue;
    if (!media.localPath || !fs.existsSync(media.localPath)) {
      throw new StageError('capture', `Video "${media.src}" (clip "${media.clipId}") was not found${media.localPath ? ` at ${media.localPath}` : ' (remote videos are not rendered)'}.`, 'missing-media');
    }
    const end = Math.min(clip.end ?? composition.duration ?? 0, frameCount / fps);
    const firstFrame = Math.max(input.firstFrame ?? 0, Math.ceil(clip.start * fps - VIDEO_FRAME_TIME_EPSILON_S * fps));
    const lastFrame = Math.min(frameCount - 1, Math.ceil(end * fps - VIDEO_FRAME_TIME_EPSILON_S * fps) - 1);
    if (lastFrame < firstFrame) continue;
    const sourceDuration = media.sourceDuration ?? 0;
    // Decode only as far as the slot reaches into the source (all of it when looping).
    const reach = media.loop && sourceDuration > 0 ? sourceDuration : (end - clip.start) * media.playbackRate + media.mediaStart;
    const untilSeconds = reach + 2 / fps;
    const timestamps = await frameTimestamps(input.ffprobePath, media.localPath, untilSeconds, signal).catch(error => {
      if (signal?.aborted) throw error;
      throw new StageError('capture', `Could not read the frames of video "${media.src}": ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
    });
    if (timestamps.length === 0) throw new StageError('capture', `Video "${media.src}" has no video frames.`, 'video-extract-failed');
    const stream = await probeVideoStream(input.ffprobePath, media.localPath, signal).catch(error => {
      if (signal?.aborted) throw error;
      throw new StageError('capture', `Could not read the video stream of "${media.src}": ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
    });
    const colour = sourceColour(stream);
    if (colour.hdr) {
      const missing = await missingHdrSupport(input.ffmpegPath, false);
      if (missing) throw new StageError('capture', `Video "${media.src}" is HDR (${colour.hdr.transfer.toUpperCase()}) and needs tone mapping to SDR, but ${input.ffmpegPath} has no ${missing}: use an ffmpeg built with libzimg (Debian's has it; --ffmpeg PATH chooses one).`, 'hdr-tone-map-unavailable');
      plan.hdrTransfers.push(colour.hdr.transfer);
    }
    const folder = path.join(input.workDir, `video-${index++}`);
    fs.mkdirSync(folder, { recursive: true });
    // -fps_mode passthrough: one image per decoded frame, numbered in decode order like the timestamps.
    // -enc_time_base -1 keeps the source's time base: the encoder's default (1/frame rate) rounds the close
    // timestamps of a variable-rate source onto one tick and ffmpeg stops ("Invalid pts (0) <= last (0)").
    // The filter converts the source's own matrix and range to the JPEG's (videoColour.ts).
    await runFfmpeg({
      ffmpegPath: input.ffmpegPath,
      args: ['-t', untilSeconds.toFixed(3), '-i', media.localPath, '-map', '0:v:0', '-vf', jpegColourFilter(colour),
        '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-q:v', '2', '-start_number', '0', '-y', path.join(folder, '%06d.jpg')],
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
    logger.debug(`video ${media.clipId}: ${usable.length} source frames (${describeColour(colour)}) for composition frames ${firstFrame}–${lastFrame}`);
    plan.clips.push({ clipId: media.clipId, frameFiles });
  }
  return plan;
}

// In-page part: an <img> beside each <video> shows the extracted frame; the video keeps its layout box
// but is made invisible. The image mirrors the video's box, transform, opacity and clip-window visibility
// every frame. An <img> whose decode() resolved paints on the very next frame, which a CSS background
// image does not guarantee (its load is asynchronous even for a data URL).
export const VIDEO_FRAME_PAINTER_SOURCE = `window.__hfPaintVideoFrame = async (id, url) => {
  const video = document.getElementById(id);
  if (!video) return;
  let image = video.__hfFrameImage;
  if (!image) {
    image = document.createElement('img');
    image.setAttribute('aria-hidden', 'true');
    image.setAttribute('data-hf-video-frame', id);
    video.after(image);
    video.__hfFrameImage = image;
  }
  // url null: same image as before; only the mirroring below runs (the video may have moved).
  if (url !== null && image.getAttribute('src') !== url) {
    image.src = url;
    await image.decode();
  }
  video.style.removeProperty('visibility');
  const style = getComputedStyle(video);
  const shown = style.display !== 'none' && style.visibility !== 'hidden' && video.offsetParent !== null;
  const fit = style.objectFit === 'contain' || style.objectFit === 'cover' || style.objectFit === 'none' || style.objectFit === 'scale-down' ? style.objectFit : 'fill';
  Object.assign(image.style, {
    display: shown ? 'block' : 'none',
    position: 'absolute',
    left: video.offsetLeft + 'px',
    top: video.offsetTop + 'px',
    width: video.offsetWidth + 'px',
    height: video.offsetHeight + 'px',
    margin: '0',
    boxSizing: 'border-box',
    objectFit: fit,
    objectPosition: style.objectPosition,
    transform: style.transform,
    transformOrigin: style.transformOrigin,
    opacity: style.opacity,
    zIndex: style.zIndex,
    borderRadius: style.borderRadius,
    filter: style.filter,
    clipPath: style.clipPath,
    mixBlendMode: style.mixBlendMode,
    pointerEvents: 'none',
  });
  video.style.setProperty('visibility', 'hidden', 'important');
};
window.__hfHideVideoFrame = (id) => {
  const video = document.getElementById(id);
  if (video && video.__hfFrameImage) video.__hfFrameImage.style.display = 'none';
};`;

/** Data URL of an extracted frame (the file server serves the project only, not our temp folder). */
export async function frameDataUrl(file: string): Promise<string> {
  const bytes = await fs.promises.readFile(file);
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}
