// Running the video frame extractions of one render: one ffmpeg per clip, all started at once and left to
// run ahead of capture, which waits only for a frame not written yet. Each writes only the source frames the
// output shows, as JPEG files, or PNG for a source with an alpha channel (JPEG has none), written atomically (a
// file that exists is whole), into the frame cache
// (videoFrameCache.ts) or, with the cache off, the render's own folder. Frames live on disk, not in memory,
// however far ahead the extraction runs. A finished extraction becomes a cache entry when the render closes
// the plan; a failed or cancelled one is removed.
//
// Frames are selected and named by their own presentation timestamps (sourceFrames.ts), not by their place in
// the decode: a file is the frame its name says. A planned frame the decoder never gave (the source ended
// sooner, or a packet decoded to nothing) has no file, and the nearest earlier frame written stands in, as a
// <video> holds its last frame.
import fs from 'node:fs';
import path from 'node:path';
import { VIDEO_FRAME_WAIT_POLL_MS } from '../limits';
import { FfmpegProcess } from '../encode/ffmpegProcess';
import { pathCreated, pathReleased } from '../render/ownedResources';
import type { Closable } from '../closable';
import { StageError } from '../errors';
import type { Logger } from '../logger';
import { cacheKey, sourceHash, VideoFrameCache } from './videoFrameCache';

/** ffmpeg's mjpeg quality scale (2: best but one; the extracted frame is the picture the render shows). */
export const EXTRACTED_JPEG_QSCALE = 2;
/** zlib level of extracted PNG frames: lossless at any level; 1 took 33 ms a 1080p frame against 57 ms for the default. */
export const EXTRACTED_PNG_COMPRESSION_LEVEL = 1;

/**
 * Decoder threads of an extraction. One: ffmpeg's frame threads cost about 10 % more CPU for the same frames
 * (1080p H.264: 2.1 s against 2.3–2.5 s for 180 frames), and one thread decodes 1080p at over 100 frames a
 * second, several times what capture takes.
 */
export const EXTRACTION_DECODER_THREADS = 1;
/** How an extracted frame is stored: JPEG for opaque sources, PNG (straight RGBA) for sources with alpha. */
export type ExtractedImage = 'jpeg' | 'png';
const IMAGE_EXTENSION: Record<ExtractedImage, string> = { jpeg: 'jpg', png: 'png' };
/** More separate runs of frames than this and the selection becomes one span (a long select expression costs per frame). */
const MAX_SELECT_RANGES = 64;
const FRAME_FILE = /^-?\d+\.(jpg|png)$/;

export interface FrameExtractionRequest {
  /** The clip's name for messages. */
  label: string;
  source: string;
  /** Decode no further into the source than this (seconds). */
  untilSeconds: number;
  /** The colour filter (videoColour.ts). */
  filter: string;
  /** The image format of the frames. */
  image: ExtractedImage;
  /** Decoder arguments, before -i (videoColour.ts alphaDecoderArgs). */
  decoderArgs?: string[];
  /** Source frame indices (places in framePts) the output shows. */
  sourceIndices: number[];
  /** Every listed source frame's presentation timestamp, in the stream's time base (sourceFrames.ts). */
  framePts: number[];
}

/** Where each asked source frame will be: files[i] holds sourceIndices[i] (once ready() says so). */
export interface FrameExtractionResult {
  files: Map<number, string>;
  fromCache: boolean;
}

interface Extraction {
  folder: string;
  key: string;
  process: FfmpegProcess | undefined;
  /** Settles when ffmpeg is done: resolved on success. */
  finished: Promise<void>;
  state: 'running' | 'done' | 'failed';
  error?: unknown;
  /** The timestamps of the files written, ascending, once done. */
  written?: number[];
  /** Files a whole extraction writes. */
  expected: number;
  published: boolean;
}

export class FrameExtractions implements Closable {
  private readonly extractions = new Map<string, Extraction>();
  private readonly byFile = new Map<string, Extraction>();
  /** The frames of cache folders this render read a missing frame from (a finished folder never changes). */
  private readonly cachedWritten = new Map<string, number[]>();
  private closed = false;
  /** Cache lookups this render answered from disk, and extractions it ran. */
  hits = 0;
  misses = 0;

  constructor(
    private readonly cache: VideoFrameCache,
    private readonly options: { ffmpegPath: string; workDir: string; logger: Logger; signal?: AbortSignal },
  ) {}

  /** Finds the frames in the cache, or starts extracting them; returns at once either way. */
  async request(request: FrameExtractionRequest): Promise<FrameExtractionResult> {
    const indices = [...new Set(request.sourceIndices)].sort((a, b) => a - b);
    const ranges = selectRanges(indices);
    const { image } = request;
    const ptsRanges = ranges.map(([first, last]): [number, number] => [request.framePts[first], request.framePts[last]]);
    const key = cacheKey({
      source: await sourceHash(request.source), until: request.untilSeconds.toFixed(3), filter: request.filter, ptsRanges,
      ...(image === 'jpeg' ? { qscale: EXTRACTED_JPEG_QSCALE } : { image, compression: EXTRACTED_PNG_COMPRESSION_LEVEL, decoder: request.decoderArgs ?? [] }),
    });
    const files = (folder: string) => new Map(indices.map(sourceIndex => [sourceIndex, frameFile(folder, request.framePts[sourceIndex], image)]));
    const cached = this.cache.lookupFolder(key);
    if (cached) {
      this.hits++;
      return { files: files(cached), fromCache: true };
    }
    let extraction = this.extractions.get(key);
    if (!extraction) {
      this.misses++;
      extraction = this.start(key, request, ranges, ptsRanges);
      this.extractions.set(key, extraction);
    }
    const result = files(extraction.folder);
    for (const file of result.values()) this.byFile.set(file, extraction);
    return { files: result, fromCache: false };
  }

  /**
   * The file to read for `file` once it is written: itself, or, when the extraction (or the cached one) has no
   * such frame, the nearest earlier frame it wrote (its first when none is earlier). Rejects when the
   * extraction failed or wrote nothing.
   */
  async ready(file: string): Promise<string> {
    const extraction = this.byFile.get(file);
    for (;;) {
      if (fs.existsSync(file)) return file;
      if (!extraction || extraction.state === 'done') return this.standIn(file, extraction);
      if (extraction.state === 'failed') throw extraction.error;
      if (this.closed) throw new StageError('capture', 'The video frame extraction was stopped.', 'video-extract-failed');
      await Promise.race([extraction.finished.catch(() => undefined), delay(VIDEO_FRAME_WAIT_POLL_MS)]);
    }
  }

  private standIn(file: string, extraction: Extraction | undefined): string {
    const folder = path.dirname(file);
    let written = extraction ? extraction.written : this.cachedWritten.get(folder);
    if (!written) {
      written = writtenFrames(folder);
      if (!extraction) this.cachedWritten.set(folder, written);
    }
    if (!written.length) throw new StageError('capture', `The extraction of ${path.basename(folder)} wrote no frames.`, 'video-extract-failed');
    const wanted = framePtsOf(file);
    let chosen = written[0];
    for (const pts of written) {
      if (pts > wanted) break;
      chosen = pts;
    }
    return frameFile(folder, chosen, path.extname(file) === '.png' ? 'png' : 'jpeg');
  }

  /** Stops what still runs, publishes finished extractions to the cache, removes the rest, then evicts. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.extractions.values()].map(async extraction => {
      // After a capture that painted every frame, ffmpeg may still be decoding the tail it was given (the
      // source's frames after the last one shown): stopped, but with every selected frame written, the
      // extraction is whole.
      await extraction.process?.close();
      await extraction.finished.catch(() => undefined);
      const whole = extraction.state === 'done' || writtenFrames(extraction.folder).length >= extraction.expected;
      if (whole && this.cache.enabled && !extraction.published) {
        try {
          this.cache.publishFolder(extraction.key, extraction.folder);
          extraction.published = true;
        } catch (error) {
          this.options.logger.warn(`video frame cache: could not keep ${extraction.key}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (!extraction.published) await fs.promises.rm(extraction.folder, { recursive: true, force: true }).catch(() => undefined);
      pathReleased(extraction.folder);
    }));
    this.extractions.clear();
    if (this.cache.enabled) {
      try {
        this.cache.evict();
      } catch (error) {
        this.options.logger.warn(`video frame cache: eviction failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private start(key: string, request: FrameExtractionRequest, ranges: Array<[number, number]>, ptsRanges: Array<[number, number]>): Extraction {
    const { ffmpegPath, logger, signal } = this.options;
    const folder = this.cache.enabled ? this.cache.partialFolder(key) : fs.mkdtempSync(path.join(this.options.workDir, 'video-'));
    pathCreated(folder);
    const select = ptsRanges.map(([first, last]) => (first === last ? `eq(pts,${first})` : `between(pts,${first},${last})`)).join('+');
    // -copyts: frames keep the source's own timestamps, the ones they are selected by and named after
    // (-frame_pts). select first (frames not shown skip the colour conversion and the encode). -fps_mode passthrough: one
    // image per selected frame, in decode order like the timestamps. -enc_time_base -1 keeps the source's
    // time base: the encoder's default (1/frame rate) rounds the close timestamps of a variable-rate source
    // onto one tick and ffmpeg stops ("Invalid pts (0) <= last (0)"). The colour filter converts the source's
    // own matrix and range to the image's (videoColour.ts). atomic_writing: capture reads a file as soon as it
    // exists, so it must appear whole. One decoder thread (EXTRACTION_DECODER_THREADS).
    const { image } = request;
    // -strict unofficial: ffmpeg's JPEG encoder takes full-range yuv420p (what the colour filter gives) only so.
    const quality = image === 'jpeg' ? ['-q:v', String(EXTRACTED_JPEG_QSCALE), '-strict', 'unofficial'] : ['-compression_level', String(EXTRACTED_PNG_COMPRESSION_LEVEL)];
    const process = new FfmpegProcess({
      ffmpegPath,
      args: ['-copyts', '-threads', String(EXTRACTION_DECODER_THREADS), ...(request.decoderArgs ?? []), '-t', request.untilSeconds.toFixed(3), '-i', request.source, '-map', '0:v:0', '-vf', `select='${select}',${request.filter}`,
        '-fps_mode', 'passthrough', '-enc_time_base', '-1', ...quality, '-frame_pts', '1',
        '-atomic_writing', '1', '-f', 'image2', '-y', path.join(folder, `%d.${IMAGE_EXTENSION[image]}`)],
      stage: 'capture',
      logger,
      signal,
    });
    const started = Date.now();
    const expected = ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0);
    const extraction: Extraction = { folder, key, process, finished: process.exited, state: 'running', published: false, expected };
    extraction.finished = process.exited.then(() => {
      const written = writtenFrames(folder);
      extraction.written = written;
      extraction.state = 'done';
      logger.debug(`video ${request.label}: extracted ${written.length} frames in ${Date.now() - started} ms`);
    }, error => {
      extraction.state = 'failed';
      extraction.error = error instanceof StageError || signal?.aborted
        ? error
        : new StageError('capture', `Could not extract the frames of video ${request.label}: ${error instanceof Error ? error.message : String(error)}`, 'video-extract-failed', [], { cause: error });
      throw extraction.error;
    });
    extraction.finished.catch(() => undefined);
    return extraction;
  }
}

/** The timestamps of the frame files in an extraction folder, ascending (ffmpeg's temporary files of atomic writing excluded). */
function writtenFrames(folder: string): number[] {
  try {
    return fs.readdirSync(folder).filter(name => FRAME_FILE.test(name)).map(name => Number.parseInt(name, 10)).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** A frame's file: named by its presentation timestamp (negative before the stream's start, as ffmpeg writes it). */
function frameFile(folder: string, pts: number, image: ExtractedImage): string {
  return path.join(folder, `${pts}.${IMAGE_EXTENSION[image]}`);
}

function framePtsOf(file: string): number {
  return Number.parseInt(path.basename(file), 10);
}

/** Sorted unique indices as inclusive runs; past MAX_SELECT_RANGES runs, one span from the first to the last. */
export function selectRanges(indices: number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const index of indices) {
    const last = ranges[ranges.length - 1];
    if (last && index === last[1] + 1) last[1] = index;
    else ranges.push([index, index]);
  }
  if (ranges.length > MAX_SELECT_RANGES) return [[ranges[0][0], ranges[ranges.length - 1][1]]];
  return ranges;
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
