// The contract between the engine (Node) and the in-page runtime (browser): the clip table the file server
// injects as `window.__hfManifest`, and the `window.__hf` interface the probe, the renderer and the preview
// call. The engine resolves timing once (compile); the runtime never re-resolves relative starts, so the page
// and the engine agree on one resolution.
import type { Composition, VariableValues } from '../model';

/**
 * Set by the renderer on a <video> whose frames it paints from extracted images (capture/videoFrames.ts): the
 * runtime then leaves the hidden element where it is instead of seeking it every frame, which would make
 * Chromium decode from the previous keyframe for a picture nobody sees. The preview never sets it.
 */
export const PAINTED_VIDEO_ATTRIBUTE = 'data-hf-painted-video';

/** One timed element as the runtime needs it (root time, seconds). */
export interface RuntimeClip {
  id: string;
  start: number;
  /** Undefined: open-ended (visible from start on). */
  duration: number | undefined;
  kind: 'element' | 'video' | 'audio' | 'img' | 'composition';
  /** The runtime hides this element outside [start, end): class="clip", videos and sub-composition hosts. */
  windowed: boolean;
  /** The sub-composition host that holds this clip (its window bounds the clip's), if any. */
  hostId: string | undefined;
  /** Media only: offset into the source (data-media-start), source seconds per second, and looping. */
  mediaStart: number;
  playbackRate: number;
  loop: boolean;
}

/** A sub-composition host: its timeline `__timelines[compositionId]` is seeked at t - start. */
export interface RuntimeHost {
  hostId: string;
  compositionId: string;
  /**
   * The id on the sub-composition file's own root when the host carries another one (host "captions-comp",
   * file root "captions"): a timeline registered under it drives the host too, as in the reference.
   */
  innerCompositionId: string | undefined;
  start: number;
  /** The host's visible window; undefined while the probe has not resolved it from the timeline. */
  duration: number | undefined;
}

export interface RuntimeManifest {
  rootId: string | undefined;
  /** The root's authored data-duration, authoritative when > 0. */
  staticDuration: number | undefined;
  clips: RuntimeClip[];
  hosts: RuntimeHost[];
  /** The composition variables' values (runtime/variables.ts binds them). */
  variables?: VariableValues;
}

/** The minimal GSAP timeline surface the runtime uses. */
export interface HfTimeline {
  duration(): number;
  seek(position: number, suppressEvents?: boolean): unknown;
  pause(): unknown;
}

/** Stable codes of what can be wrong with a page-provided `window.__hf`. */
export type HfProtocolProblemCode =
  | 'hf-protocol-invalid'
  | 'hf-protocol-missing-seek'
  | 'hf-protocol-invalid-seek'
  | 'hf-protocol-seek-threw'
  | 'hf-protocol-seek-rejected'
  | 'hf-protocol-seek-timeout'
  | 'hf-protocol-missing-duration'
  | 'hf-protocol-invalid-duration'
  | 'hf-protocol-duration-threw'
  | 'hf-protocol-invalid-field';

export interface HfProtocolProblem {
  code: HfProtocolProblemCode;
  /** Error unless said otherwise. */
  severity?: 'warning';
  message: string;
  data?: Record<string, unknown>;
}

/** Whether the page set its own `window.__hf`, where, and what is wrong with it. */
export interface HfProtocolReport {
  provided: boolean;
  /** Error().stack captured when the page assigned window.__hf (its caller frame is the page's script). */
  setStack?: string;
  duration?: number;
  problems: HfProtocolProblem[];
}

/** The page asked for WebGPU and this browser could not give it an adapter (gpuAvailability.ts). */
export interface WebGpuReport {
  available: false;
  /** Error().stack taken when the page called requestAdapter() (its caller frame is the page's script). */
  stack?: string;
}

/** What the page showed after loading: the probe's one round trip. */
export interface HfInspection {
  duration: number;
  gsapLoaded: boolean;
  timelineIds: string[];
  /** __timelines[id].duration() per registered id (NaN-free: unreadable ones are left out). */
  timelineDurations: Record<string, number>;
  media: Array<{ id: string; tagName: string; duration: number | undefined; error: string | undefined }>;
  protocol: HfProtocolReport;
  /** Set when requestAdapter() answered null or failed. */
  webGpu?: WebGpuReport;
}

export interface HfRuntime {
  /** Seconds: the root's data-duration when > 0, else what the timelines, hosts, clips and media need. */
  readonly duration: number;
  /** Shows the frame at `t` seconds; resolves once the frame is settled (fonts, images, video seeked). */
  seek(t: number): Promise<void>;
  /** Resolves after load, fonts and media metadata, once scripts had a chance to register timelines. */
  readonly ready: Promise<void>;
  inspect(): HfInspection;
  /** The innermost clip drawn at (x, y), page CSS pixels, as the page stands now (the preview's click-to-source). */
  hitTest(x: number, y: number): string | undefined;
  /** The engine replaces the clip table after the probe resolved sub-composition durations. */
  setManifest(manifest: RuntimeManifest): void;
  /** Whether the page may look different than at the capture's last question (frameChanges.ts): static frames. */
  readonly frameChanges: FrameChangeTracker;
}

export interface FrameChangeTracker {
  /**
   * Why the page may look different from the last take() (the first take always says so), or null when
   * nothing changed; starts a new observation period.
   */
  take(): string | null;
  /** Forgets the changes made since the last take(): the engine's own writes that restate the same picture. */
  discard(): void;
}

declare global {
  interface Window {
    /** The runtime: what the engine (probe, capture, preview bridge) calls. */
    __hfRuntime?: HfRuntime;
    /** The runtime's object, or the page's own protocol object once the page assigned one (any value). */
    __hf?: { seek?: unknown; duration?: unknown; [field: string]: unknown };
    __hfManifest?: RuntimeManifest;
    __timelines?: Record<string, HfTimeline | undefined>;
    gsap?: unknown;
  }
}

/** The runtime's view of a compiled composition. */
export function buildRuntimeManifest(composition: Composition): RuntimeManifest {
  const mediaByClip = new Map(composition.media.map(m => [m.clipId, m]));
  return {
    rootId: composition.id,
    staticDuration: composition.durationSource === 'attribute' ? composition.duration : undefined,
    clips: composition.clips.map(clip => {
      const media = mediaByClip.get(clip.id);
      return {
        id: clip.id,
        start: clip.start,
        duration: clip.duration,
        kind: clip.kind,
        windowed: clip.hasClipClass || clip.kind === 'composition' || clip.kind === 'video',
        hostId: clip.parentId,
        mediaStart: media?.mediaStart ?? 0,
        playbackRate: media?.playbackRate ?? 1,
        loop: media?.loop ?? false,
      };
    }),
    hosts: composition.subCompositions.flatMap(sub => {
      const host = composition.clips.find(c => c.id === sub.hostId);
      if (!host || sub.compositionId === undefined) return [];
      const innerCompositionId = sub.innerCompositionId !== sub.compositionId ? sub.innerCompositionId : undefined;
      return [{ hostId: sub.hostId, compositionId: sub.compositionId, innerCompositionId, start: host.start, duration: host.duration }];
    }),
    variables: composition.variableValues,
  };
}
