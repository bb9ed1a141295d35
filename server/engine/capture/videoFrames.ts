// Frame-exact video clips. A browser's <video> seek lands near, not on, the asked time, and BeginFrame
// pages do not play video at all; so every clip's source frames are decoded with ffmpeg first (the
// "extract" step), and at capture time the exact source frame is painted into the <video> element's box.
//
// The frame shown at composition time t is the source frame at data-media-start + (t − start) ×
// data-playback-rate: with `loop` the source time wraps at the source's length; without it the last frame
// holds. "The source frame at" a time is the last frame whose timestamp is not after it, so a variable-rate
// source (a screen recording) shows each frame for as long as the file says, as a <video> does.
import fs from 'node:fs';
import type { Clip, Composition, MediaElement } from '../model';
import type { Closable } from '../closable';
import { StageError } from '../errors';
import type { Logger } from '../logger';
import { VIDEO_FRAME_TIME_EPSILON_S } from '../limits';
import { PAINTED_VIDEO_ATTRIBUTE } from '../runtime/manifest';
import { probeVideoStream, type VideoStreamFacts } from '../compile/mediaProbe';
import { alphaDecoderArgs, describeColour, jpegColourFilter, pngColourFilter, sourceColour } from './videoColour';
import { cacheKey, sourceHash, VideoFrameCache, type VideoFrameCacheOptions } from './videoFrameCache';
import { FrameExtractions, type FrameExtractionRequest } from './videoFrameExtraction';
import { readSourceFrames, sourceFramesFromJson, type SourceFrames } from './sourceFrames';
import { missingHdrSupport, type HdrTransfer } from '../encode/hdr';

/**
 * Which extracted image each video clip shows at each composition frame. The extraction may still be running
 * (ahead of capture): read a planned file through ready(). Closing it stops the extraction and keeps what it
 * finished in the frame cache.
 */
export interface VideoFramePlan extends Closable {
  clips: Array<{ clipId: string; frameFiles: Map<number, string> }>;
  /** The file to paint for a planned one, once written (the last frame written when the source ended before it). */
  ready(file: string): Promise<string>;
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
  /** The on-disk frame cache (folder, size limit); maxBytes 0 extracts into workDir and keeps nothing. */
  cache?: VideoFrameCacheOptions;
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

/** A source's frames up to a time, from the cache when it has them. */
async function cachedSourceFrames(cache: VideoFrameCache, ffprobePath: string, file: string, stream: VideoStreamFacts, untilSeconds: number, signal?: AbortSignal): Promise<SourceFrames> {
  const key = cacheKey({ sourceFrames: await sourceHash(file), until: untilSeconds.toFixed(3) });
  const cached = sourceFramesFromJson(cache.readJson<unknown>(key));
  if (cached) return cached;
  const frames = await readSourceFrames(ffprobePath, file, stream, untilSeconds, signal);
  if (frames.pts.length > 0) cache.writeJson(key, frames);
  return frames;
}

/**
 * Plans every video clip's frames and starts extracting those not in the cache; resolves once the plan is
 * known (the extraction runs on, ahead of capture). The caller closes the plan.
 */
export async function extractVideoFrames(input: ExtractVideoFramesInput): Promise<VideoFramePlan> {
  const { composition, fps, frameCount, logger, signal } = input;
  const clipsById = new Map(composition.clips.map(clip => [clip.id, clip]));
  const cache = new VideoFrameCache(input.cache, logger);
  const extractions = new FrameExtractions(cache, { ffmpegPath: input.ffmpegPath, workDir: input.workDir, logger, signal });
  const plan: VideoFramePlan = {
    clips: [], hdrTransfers: [], ready: file => extractions.ready(file), close: () => extractions.close(),
  };
  // Every clip is planned first (ffprobe, cached; the clips side by side), then all extractions start
  // together: nothing runs yet when planning fails.
  type Planned = { clipId: string; frames: Map<number, number>; request: FrameExtractionRequest; describe: string; hdr?: HdrTransfer };
  const planClip = async (media: MediaElement): Promise<Planned | undefined> => {
    const clip = clipsById.get(media.clipId);
    if (!clip) return undefined;
    if (!media.localPath || !fs.existsSync(media.localPath)) {
      throw new StageError('capture', `Video "${media.src}" (clip "${media.clipId}") was not found${media.localPath ? ` at ${media.localPath}` : ' (remote videos are not rendered)'}.`, 'missing-media');
    }
    const source = media.localPath;
    const end = Math.min(clip.end ?? composition.duration ?? 0, frameCount / fps);
    const firstFrame = Math.max(input.firstFrame ?? 0, Math.ceil(clip.start * fps - VIDEO_FRAME_TIME_EPSILON_S * fps));
    const lastFrame = Math.min(frameCount - 1, Math.ceil(end * fps - VIDEO_FRAME_TIME_EPSILON_S * fps) - 1);
    if (lastFrame < firstFrame) return undefined;
    const sourceDuration = media.sourceDuration ?? 0;
    // Decode only as far as the slot reaches into the source (all of it when looping).
    const reach = media.loop && sourceDuration > 0 ? sourceDuration : (end - clip.start) * media.playbackRate + media.mediaStart;
    const untilSeconds = reach + 2 / fps;
    const stream = await probeVideoStream(input.ffprobePath, source, signal).catch(error => {
      if (signal?.aborted) throw error;
      throw new StageError('capture', `Could not read the video stream of "${media.src}": ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
    });
    const sourceFrames = await cachedSourceFrames(cache, input.ffprobePath, source, stream, untilSeconds, signal).catch(error => {
      if (signal?.aborted) throw error;
      throw new StageError('capture', `Could not read the frames of video "${media.src}": ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
    });
    const timestamps = sourceFrames.times;
    if (timestamps.length === 0) throw new StageError('capture', `Video "${media.src}" has no video frames.`, 'video-extract-failed');
    const colour = sourceColour(stream);
    if (colour.hdr) {
      const missing = await missingHdrSupport(input.ffmpegPath, false);
      if (missing) throw new StageError('capture', `Video "${media.src}" is HDR (${colour.hdr.transfer.toUpperCase()}) and needs tone mapping to SDR, but ${input.ffmpegPath} has no ${missing}: use an ffmpeg built with libzimg (Debian's has it; --ffmpeg PATH chooses one).`, 'hdr-tone-map-unavailable');
    }
    const loopLength = media.loop ? (sourceDuration > 0 ? sourceDuration : timestamps[timestamps.length - 1] + 1 / fps) : 0;
    const sourceIndexAt = new Map<number, number>();
    for (let frame = firstFrame; frame <= lastFrame; frame++) {
      sourceIndexAt.set(frame, Math.max(0, sourceFrameIndex(timestamps, clipSourceTime(frame / fps, clip, media, loopLength))));
    }
    // A clip with alpha shows the page through it, as its <video> does: PNG frames (HDR sources are taken as opaque).
    const alpha = stream.hasAlpha && !colour.hdr;
    return {
      clipId: media.clipId, frames: sourceIndexAt, ...(colour.hdr ? { hdr: colour.hdr.transfer } : {}),
      request: {
        label: `"${media.src}" (clip "${media.clipId}")`, source, untilSeconds, sourceIndices: [...sourceIndexAt.values()], framePts: sourceFrames.pts,
        ...(alpha ? { image: 'png', filter: pngColourFilter(colour), decoderArgs: alphaDecoderArgs(stream.codec) } : { image: 'jpeg', filter: jpegColourFilter(colour) }),
      },
      describe: `of ${timestamps.length} source frames (listed from its ${sourceFrames.listedFrom}; ${describeColour(colour)}${alpha ? ', with alpha: PNG' : ''}) for composition frames ${firstFrame}–${lastFrame}`,
    };
  };
  // Settled, not raced: a clip that fails leaves no sibling's ffprobe running behind the error.
  const settled = await Promise.allSettled(composition.media.filter(media => media.kind === 'video').map(planClip));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  const requests = settled.map(result => (result as PromiseFulfilledResult<Planned | undefined>).value).filter((planned): planned is Planned => planned !== undefined);
  for (const { hdr } of requests) if (hdr) plan.hdrTransfers.push(hdr);
  try {
    for (const { clipId, frames, request, describe } of requests) {
      const { files, fromCache } = await extractions.request(request);
      plan.clips.push({ clipId, frameFiles: new Map([...frames].map(([frame, sourceIndex]) => [frame, files.get(sourceIndex)!])) });
      logger.debug(`video ${clipId}: ${files.size} ${describe}${fromCache ? ', from the cache' : ''}`);
    }
  } catch (error) {
    await extractions.close();
    throw error;
  }
  if (requests.length) logger.debug(`video frames: ${extractions.hits} clip(s) from the cache, ${extractions.misses} extracting (cache ${cache.enabled ? cache.dir : 'off'})`);
  return plan;
}

// In-page part: an <img> beside each <video> shows the extracted frame; the video keeps its layout box
// but is made invisible. The image mirrors the video's box, transform, opacity and clip-window visibility
// every frame. An <img> whose decode() resolved paints on the very next frame, which a CSS background
// image does not guarantee (its load is asynchronous even for a data URL). A frame preloaded ahead
// (__hfPreloadVideoFrame: fetched and decoded off-DOM while the previous frame is captured) replaces the
// <img> element; __hfPaintVideoFrame answers true when the frame it showed was such a decoded one.
export const VIDEO_FRAME_PAINTER_SOURCE = `window.__hfPreloadedVideoFrames = new Map();
window.__hfPreloadVideoFrame = (id, url) => {
  // Two images per clip, the one shown and the one loading, reused in turn: what the page holds stays two
  // frames a clip, not one per frame until a garbage collection.
  const video = document.getElementById(id);
  const image = (video && video.__hfSpareImage) || new Image();
  if (video) video.__hfSpareImage = undefined;
  image.src = url;
  window.__hfPreloadedVideoFrames.set(id + ' ' + url, image.decode().then(() => image, () => null));
};
window.__hfPaintVideoFrame = async (id, url) => {
  const video = document.getElementById(id);
  if (!video) return false;
  let image = video.__hfFrameImage;
  const key = id + ' ' + url;
  const preloaded = url === null ? undefined : window.__hfPreloadedVideoFrames.get(key);
  window.__hfPreloadedVideoFrames.delete(key);
  const decoded = preloaded ? await preloaded : null;
  if (decoded || !image) {
    const next = decoded || document.createElement('img');
    next.setAttribute('aria-hidden', 'true');
    next.setAttribute('data-hf-video-frame', id);
    if (image) {
      image.replaceWith(next);
      if (decoded) video.__hfSpareImage = image;
    } else video.after(next);
    video.__hfFrameImage = image = next;
  }
  // url null: same image as before; only the mirroring below runs (the video may have moved).
  if (url !== null && !decoded && image.getAttribute('src') !== url) {
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
  return decoded !== null;
};
// The runtime does not seek these videos (runtime/seek.ts): their frames come from here.
window.__hfMarkPaintedVideos = (ids) => {
  for (const id of ids) document.getElementById(id)?.setAttribute(${JSON.stringify(PAINTED_VIDEO_ATTRIBUTE)}, '');
};
window.__hfHideVideoFrame = (id) => {
  const video = document.getElementById(id);
  if (video && video.__hfFrameImage) video.__hfFrameImage.style.display = 'none';
};`;

/** Data URL of an extracted frame (the file server serves the project only, not our temp folder). */
export async function frameDataUrl(file: string): Promise<string> {
  const bytes = await fs.promises.readFile(file);
  return `data:image/${file.endsWith('.png') ? 'png' : 'jpeg'};base64,${bytes.toString('base64')}`;
}
