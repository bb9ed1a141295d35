// What a render job is asked to do and what it reports back. Shared by the CLI, the render worker
// (over IPC: everything here is JSON-serialisable) and the extension.
import type { EngineDiagnostic } from '../model';
import type { Logger } from '../logger';
import type { RenderProgress, StageTimings } from './events';
import type { CaptureMode } from '../capture/browserSession';
import type { OutputFormat, RateControl, RenderQuality } from '../encode';
import type { FrameRate } from '../frameRate';
import type { RenderRange } from './range';
import type { ResolutionPreset } from './resolution';

export type { OutputFormat, RenderQuality } from '../encode';
export type { RenderRange } from './range';
export type { FrameRate } from '../frameRate';
export type { ResolutionPreset } from './resolution';

export interface RenderOptions {
  /** The composition's entry HTML file. */
  entryFile: string;
  /** Output file (mp4/webm/mov/gif) or folder (png, hls). Default: renders/<name>.<ext> beside the composition (output.ts). */
  outputPath?: string;
  format?: OutputFormat;
  /**
   * Values for the composition's declared variables (--variables, a batch row), merged over its defaults.
   * They reach the page (text, sources, custom properties, getVariables()), never the size, fps or duration.
   */
  variables?: Record<string, unknown>;
  quality?: RenderQuality;
  /**
   * Overrides the root's data-fps (a GIF's default is DEFAULT_GIF_FPS). A rational ({num: 30000, den: 1001})
   * is kept exact: frame n shows n·den/num seconds and the container's time base follows it (frameRate.ts).
   */
  fps?: number | FrameRate;
  /** Replaces the quality preset's CRF with a CRF or a target bitrate (MP4, WebM, HLS). */
  rateControl?: RateControl;
  /** Capture at this device scale factor (1–MAX_RENDER_SCALE): the output is N× the composition's size. */
  scale?: number;
  /** Capture at the factor that makes the output this preset's size; its aspect must be the composition's. */
  resolution?: ResolutionPreset;
  /** GIF: the NETSCAPE2.0 loop count (0 forever, the default DEFAULT_GIF_LOOP; N repeats N times). */
  gifLoop?: number;
  /** HLS: seconds per segment (DEFAULT_HLS_SEGMENT_SECONDS); a keyframe is forced on every boundary. */
  hlsSegmentSeconds?: number;
  /**
   * Render only this part of the composition (seconds of composition time, end exclusive; an end past the
   * composition's end, or Infinity in-process, means "to the end"). Frames and audio both come from the
   * window; the output starts at its first frame. Frame rule: range.ts.
   */
  range?: RenderRange;
  /** Capture browsers working in parallel (interleaved frames). Default: DEFAULT_CAPTURE_WORKERS. */
  workers?: number;
  /**
   * Keep the alpha channel: the page's default background becomes transparent, frames are captured as PNG
   * and encoded with alpha (WebM: VP9 yuva420p; MOV: ProRes 4444 yuva444p10le; GIF: one transparent palette
   * entry; PNG: RGBA files). The composition's own html/body/root backgrounds must be transparent for it to
   * show. MP4 and HLS (H.264) have no alpha: refused. Without a format, a transparent render is WebM.
   */
  transparent?: boolean;
  /**
   * Write HDR: HEVC Main 10 MP4 tagged BT.2020 with PQ (when a source is PQ) or HLG, the page (captured in SDR)
   * at the BT.2408 reference white and HDR clips tone-mapped. Default (false): SDR, HDR clips tone-mapped to
   * BT.709 — the reference's `--sdr` (README "HDR sources"). MP4 only, not with `transparent`.
   */
  hdr?: boolean;
  /**
   * Render despite compile/probe errors (a failed script, stylesheet, font or media load, a page error…),
   * which otherwise stop the render before capture with every reason listed: such a render would come out
   * with content missing. They are then reported as the result's warnings.
   */
  allowErrors?: boolean;
  /** Warnings stop the render too (for CI). */
  strict?: boolean;
  chromiumPath?: string;
  ffmpegPath?: string;
  /** 'auto' = BeginFrame on chromium-headless-shell, else screenshots. */
  captureMode?: CaptureMode | 'auto';
  /** How long the page may take to load and settle (DEFAULT_PROBE_TIMEOUT_MS). */
  probeTimeoutMs?: number;
  /** dist/runtime.js when not beside the running bundle. */
  runtimePath?: string;
  /**
   * The on-disk cache of extracted video frames, reused by later renders of the same clips: its folder
   * (default VIDEO_FRAME_CACHE_FOLDER under ~/.cache) and size limit in bytes (DEFAULT_VIDEO_FRAME_CACHE_BYTES;
   * 0 keeps nothing).
   */
  videoFrameCacheDir?: string;
  videoFrameCacheBytes?: number;
  /** Closed GOPs of exactly this many frames (a render plan's chunk size: chunks/). Default: the encoder's. */
  keyframeInterval?: number;
  /** Video without the audio track, which the caller muxes once (a chunk of a render plan). */
  videoOnly?: boolean;
  /**
   * Static frames: a frame in which nothing on the page changed (runtime/frameChanges.ts) reuses the previous
   * frame's image instead of being captured again. Default true; false captures every frame (`--capture-every-frame`).
   */
  reuseStaticFrames?: boolean;
}

export interface RenderResult {
  outputPath: string;
  format: OutputFormat;
  /** Bytes of the output file (the sum of the frames for a PNG sequence). */
  sizeBytes: number;
  /** Seconds of video (frames / fps). */
  duration: number;
  frames: number;
  /**
   * With a range: the composition time the output covers, from its first frame's time to the end of its
   * last frame (both multiples of 1 / fps).
   */
  range?: RenderRange;
  fps: number;
  /** The frame rate as ffmpeg writes it: "30", "30000/1001". */
  frameRate?: string;
  /** The output's size in pixels: the composition's times the device scale factor. */
  width: number;
  height: number;
  /** The device scale factor the page was captured at (1 unless scale or resolution was asked). */
  scale?: number;
  hasAudio: boolean;
  captureMode: CaptureMode;
  workers: number;
  /** Wall time of the whole job and captured frames per second of wall time. */
  wallMs: number;
  renderFps: number;
  timings: StageTimings;
  /** Compile/probe problems the render went ahead despite (errors included unless strict). */
  warnings: EngineDiagnostic[];
}

export interface RenderCallbacks {
  onProgress?: (progress: RenderProgress) => void;
  signal?: AbortSignal;
  logger?: Logger;
}
