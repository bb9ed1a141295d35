// Building a render plan (`hyperframes-live plan`, and the first stage of a chunked or farm render): compile
// and probe once, mix the audio once, then freeze the project's files, the compiled page and the audio into
// a content-addressed folder with the locked render config and the tool versions (types.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkComposition } from '../probe';
import { runAudioStage } from '../audio';
import { fpsValue, framesIn, frameTime, toFrameRate } from '../frameRate';
import { checkRange, frameWindow } from '../render/range';
import { checkFormatOptions } from '../render/formats';
import { deviceScaleFactor } from '../render/resolution';
import { findProjectRoot } from '../project';
import { defaultRuntimePath } from '../fileServer';
import { locateChromium, locateFfmpeg, locateFfprobe, toolVersion } from '../tools';
import { StageError } from '../errors';
import { type Logger, silentLogger } from '../logger';
import { PLAN_EXCLUDED_FOLDERS, PLAN_MAX_BYTES } from '../limits';
import { pathCreated, pathReleased } from '../render/ownedResources';
import type { RenderOptions } from '../render/types';
import { canonicalJson, computePlanHash, sha256Bytes, sha256File } from './hash';
import { PlanError } from './errors';
import { chunkFramesFor } from './chunking';
import { PLAN_BLOBS_FOLDER, PLAN_FORMAT_VERSION, PLAN_MANIFEST_FILE, type LockedRenderConfig, type PlanBlob, type PlanFile, type PlanTools, type RenderPlan } from './types';

export interface BuildPlanInput {
  /** The render as asked (entry, format, quality, fps, transparent, capture mode, tool paths). */
  render: RenderOptions;
  /** Into how many chunks to cut the video (default 1); `chunkFrames` instead fixes their length. */
  chunks?: number;
  chunkFrames?: number;
  /** The folder to write (created; must be empty or absent). */
  planDir: string;
  logger?: Logger;
  signal?: AbortSignal;
}

/** The first version number in a tool's `--version` line ("Chromium 131.0…" → 131; "ffmpeg version 5.1.6…" → 5). */
export function majorVersion(line: string): number {
  const match = /(?:version\s+n?)?(\d+)\.\d+/i.exec(line);
  return match ? Number(match[1]) : 0;
}

export async function planTools(options: Pick<RenderOptions, 'chromiumPath' | 'ffmpegPath' | 'runtimePath'>): Promise<PlanTools> {
  const chromium = locateChromium({ explicitPath: options.chromiumPath });
  const ffmpeg = locateFfmpeg({ explicitPath: options.ffmpegPath });
  const [chromiumLine, ffmpegLine] = await Promise.all([toolVersion(chromium.path, '--version'), toolVersion(ffmpeg.path, '-version')]);
  const runtimeFile = options.runtimePath ?? defaultRuntimePath();
  return {
    chromium: chromiumLine ?? 'unknown', chromiumMajor: majorVersion(chromiumLine ?? ''),
    ffmpeg: ffmpegLine ?? 'unknown', ffmpegMajor: majorVersion(ffmpegLine ?? ''),
    runtime: fs.existsSync(runtimeFile) ? await sha256File(runtimeFile) : 'unknown',
  };
}

/** Every file of the project but renders, dependencies and dot-folders, relative with forward slashes. */
function projectFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir === root && PLAN_EXCLUDED_FOLDERS.includes(entry.name)) continue;
        if (entry.name === 'node_modules') continue;
        walk(full);
      } else if (entry.isFile() || (entry.isSymbolicLink() && fs.statSync(full).isFile())) {
        files.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  walk(root);
  return files.sort();
}

async function addBlob(blobsDir: string, file: string): Promise<PlanBlob> {
  const sha256 = await sha256File(file);
  const target = path.join(blobsDir, sha256);
  if (!fs.existsSync(target)) await fs.promises.copyFile(file, target);
  return { sha256, bytes: fs.statSync(file).size };
}

/**
 * Render options a plan does not lock yet, with the flag that sets each: a chunked render would silently
 * ignore them, so it refuses them instead. This is the one list: `render --chunks/--farm` refuses these, and
 * the editor renders a farm render that asks for one on this machine (farm/submit.ts whyNotOnFarm).
 */
const UNLOCKED_OPTIONS: Readonly<Record<string, string>> = {
  hdr: '--hdr', gifLoop: '--gif-loop', hlsSegmentSeconds: '--hls-segment-seconds',
};

/** The flags of the options in `render` that a plan does not lock (empty: a plan renders it as asked). */
export function unlockedOptions(render: RenderOptions): string[] {
  return Object.entries(render as unknown as Record<string, unknown>)
    .filter(([name, value]) => UNLOCKED_OPTIONS[name] !== undefined && value !== undefined && value !== false)
    .map(([name]) => UNLOCKED_OPTIONS[name]);
}

function refuseUnlockedOptions(render: RenderOptions): void {
  const given = unlockedOptions(render);
  if (given.length) throw new PlanError('plan-invalid', `A render plan does not lock ${given.join(', ')} yet: render without --chunks/--farm to use ${given.length === 1 ? 'it' : 'them'}.`);
}

export async function buildPlan(input: BuildPlanInput): Promise<RenderPlan> {
  const logger = input.logger ?? silentLogger;
  const { render, signal } = input;
  const entryFile = path.resolve(render.entryFile);
  if (!fs.existsSync(entryFile)) throw new StageError('compile', `${entryFile} does not exist.`, 'entry-not-found');
  if (fs.existsSync(input.planDir) && fs.readdirSync(input.planDir).length > 0) {
    throw new PlanError('plan-invalid', `${input.planDir} is not empty: a plan is written into a new folder.`);
  }
  const format = render.format ?? (render.transparent ? 'webm' : 'mp4');
  refuseUnlockedOptions(render);
  // The checks a render makes before any work, made once here rather than in every chunk's worker.
  checkRange(render.range);
  checkFormatOptions(format, render);
  // The tools' --version runs (about 0.3 s) overlap the probe: both are on the critical path of every chunk.
  const [tools, checked] = await Promise.all([
    planTools(render),
    // With the render's variable values: they choose the page's text and sources, and so its media and audio.
    checkComposition(entryFile, { variables: render.variables, chromiumPath: render.chromiumPath, timeoutMs: render.probeTimeoutMs, runtimePath: render.runtimePath, logger, signal }),
  ]);
  if (!checked.probed || checked.timedOut) {
    const reason = checked.diagnostics.find(d => d.severity === 'error')?.message ?? 'the page never finished loading';
    throw new StageError('probe', `The composition could not be probed: ${reason}`, 'probe-failed', checked.diagnostics);
  }
  const composition = checked.composition;
  // The frames a render of the same options covers (renderJob's rules): the exact rate, a range's window,
  // the device scale factor. The chunks tile that window; every time is computed from the rational rate.
  const frameRate = toFrameRate(render.fps ?? composition.fps);
  const compositionFrames = checked.duration > 0 ? framesIn(checked.duration, frameRate) : 0;
  if (compositionFrames <= 0) throw new StageError('probe', 'Composition duration is 0 — this would produce a black video.', 'zero-duration', checked.diagnostics);
  const { firstFrame, frames: frameCount } = frameWindow(render.range, compositionFrames, fpsValue(frameRate));
  const scale = deviceScaleFactor(render, composition.width, composition.height);
  const chunkFrames = chunkFramesFor(frameCount, input.chunks, input.chunkFrames);

  const root = findProjectRoot(entryFile);
  const planDir = path.resolve(input.planDir);
  const blobsDir = path.join(planDir, PLAN_BLOBS_FOLDER);
  fs.mkdirSync(blobsDir, { recursive: true });
  const files: PlanFile[] = [];
  let total = 0;
  for (const relative of projectFiles(root)) {
    if (signal?.aborted) throw new StageError('compile', 'Cancelled while freezing the plan.', 'cancelled');
    const blob = await addBlob(blobsDir, path.join(root, relative));
    total += blob.bytes;
    if (total > PLAN_MAX_BYTES) throw new PlanError('plan-too-large', `The project holds more than ${PLAN_MAX_BYTES} bytes (PLAN_MAX_BYTES): move what the composition does not use out of ${root}.`);
    files.push({ path: relative, ...blob });
  }
  const compiledPage: PlanBlob = { sha256: sha256Bytes(composition.compiledHtml), bytes: Buffer.byteLength(composition.compiledHtml, 'utf8') };
  await fs.promises.writeFile(path.join(blobsDir, compiledPage.sha256), composition.compiledHtml, 'utf8');

  let audio: RenderPlan['audio'];
  if (format !== 'png') {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-plan-audio-'));
    pathCreated(workDir);
    try {
      const codec = format === 'mp4' ? 'aac' : 'opus';
      const mixed = await runAudioStage({
        composition, from: frameTime(firstFrame, frameRate), duration: frameTime(frameCount, frameRate), codec, ffmpegPath: locateFfmpeg({ explicitPath: render.ffmpegPath }).path,
        ffprobePath: locateFfprobe({ explicitPath: render.ffmpegPath }).path, workDir, logger, signal,
      });
      if (mixed.file) audio = { ...(await addBlob(blobsDir, mixed.file)), codec };
    } finally {
      await fs.promises.rm(workDir, { recursive: true, force: true });
      pathReleased(workDir);
    }
  }

  const transparent = render.transparent ?? false;
  const config: LockedRenderConfig = {
    width: composition.width, height: composition.height, scale, fps: fpsValue(frameRate), frameRate, firstFrame, frameCount,
    format, quality: render.quality ?? 'standard', ...(render.rateControl ? { rateControl: render.rateControl } : {}),
    ...(render.variables ? { variables: render.variables } : {}), transparent,
    captureMode: render.captureMode ?? 'auto',
    pixelFormat: format === 'png' ? 'rgba' : transparent ? 'yuva420p' : 'yuv420p',
    chunkFrames, chunkCount: Math.ceil(frameCount / chunkFrames), keyframeInterval: chunkFrames,
    workersPerChunk: Math.max(1, Math.floor(render.workers ?? 1)),
  };
  const unsigned: Omit<RenderPlan, 'planHash'> = {
    formatVersion: PLAN_FORMAT_VERSION, createdAt: new Date().toISOString(), entry: path.relative(root, entryFile).split(path.sep).join('/'),
    files, compiledPage, ...(audio ? { audio } : {}), config, tools,
  };
  const plan: RenderPlan = { ...unsigned, planHash: computePlanHash(unsigned) };
  await fs.promises.writeFile(path.join(planDir, PLAN_MANIFEST_FILE), `${canonicalJson(plan)}\n`);
  logger.debug(`plan ${plan.planHash.slice(0, 12)}: ${files.length} files, ${frameCount} frames in ${config.chunkCount} chunk(s) of ${chunkFrames}`);
  return plan;
}
