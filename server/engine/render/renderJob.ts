// The render job sequencer: compile → probe → capture (with encode streaming alongside, and the audio mix
// running concurrently) → mux → publish. It is the only writer of job state (duration, frames, timings);
// stages take one input and return one result; every resource a stage opens is pushed on the resource stack
// and closed in `finally`; the AbortSignal reaches every stage and child process. The stages come in as one
// injectable object (RenderStages), so "a stage fails, everything is closed" is tested without browsers.
// Output is staged beside the target and renamed into place on success only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compile } from '../compile';
import { compositionServerOptions, FileServerError, startFileServer } from '../fileServer';
import { compositionUsesWebGpu } from '../compile/gpuUsage';
import { runProbeStage } from '../probe';
import type { BrowserSession } from '../browser';
import type { EngineDiagnostic } from '../model';
import { DEFAULT_GIF_LOOP, DEFAULT_HLS_SEGMENT_SECONDS, PAGE_CLOSE_GRACE_MS, SERVE_VIDEO_FRAMES_BY_URL } from '../limits';
import { chooseCaptureWorkers } from '../capture/workerCount';
import { ffmpegRate, fpsValue, framesIn, frameTime, toFrameRate } from '../frameRate';
import type { Closable } from '../closable';
import type { CompileInput } from '../compile/types';
import { RenderCancelledError, StageError, type StageName } from '../errors';
import { type Logger, silentLogger } from '../logger';
import type { StageTimings } from './events';
import { locateChromium, locateFfmpeg, locateFfprobe, ToolNotFoundError } from '../tools';
import { extractVideoFrames, launchCaptureBrowsers, loadCaptureBrowsers, runCaptureStage, VideoFrameUrls, type CaptureBrowser, type CaptureMode } from '../capture';
import { HDR_FORMATS, startPngSequenceWriter, startVideoEncoder, type FrameSink, type VideoEncoderInput } from '../encode';
import { startGopSegmentEncoder } from '../encode/gopSegments';
import { runMuxStage } from '../encode/mux';
import { startGifWriter } from '../encode/gif';
import { runHlsPackaging } from '../encode/hls';
import { audioCodecOf, captureImageFormat, checkFormatOptions, requestedFrameRate } from './formats';
import { deviceScaleFactor } from './resolution';
import { hdrOutput } from '../encode/hdr';
import { runAudioStage, type AudioResult } from '../audio';
import { defaultOutputPath, outputSize, publishOutput, stagingPath } from './output';
import { ProgressReporter } from './progress';
import { pathCreated, pathReleased } from './ownedResources';
import { checkRange, frameWindow } from './range';
import { ResourceStack } from './resources';
import type { RenderCallbacks, RenderOptions, RenderResult } from './types';
import { errorBlocksRender } from '../compile/lint/codes';

/** Why a transparent MP4 is refused (the CLI says the same at argument parsing). */
export const TRANSPARENT_MP4_MESSAGE = 'MP4/H.264 has no alpha channel: use --format webm or png for a transparent render.';
/** Why an HDR render of another format, or a transparent one, is refused (the CLI says the same). */
export const HDR_FORMAT_MESSAGE = 'HDR is written as HEVC 10-bit MP4 or MOV, without alpha: use --format mp4 or mov (not --transparent) with --hdr.';

/**
 * The stage functions the sequencer composes. The engine's are the default; a test passes fakes to check
 * the sequencing itself (what is closed when a stage fails, what is cancelled).
 */
export interface RenderStages {
  compile: typeof compile;
  startFileServer: typeof startFileServer;
  probe: typeof runProbeStage;
  launchCaptureBrowsers: typeof launchCaptureBrowsers;
  loadCaptureBrowsers: typeof loadCaptureBrowsers;
  extractVideoFrames: typeof extractVideoFrames;
  capture: typeof runCaptureStage;
  startVideoEncoder: typeof startVideoEncoder;
  startPngSequenceWriter: typeof startPngSequenceWriter;
  startGifWriter: typeof startGifWriter;
  audio: typeof runAudioStage;
  mux: typeof runMuxStage;
  packageHls: typeof runHlsPackaging;
}

export const ENGINE_RENDER_STAGES: RenderStages = {
  compile, startFileServer, probe: runProbeStage, launchCaptureBrowsers, loadCaptureBrowsers, extractVideoFrames, capture: runCaptureStage,
  startVideoEncoder, startPngSequenceWriter, startGifWriter, audio: runAudioStage, mux: runMuxStage, packageHls: runHlsPackaging,
};

/** Job state: written here only. */
interface RenderJobState {
  /** The composition's duration (seconds). */
  duration: number;
  /** The composition frame the output starts at (0 unless a range was asked). */
  firstFrame: number;
  /** Frames to render: the range's, or the whole composition's. */
  totalFrames: number;
  timings: StageTimings;
}


function asStageError(stage: StageName, error: unknown, signal: AbortSignal | undefined): Error {
  if (error instanceof StageError || error instanceof RenderCancelledError) return error;
  if (signal?.aborted) return new RenderCancelledError(stage);
  if (error instanceof ToolNotFoundError) return new StageError(stage, error.message, 'tool-not-found', [], { cause: error });
  if (error instanceof FileServerError) return new StageError(stage, error.message, error.code, [], { cause: error });
  return new StageError(stage, error instanceof Error ? error.message : String(error), 'stage-failed', [], { cause: error });
}

export async function renderJob(options: RenderOptions, callbacks: RenderCallbacks = {}, stages: RenderStages = ENGINE_RENDER_STAGES): Promise<RenderResult> {
  const { signal } = callbacks;
  const logger = callbacks.logger ?? silentLogger;
  const progress = new ProgressReporter(callbacks.onProgress);
  const state: RenderJobState = { duration: 0, firstFrame: 0, totalFrames: 0, timings: {} };
  const transparent = options.transparent ?? false;
  // A transparent render without a format is WebM: the default MP4 has no alpha channel.
  const format = options.format ?? (transparent ? 'webm' : 'mp4');
  const quality = options.quality ?? 'standard';
  const entryFile = path.resolve(options.entryFile);
  const outputPath = path.resolve(options.outputPath ?? defaultOutputPath(entryFile, format, options.range));
  const staged = stagingPath(outputPath);
  const resources = new ResourceStack(logger);
  const jobStarted = Date.now();
  let workDir: string | undefined;
  let published = false;

  // Runs one stage: timing and error typing in one place.
  const stage = async <T>(name: StageName, run: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new RenderCancelledError(name);
    const started = Date.now();
    try {
      return await run();
    } catch (error) {
      throw asStageError(name, error, signal);
    } finally {
      state.timings[`${name}Ms`] = (state.timings[`${name}Ms`] ?? 0) + (Date.now() - started);
    }
  };

  try {
    if (!fs.existsSync(entryFile)) throw new StageError('compile', `${entryFile} does not exist.`, 'entry-not-found');
    checkRange(options.range);
    if (transparent && format === 'mp4') throw new StageError('compile', TRANSPARENT_MP4_MESSAGE, 'transparent-mp4');
    if (options.hdr && (!HDR_FORMATS.includes(format) || transparent)) throw new StageError('compile', HDR_FORMAT_MESSAGE, 'hdr-format');
    checkFormatOptions(format, options);
    // A GIF defaults to its own rate; otherwise the composition's data-fps (known after compile).
    const requestedFps = requestedFrameRate(format, options.fps);
    // Finding the tools is not compiling: it is timed on its own, and a missing one is named as such.
    const toolsStarted = Date.now();
    const tools = locateRenderTools(options);
    state.timings.toolsMs = Date.now() - toolsStarted;

    progress.stage('compile', 'Compiling');
    const compileInput: CompileInput = { entryFile, fps: requestedFps === undefined ? undefined : fpsValue(requestedFps), ffmpegPath: options.ffmpegPath, logger, signal };
    if (options.variables) compileInput.variables = options.variables;
    const compiled = await stage('compile', () => stages.compile(compileInput));
    const warnings: EngineDiagnostic[] = [...compiled.diagnostics];
    blockOnProblems('compile', compiled.diagnostics, options, logger);

    // The capture browsers start now, and the probe loads the page in the first of them: one launch
    // fewer than a probe browser of its own (about 0.4 s on this machine), and nothing to close between.
    // Their size and number come from the static compile.
    // JPEG for opaque video; PNG for a PNG sequence and wherever alpha is kept. BeginFrame's PNG keeps
    // alpha like a screenshot's does, and is faster (measured: 44 vs 57 ms a 1080p frame), so it serves every format.
    const frameFormat = captureImageFormat(format, transparent);
    // The page is laid out at the composition's size and captured at this factor (resolution.ts).
    const scale = deviceScaleFactor(options, compiled.composition.width, compiled.composition.height);
    const preferredMode: CaptureMode = options.captureMode && options.captureMode !== 'auto'
      ? options.captureMode
      : tools.chromium.kind === 'headless-shell' ? 'beginframe' : 'screenshot';
    const staticFrames = compiled.composition.frameCount > 0 ? staticWindowFrames(compiled.composition.frameCount, options.range, fpsValue(requestedFps ?? compiled.composition.fps)) : Number.POSITIVE_INFINITY;
    // The page's size as captured (the scale multiplies its pixels) and its video clips set the browsers' memory.
    const captureWorkers = chooseCaptureWorkers({
      requested: options.workers, frames: staticFrames, width: compiled.composition.width * scale, height: compiled.composition.height * scale,
      videoClips: compiled.composition.media.filter(media => media.kind === 'video').length,
    });
    logger.debug(`capture workers: ${captureWorkers.reason}`);
    const launching = stages.launchCaptureBrowsers({
      chromiumPath: tools.chromium.path, preferredMode, width: compiled.composition.width, height: compiled.composition.height,
      fps: fpsValue(requestedFps ?? compiled.composition.fps), format: frameFormat, deviceScaleFactor: scale, transparent, webGpu: compositionUsesWebGpu(compiled.composition),
      workers: captureWorkers.workers, logger, signal,
    });
    launching.catch(() => undefined); // a failure is awaited below; it must not go unhandled before that
    // Pushed at once: a probe that fails while they start still closes every one of them. A launch that
    // failed has nothing to close (its own error is the stage's).
    const captureBrowsers: Closable = resources.push('capture browsers', {
      close: async () => {
        const launched = await launching.catch(() => [] as CaptureBrowser[]);
        await Promise.all(launched.map(browser => browser.close()));
      },
    });

    progress.stage('probe', 'Loading the composition');
    // One file server for the probe's page and the capture pages: the capture pages load while the probe
    // runs (about 0.1 s sooner to the first frame), and again only when the probe recompiled the page.
    const fileServer = resources.push('file server', await stage('probe', () =>
      stages.startFileServer(compositionServerOptions(compiled.composition, { runtimePath: options.runtimePath, logger }))));
    const loadingPages = launching.then(launched => stages.loadCaptureBrowsers(launched, fileServer.entryUrl, signal));
    loadingPages.catch(() => undefined); // awaited (or moot) after the probe
    const probe = await stage('probe', async () => {
      const [first] = await launching;
      const session: BrowserSession = {
        browser: first.browser, chromium: tools.chromium, get closed() { return !first.browser.connected; }, close: () => first.close(),
      };
      return stages.probe({ compiled, compileInput, session, fileServer, runtimePath: options.runtimePath, timeoutMs: options.probeTimeoutMs, logger, signal });
    });
    const { page } = probe.resources;
    // The probe's page is done with; capture has its own BeginFrame pages. A page that will not close
    // goes with its browser.
    if (page) await resources.release(resources.push('probe page', { close: () => closePage(page) }));
    warnings.push(...probe.diagnostics);
    // A page that never loaded or has no length cannot be rendered, allowed errors or not: say exactly that.
    if (probe.timedOut) throw new StageError('probe', 'The composition never finished loading: a script kept the page busy past the probe timeout.', 'probe-timeout', probe.diagnostics);
    const composition = probe.composition;
    // The exact rate (frame times, counts, ffmpeg's -r) and its value as a number (everything else).
    const rate = toFrameRate(requestedFps ?? composition.fps);
    const fps = fpsValue(rate);
    state.duration = probe.duration;
    const compositionFrames = state.duration > 0 ? framesIn(state.duration, rate) : 0;
    if (compositionFrames <= 0) {
      const reason = probe.diagnostics.find(d => d.code === 'zero-duration')?.message ?? 'Composition duration is 0 — this would produce a black video.';
      throw new StageError('probe', reason, 'zero-duration', probe.diagnostics);
    }
    blockOnProblems('probe', probe.diagnostics, options, logger);
    const covered = frameWindow(options.range, compositionFrames, fps);
    state.firstFrame = covered.firstFrame;
    state.totalFrames = covered.frames;

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-render-'));
    pathCreated(workDir);
    const videoDuration = frameTime(state.totalFrames, rate);
    const videoStart = frameTime(state.firstFrame, rate);
    fs.mkdirSync(path.dirname(outputPath), { recursive: true });
    pathCreated(staged);

    // Audio runs beside capture: it needs only the composition and the files.
    const audioWorkDir = workDir;
    const audioCodec = audioCodecOf(format);
    const audioPromise: Promise<AudioResult> = audioCodec === undefined || options.videoOnly
      ? Promise.resolve({ file: undefined, clips: 0 })
      : stage('audio', () => stages.audio({
        composition, from: videoStart, duration: videoDuration, codec: audioCodec,
        ffmpegPath: tools.ffmpeg, ffprobePath: tools.ffprobe, workDir: audioWorkDir, logger, signal,
      }));
    audioPromise.catch(() => undefined);

    const captureWorkDir = workDir;
    const [browsers, videoFrames] = await stage('capture', () => Promise.all([
      launching.then(async (launched: CaptureBrowser[]) => {
        await loadingPages.catch(error => { if (!probe.recompiled) throw error; });
        // Resolved sub-composition durations changed the served page (the probe set it): load it again.
        if (probe.recompiled) await stages.loadCaptureBrowsers(launched, fileServer.entryUrl, signal);
        return launched;
      }),
      stages.extractVideoFrames({
        composition, fps, firstFrame: state.firstFrame, frameCount: state.firstFrame + state.totalFrames, ffmpegPath: tools.ffmpeg, ffprobePath: tools.ffprobe,
        workDir: captureWorkDir, cache: { dir: options.videoFrameCacheDir, maxBytes: options.videoFrameCacheBytes }, logger, signal,
      }).then(plan => resources.push('video frames', plan)),
    ]));
    logger.debug(`capture: ${browsers.length} ${browsers[0].mode} browser(s) ready after ${Date.now() - jobStarted} ms`);

    // With audio to mux, the encoder writes a video-only file first; otherwise straight to the staging path.
    // HLS always encodes an MP4 first, which the packaging cuts into the staged folder.
    const hasAudioClips = audioCodec !== undefined && !options.videoOnly && composition.media.some(m => m.kind !== 'img' && !m.muted);
    const videoFile = format === 'hls' ? path.join(workDir, 'video.mp4') : hasAudioClips ? path.join(workDir, `video.${format}`) : staged;
    const hlsSegmentSeconds = options.hlsSegmentSeconds ?? DEFAULT_HLS_SEGMENT_SECONDS;
    const encoderStarted = Date.now();
    // A plan-locked render (keyframeInterval) encodes each GOP in its own encoder run, as its chunks are (gopSegments.ts).
    const startEncoder = (input: VideoEncoderInput): FrameSink => input.keyframeInterval && (format === 'mp4' || format === 'webm')
      ? startGopSegmentEncoder({ ...input, format, keyframeInterval: input.keyframeInterval, workDir: captureWorkDir }, stages.startVideoEncoder)
      : stages.startVideoEncoder(input);
    const sink: FrameSink = resources.push('encoder', format === 'png'
      ? stages.startPngSequenceWriter(staged, state.totalFrames)
      : format === 'gif'
      ? stages.startGifWriter({ ffmpegPath: tools.ffmpeg, fps: rate, frameCount: state.totalFrames, loop: options.gifLoop ?? DEFAULT_GIF_LOOP, transparent, workDir, outputFile: staged, logger, signal })
      : startEncoder({ ffmpegPath: tools.ffmpeg, format: format === 'hls' ? 'mp4' : format, quality, fps: rate, frameFormat, alpha: transparent, outputFile: videoFile, logger, signal,
        ...(options.keyframeInterval ? { keyframeInterval: options.keyframeInterval } : {}),
        ...(options.rateControl ? { rateControl: options.rateControl } : {}),
        ...(format === 'hls' ? { keyframeSeconds: hlsSegmentSeconds } : {}),
        ...(options.hdr ? { hdr: await hdrOutput(tools.ffmpeg, videoFrames.hdrTransfers, logger) } : {}) }));

    progress.startCapture(state.totalFrames);
    const capture = await stage('capture', () => stages.capture({
      browsers, fps: rate, firstFrame: state.firstFrame, frameCount: state.totalFrames, sink, videoFrames, videoFrameUrls: SERVE_VIDEO_FRAMES_BY_URL && videoFrames.clips.length ? VideoFrameUrls.serve(fileServer) : undefined, reuseStaticFrames: options.reuseStaticFrames, onFrame: written => progress.frame(written), logger, signal,
    }));
    progress.stage('encode', 'Finishing the video');
    // The browsers close while the encoder flushes its last frames (about 90 ms each on a GSAP page): neither
    // waits for the other, and a failing encoder still returns only once they are closed (release never throws).
    const closingBrowsers = resources.release(captureBrowsers);
    try {
      await stage('encode', () => sink.finish());
    } finally {
      await closingBrowsers;
    }
    // The encoder ran beside the capture: encodeMs is its flush after the last frame, encoderMs its whole life.
    state.timings.encoderMs = Date.now() - encoderStarted;

    const audio = await audioPromise;
    if (format === 'hls') {
      progress.stage('mux', 'Writing the HLS segments');
      await stage('mux', () => stages.packageHls({ ffmpegPath: tools.ffmpeg, videoFile, audioFile: audio.file, segmentSeconds: hlsSegmentSeconds, outputFolder: staged, logger, signal }));
    } else if (audio.file && format !== 'png' && format !== 'gif') {
      const audioFile = audio.file;
      progress.stage('mux', 'Adding audio');
      await stage('mux', () => stages.mux({ ffmpegPath: tools.ffmpeg, videoFile, audioFile, format, outputFile: staged, logger, signal }));
    } else if (videoFile !== staged) {
      await fs.promises.rename(videoFile, staged);
    }
    if (signal?.aborted) throw new RenderCancelledError('mux');
    const publishStarted = Date.now();
    await publishOutput(staged, outputPath, format).catch(error => { throw asStageError('mux', error, signal); });
    state.timings.publishMs = Date.now() - publishStarted;
    published = true;
    pathReleased(staged);

    state.timings.totalMs = Date.now() - jobStarted;
    const result: RenderResult = {
      outputPath, format, sizeBytes: outputSize(outputPath), duration: videoDuration, frames: capture.frames, fps,
      ...(options.range ? { range: { start: videoStart, end: frameTime(state.firstFrame + state.totalFrames, rate) } } : {}),
      frameRate: ffmpegRate(rate), width: Math.round(composition.width * scale), height: Math.round(composition.height * scale), scale, hasAudio: audio.file !== undefined,
      captureMode: capture.mode, workers: capture.workers, wallMs: state.timings.totalMs,
      renderFps: Math.round((capture.frames / (state.timings.totalMs / 1000)) * 10) / 10,
      timings: state.timings, warnings,
    };
    progress.done(`Rendered ${outputPath}`);
    return result;
  } finally {
    progress.stopHeartbeat();
    await resources.close();
    if (!published) {
      await fs.promises.rm(staged, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(staged);
    }
    if (workDir) {
      await fs.promises.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(workDir);
    }
  }
}

/** The tools a render needs, found once before anything starts; a missing one fails with its own code. */
function locateRenderTools(options: Pick<RenderOptions, 'chromiumPath' | 'ffmpegPath'>): { chromium: ReturnType<typeof locateChromium>; ffmpeg: string; ffprobe: string } {
  try {
    return {
      chromium: locateChromium({ explicitPath: options.chromiumPath }),
      ffmpeg: locateFfmpeg({ explicitPath: options.ffmpegPath }).path,
      ffprobe: locateFfprobe({ explicitPath: options.ffmpegPath }).path,
    };
  } catch (error) {
    throw asStageError('compile', error, undefined);
  }
}

/** page.close() within the named grace; a page stuck in a script is left to its browser's close. */
async function closePage(page: { close(): Promise<void>; isClosed(): boolean }): Promise<void> {
  if (page.isClosed()) return;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>(resolve => { timer = setTimeout(resolve, PAGE_CLOSE_GRACE_MS); });
  await Promise.race([page.close(), grace]).finally(() => clearTimeout(timer));
}

/** Frames a render will capture as far as the static compile knows: picks the number of capture browsers. */
function staticWindowFrames(compositionFrames: number, range: RenderOptions['range'], fps: number): number {
  try {
    return frameWindow(range, compositionFrames, fps).frames;
  } catch {
    return compositionFrames; // the probe's duration decides; an empty range fails there
  }
}

/** How a blocked render names what stopped it: one line per diagnostic, with file and 1-based line and column. */
export function describeBlockingDiagnostics(diagnostics: readonly EngineDiagnostic[]): string {
  return diagnostics.map(d => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}: ${d.message.split('\n')[0]}`).join('\n');
}

/**
 * Errors stop the render before anything is captured (the video would come out with content missing),
 * unless the caller allows them; warnings go on, unless strict. The error carries every diagnostic.
 */
function blockOnProblems(stageName: 'compile' | 'probe', diagnostics: EngineDiagnostic[], options: Pick<RenderOptions, 'allowErrors' | 'strict'>, logger: Logger): void {
  // The reference's lint errors are advisory, as its render treats them: they block under --strict only.
  const errors = diagnostics.filter(d => d.severity === 'error' && errorBlocksRender(d.code));
  const advisory = diagnostics.filter(d => d.severity === 'warning' || (d.severity === 'error' && !errorBlocksRender(d.code)));
  const blocking = [...(options.allowErrors ? [] : errors), ...(options.strict ? advisory : [])];
  if (blocking.length > 0) {
    const what = options.strict && !options.allowErrors ? 'problem(s)' : options.strict ? 'warning(s) (--strict)' : 'error(s)';
    const how = options.allowErrors ? '' : '\nFix them, or render anyway with --allow-errors.';
    throw new StageError(stageName, `Render blocked by ${blocking.length} ${what}:\n${describeBlockingDiagnostics(blocking)}${how}`, 'composition-errors', blocking);
  }
  if (errors.length > 0) logger.warn(`Rendering despite ${errors.length} error(s) from ${stageName} (allowed):\n${describeBlockingDiagnostics(errors)}`);
}
