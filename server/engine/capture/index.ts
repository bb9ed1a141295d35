// The capture stage: for frame i, seek to t = i / fps through `__hf.seek(t)`, grab the pixels, hand them
// to the encoder in frame order. With N workers (separate browser processes) worker w takes frames
// w, w+N, w+2N, … and a small reorder buffer feeds the one streaming encoder in order: interleaving
// keeps that buffer at about N frames and needs no concat afterwards (performance.md §2.3.6).
import { CAPTURE_BROWSER_RESTARTS_MAX, CAPTURE_REORDER_WINDOW_FRAMES } from '../limits';
import { frameTime, type FrameRate } from '../frameRate';
import { RenderCancelledError, StageError } from '../errors';
import type { Logger } from '../logger';
import type { FrameSink } from '../encode';
import { CaptureBrowser, CompositorStalledError, type CaptureMode, type FrameImageFormat } from './browserSession';
import { frameDataUrl, VIDEO_FRAME_PAINTER_SOURCE, type VideoFramePlan } from './videoFrames';
import type { VideoFrameUrls } from './videoFrameUrls';

export { CaptureBrowser, CompositorStalledError, type CaptureMode, type FrameImageFormat } from './browserSession';
export { extractVideoFrames, type VideoFramePlan } from './videoFrames';
export { VideoFrameUrls } from './videoFrameUrls';

export interface LaunchCaptureBrowsersInput {
  chromiumPath: string;
  /** 'beginframe' needs chromium-headless-shell; it falls back to 'screenshot' when BeginFrame fails. */
  preferredMode: CaptureMode;
  width: number;
  height: number;
  fps: number;
  format: FrameImageFormat;
  /** Pixels per CSS pixel (1 by default): the page keeps its layout size, the frames are N× larger. */
  deviceScaleFactor?: number;
  /** Transparent page background (PNG frames only). */
  transparent?: boolean;
  /** The page draws with WebGPU (compile/gpuUsage.ts): browsers with a GPU process. */
  webGpu?: boolean;
  /** How long a late frame is waited for before the browser is called stalled and replaced (LATE_FRAME_TIMEOUT_MS). */
  lateFrameTimeoutMs?: number;
  workers: number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Launches the capture browsers (in parallel) without loading anything, so the sequencer can start them
 * while the probe runs. The caller owns them and closes them in `finally`.
 */
export async function launchCaptureBrowsers(input: LaunchCaptureBrowsersInput): Promise<CaptureBrowser[]> {
  const open = (mode: CaptureMode) => Promise.allSettled(
    Array.from({ length: input.workers }, () => CaptureBrowser.launch({ ...input, mode })),
  );
  let mode = input.preferredMode;
  let results = await open(mode);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure && mode === 'beginframe' && !input.signal?.aborted) {
    await closeAll(results);
    input.logger.warn(`BeginFrame capture is unavailable (${errorText(failure.reason)}); using screenshots.`);
    mode = 'screenshot';
    results = await open(mode);
  }
  const stillFailing = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (stillFailing) {
    await closeAll(results);
    if (input.signal?.aborted) throw new RenderCancelledError('capture');
    throw new StageError('capture', `Could not start the capture browser: ${errorText(stillFailing.reason)}`, 'capture-browser-failed', [], { cause: stillFailing.reason });
  }
  return results.map(r => (r as PromiseFulfilledResult<CaptureBrowser>).value);
}

/** Opens the composition in every capture browser. */
export async function loadCaptureBrowsers(browsers: CaptureBrowser[], url: string, signal?: AbortSignal): Promise<void> {
  try {
    await Promise.all(browsers.map(browser => browser.load(url)));
  } catch (error) {
    if (signal?.aborted) throw new RenderCancelledError('capture');
    throw new StageError('capture', `Could not open the page for capture: ${errorText(error)}`, 'capture-browser-failed', [], { cause: error });
  }
}

async function closeAll(results: PromiseSettledResult<CaptureBrowser>[]): Promise<void> {
  await Promise.all(results.map(r => (r.status === 'fulfilled' ? r.value.close() : undefined)));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** Marks a video clip whose frame image is hidden (outside its slot). */
const HIDDEN = '';

/** A browser's page put at one output frame (runWorker's seekFrame). */
interface SeekedFrame {
  /** What changed on the page since the previous frame (frameChanges.take()), null for nothing. */
  change: string | null;
  /** A clip shows another image than in the previous frame. */
  videoChanged: boolean;
  /** A clip's new image was not decoded ahead (grab()). */
  undecodedImage: boolean;
  /** The token the page calls back with when this frame's main frame starts; none when it cannot overlap. */
  mainFrameToken: number | undefined;
}

export interface CaptureStageInput {
  browsers: CaptureBrowser[];
  /** A rational rate seeks to its exact frame times (frameRate.ts). */
  fps: number | FrameRate;
  /** The composition frame the output starts at (a range render); 0 by default. */
  firstFrame?: number;
  /** Frames to capture: composition frames firstFrame … firstFrame + frameCount − 1. */
  frameCount: number;
  sink: FrameSink;
  videoFrames?: VideoFramePlan;
  /** Serves the video frames to the page from the render's file server (videoFrameUrls.ts); else data URLs. */
  videoFrameUrls?: VideoFrameUrls;
  /**
   * Reuse the previous image for a frame in which nothing on the page changed (runtime/frameChanges.ts);
   * default true. False captures every frame (RenderOptions.reuseStaticFrames).
   */
  reuseStaticFrames?: boolean;
  /**
   * Seek a browser's next frame while its current one is still being composited and encoded (BeginFrame
   * mode; CaptureBrowser.grabOverlapping); by default only with a single browser. False seeks only once a
   * frame's image is back.
   */
  overlapSeeks?: boolean;
  /** Called after each frame reaches the sink, with the number written so far. */
  onFrame?: (written: number) => void;
  logger: Logger;
  signal?: AbortSignal;
}

export interface CaptureResult {
  frames: number;
  /** Frames that reused the previous image because nothing on the page changed (static frames). */
  reusedFrames: number;
  mode: CaptureMode;
  workers: number;
}

export async function runCaptureStage(input: CaptureStageInput): Promise<CaptureResult> {
  const { browsers, fps, frameCount, sink, signal } = input;
  const firstFrame = input.firstFrame ?? 0;
  const workers = browsers.length;
  // The page's video elements give way to painted frame images (videoFrames.ts); again after a restart.
  const preparePage = async (browser: CaptureBrowser) => {
    if (input.videoFrames?.clips.length) {
      await browser.evaluate(`${VIDEO_FRAME_PAINTER_SOURCE}
        window.__hfMarkPaintedVideos(${JSON.stringify(input.videoFrames.clips.map(clip => clip.clipId))});`);
    }
  };
  await Promise.all(browsers.map(preparePage));
  const pending = new Map<number, Buffer>();
  let nextToWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let failed: unknown;
  // Workers wait here when they are too far ahead of the encoder (bounded memory).
  let wakeWaiters: Array<() => void> = [];
  const wake = () => { const waiters = wakeWaiters; wakeWaiters = []; waiters.forEach(w => w()); };

  const flush = () => {
    writing = writing.then(async () => {
      while (pending.has(nextToWrite)) {
        const frame = pending.get(nextToWrite)!;
        pending.delete(nextToWrite);
        await sink.write(frame);
        nextToWrite++;
        input.onFrame?.(nextToWrite);
        wake();
      }
    });
    writing.catch(error => { failed ??= error; wake(); });
  };

  const phases = { waitMs: 0, extractWaitMs: 0, paintMs: 0, seekMs: 0, grabMs: 0 };
  const reuseStatic = input.reuseStaticFrames ?? true;
  // One browser leaves a core idle while its frame is composited and encoded: its next seek fills it (a
  // video page, 13.08 → 12.34 s median of 3). With a browser per core both are busy already, and the signal's
  // own cost made a GSAP page 1.5 % slower.
  const overlapSeeks = input.overlapSeeks ?? workers === 1;
  const urls = input.videoFrameUrls;
  // Without the file server's route (a capture run on its own), frames travel as data URLs.
  const frameUrl = (file: string): Promise<string> => (urls ? Promise.resolve(urls.register(file)) : frameDataUrl(file));
  let reused = 0;
  /** Frames seeked again because their BeginFrame drew nothing after the next frame's seek had started. */
  let seekedAgain = 0;
  /** Seeks sent while the frame before them was still being drawn. */
  let seeksOverlapped = 0;
  /** Why frames were captured rather than reused, counted: the log says what kept a page from being static. */
  const captureReasons = new Map<string, number>();
  const runWorker = async (browser: CaptureBrowser, worker: number) => {
    const shown = new Map<string, string>();
    /** This browser's last image: a frame in which nothing changed since is that image again. */
    let previous: Buffer | undefined;
    /** Frame images loading for this browser's next frame, by clip. */
    const preloads = new Map<string, { file: string; url: string }>();
    const releasePreloads = () => {
      for (const { url } of preloads.values()) urls?.release(url);
      preloads.clear();
    };
    /**
     * Puts the page at output frame `frame`: its new video images, the seek, the clips' mirroring and the
     * next frame's preloads, in one round trip; answers what the capture needs to know of it.
     */
    const seekFrame = async (frame: number, mark: (phase: keyof typeof phases) => void): Promise<SeekedFrame> => {
      const at = firstFrame + frame;
      const t = frameTime(at, fps);
      // A changed frame's image is in place before the seek, so the page's animation frames at t (a WebGL
      // texture of the video: runtime/adapters/videoTexture.ts) see the frame of t.
      const clips = (input.videoFrames?.clips ?? []).map(clip => ({ id: clip.clipId, file: clip.frameFiles.get(at) ?? HIDDEN }));
      const videoChanged = clips.some(clip => shown.get(clip.id) !== clip.file);
      const painted: string[] = [];
      let paint = '';
      for (const clip of clips) {
        if (clip.file === HIDDEN || shown.get(clip.id) === clip.file) continue;
        const ahead = preloads.get(clip.id);
        preloads.delete(clip.id);
        if (ahead && ahead.file !== clip.file) urls?.release(ahead.url);
        const url = ahead?.file === clip.file ? ahead.url : await frameUrl(await input.videoFrames!.ready(clip.file));
        painted.push(url);
        paint += `decoded.push(await window.__hfPaintVideoFrame(${JSON.stringify(clip.id)}, ${JSON.stringify(url)}));`;
      }
      mark('extractWaitMs');
      // Outside its slot the clip's image goes away with it; inside, it follows the video every frame
      // (position, transform, opacity) after the seek moved it; the image data crossed over before it.
      // The page's changes are read before that mirroring, whose own writes restate what the seek decided.
      const mirror = clips.map(clip => clip.file === HIDDEN
        ? (shown.get(clip.id) === HIDDEN ? '' : `window.__hfHideVideoFrame(${JSON.stringify(clip.id)});`)
        : `await window.__hfPaintVideoFrame(${JSON.stringify(clip.id)}, null);`).join('');
      // This browser's next frame's new images start loading now, decoded while this one is captured.
      let preload = '';
      const nextAt = at + workers;
      if (urls && frame + workers < frameCount) {
        for (const clip of input.videoFrames?.clips ?? []) {
          const file = clip.frameFiles.get(nextAt) ?? HIDDEN;
          if (file === HIDDEN || file === (clip.frameFiles.get(at) ?? HIDDEN)) continue;
          const url = urls.register(await input.videoFrames!.ready(file));
          preloads.set(clip.clipId, { file, url });
          preload += `window.__hfPreloadVideoFrame(${JSON.stringify(clip.clipId)}, ${JSON.stringify(url)});`;
        }
      }
      // The page tells the capture when the BeginFrame that draws this frame has started its main frame.
      const signal = overlapSeeks ? browser.mainFrameSignal() : null;
      mark('paintMs');
      // The new images, the seek and what follows it, in one round trip (seekThen).
      const seeking = browser.seekThen<boolean[], string | null>(t, paint ? `(async () => { const decoded = []; ${paint} return decoded; })()` : '[]', `(async () => {
          const change = ${reuseStatic ? 'window.__hfRuntime.frameChanges.take()' : "'capturing every frame'"};
          ${mirror}
          ${reuseStatic ? 'window.__hfRuntime.frameChanges.discard();' : ''}
          ${preload}
          ${signal?.statement ?? ''}
          return change;
        })()`);
      // The page has the new images (or failed to take them): their URLs serve nothing from now on.
      const seeked = await seeking.finally(() => { for (const url of painted) urls?.release(url); });
      mark('seekMs');
      for (const clip of clips) shown.set(clip.id, clip.file);
      return {
        change: seeked.value, videoChanged,
        // A frame image that was not decoded ahead may reach the compositor a BeginFrame late (grab()).
        undecodedImage: seeked.before.some(decoded => !decoded),
        // A composited shader-transition frame, or one that has no main-frame signal, is drawn on its own.
        mainFrameToken: seeked.composited ? undefined : signal?.token,
      };
    };
    /** The seek of this browser's next frame, started while the current frame was being drawn (grabOverlapping). */
    let seekAhead: { frame: number; seeked: Promise<SeekedFrame> } | undefined;
    const dropSeekAhead = async () => {
      const ahead = seekAhead;
      seekAhead = undefined;
      await ahead?.seeked.catch(() => undefined);
    };
    // `frame` counts output frames; `at` is the composition frame it shows.
    for (let frame = worker; frame < frameCount; frame += workers) {
      let mark = Date.now();
      const lap = (phase: keyof typeof phases) => { const now = Date.now(); phases[phase] += now - mark; mark = now; };
      while (frame - nextToWrite > CAPTURE_REORDER_WINDOW_FRAMES * workers && failed === undefined && !signal?.aborted) {
        await new Promise<void>(resolve => wakeWaiters.push(resolve));
      }
      lap('waitMs');
      if (signal?.aborted) throw new RenderCancelledError('capture');
      if (failed !== undefined) {
        await dropSeekAhead();
        return;
      }
      const at = firstFrame + frame;
      const t = frameTime(at, fps);
      const next = frame + workers;
      // One frame, start to finish; a stalled compositor gets a fresh browser and the frame again.
      const captureFrame = async () => {
        const ahead = seekAhead?.frame === frame ? seekAhead.seeked : undefined;
        seekAhead = undefined;
        const seeked = ahead ? await ahead.finally(() => lap('seekMs')) : await seekFrame(frame, lap);
        if (reuseStatic && seeked.change === null && !seeked.videoChanged && previous) {
          reused++;
          pending.set(frame, previous);
          return;
        }
        const reason = seeked.videoChanged ? 'a video frame changed' : seeked.change ?? 'first frame';
        captureReasons.set(reason, (captureReasons.get(reason) ?? 0) + 1);
        input.logger.trace(`frame ${at}: captured (${reason})`);
        if (seeked.mainFrameToken === undefined || seeked.undecodedImage || next >= frameCount) {
          previous = await browser.grab(seeked.undecodedImage);
        } else {
          // The next frame's seek runs in the renderer while this one is composited and encoded.
          const overlapped = await browser.grabOverlapping(seeked.mainFrameToken, () => {
            seeksOverlapped++;
            const started = seekFrame(next, () => undefined);
            started.catch(() => undefined); // awaited by the next frame (or dropped)
            seekAhead = { frame: next, seeked: started };
          });
          if (overlapped.image) previous = overlapped.image;
          else if (!overlapped.mainFrameStarted) previous = await browser.grabLate();
          else {
            // Not drawn, and the page may already be at the next frame: seek this one again, then draw it
            // as a frame whose images were not decoded ahead.
            seekedAgain++;
            await dropSeekAhead();
            releasePreloads();
            await seekFrame(frame, () => undefined);
            previous = await browser.grab(true);
          }
        }
        lap('grabMs');
        pending.set(frame, previous);
      };
      try {
        for (;;) {
          try {
            await captureFrame();
            break;
          } catch (error) {
            await dropSeekAhead();
            if (!(error instanceof CompositorStalledError) || browser.restarts >= CAPTURE_BROWSER_RESTARTS_MAX || signal?.aborted) throw error;
            input.logger.warn(`Frame ${at} (t = ${t.toFixed(3)} s): ${error.message} Replacing capture browser ${worker + 1} with a fresh one and capturing the frame again.`);
            releasePreloads();
            shown.clear();
            previous = undefined;
            await browser.restart();
            await preparePage(browser);
          }
        }
      } catch (error) {
        if (signal?.aborted) throw new RenderCancelledError('capture');
        // A page-provided window.__hf that failed on this frame (runtime/seek.ts HfProtocolError): its own code.
        const protocol = /^HfProtocolError: \[(hf-protocol-[a-z-]+)\] (.*)$/.exec(errorText(error));
        if (protocol) throw new StageError('capture', `Frame ${at} (t = ${t.toFixed(3)} s): ${protocol[2]}`, protocol[1], [], { cause: error });
        throw new StageError('capture', `Frame ${at} (t = ${t.toFixed(3)} s) could not be captured: ${errorText(error)}`, 'capture-failed', [], { cause: error });
      }
      flush();
    }
    await dropSeekAhead();
  };

  signal?.addEventListener('abort', wake, { once: true });
  try {
    await Promise.all(browsers.map((browser, worker) => runWorker(browser, worker).catch(error => {
      // Stop the other workers too: one of them may be waiting for this worker's frame.
      failed ??= error;
      wake();
    })));
    flush();
    await writing.catch(() => undefined);
  } finally {
    signal?.removeEventListener('abort', wake);
  }
  if (signal?.aborted) throw new RenderCancelledError('capture');
  if (failed !== undefined) throw failed;
  input.logger.debug(`capture: ms summed over ${workers} worker(s): ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(' · ')} · late frames redrawn ${browsers.reduce((sum, browser) => sum + browser.lateFrames, 0)} · seeks overlapped ${seeksOverlapped} · seeked again ${seekedAgain} · browsers replaced ${browsers.reduce((sum, browser) => sum + browser.restarts, 0)}`);
  input.logger.debug(reuseStatic
    ? `static frames: ${reused} of ${frameCount} reused; captured: ${[...captureReasons].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} (${why})`).join(', ')}`
    : 'static frames: off, every frame captured');
  if (nextToWrite !== frameCount) throw new StageError('capture', `Captured ${nextToWrite} of ${frameCount} frames.`, 'capture-failed');
  return { frames: nextToWrite, reusedFrames: reused, mode: browsers[0].mode, workers };
}
