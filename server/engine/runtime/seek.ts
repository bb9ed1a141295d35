// Seeking a composition to time t: clip windows, GSAP timelines (root at t, each sub-composition at its
// local time), the seek adapters (CSS/WAAPI, anime.js, Lottie, D3, Three.js: adapters/), a page-provided
// window.__hf (pageProtocol.ts), media, then settling (fonts, image decode, video seeked, rAF flushes).
// The renderer calls this once per frame, so the hot path touches only what changed.
import { adapterDuration, seekAdapters } from './adapters';
import { childFrameWindows } from './adapters/frames';
import { PAINTED_VIDEO_ATTRIBUTE, type HfInspection, type HfTimeline, type RuntimeClip, type RuntimeManifest } from './manifest';
import type { PageProtocol } from './pageProtocol';
import { installVirtualTime, type VirtualClock } from './virtualTime';

/**
 * A page-provided seek that failed (thrown, rejected, timed out): the message says which, in the page's
 * terms. The code leads the message (`[hf-protocol-seek-threw] …`) so the engine reads it from the text
 * an evaluation reports (capture/index.ts).
 */
export class HfProtocolError extends Error {
  constructor(readonly code: string, message: string) {
    super(`[${code}] ${message}`);
    this.name = 'HfProtocolError';
  }
}

/** A video seek that never reports 'seeked' (broken source) must not hang a frame forever. */
const MEDIA_SEEK_TIMEOUT_MS = 5_000;
/** Seeks closer than this to the current media position are skipped (half a frame at 240 fps). */
const MEDIA_SEEK_TOLERANCE_S = 0.002;
/** The attribute the runtime sets on a clip outside its window; a stylesheet it owns hides it. */
const HIDDEN_ATTRIBUTE = 'data-hf-hidden';

function isMedia(element: Element | null): element is HTMLMediaElement {
  return element instanceof HTMLMediaElement;
}

function finitePositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

export class CompositionSeeker {
  private manifest: RuntimeManifest;
  private readonly elements = new Map<string, Element | null>();
  private readonly hidden = new Map<string, boolean>();
  private readonly decodedImages = new WeakSet<HTMLImageElement>();
  private readonly pausedTimelines = new WeakSet<HfTimeline>();
  private styleInstalled = false;
  private seekGeneration = 0;
  private protocol: PageProtocol | undefined;
  private firstSeekDone = false;

  constructor(private readonly win: Window & typeof globalThis, private readonly clock: VirtualClock, manifest: RuntimeManifest) {
    this.manifest = manifest;
  }

  /** The page's own window.__hf, which every seek forwards to once the page set one. */
  attachPageProtocol(protocol: PageProtocol): void {
    this.protocol = protocol;
  }

  setManifest(manifest: RuntimeManifest): void {
    this.manifest = manifest;
    this.elements.clear();
    this.hidden.clear();
  }

  async seek(t: number): Promise<void> {
    const time = Number.isFinite(t) && t > 0 ? t : 0;
    const generation = ++this.seekGeneration;
    const clocks = this.clocks();
    for (const clock of clocks) clock.setNow(time * 1000);
    this.applyClipWindows(time);
    this.seekTimelines(time);
    const pending: Array<Promise<unknown>> = this.seekMedia(time);
    seekAdapters(this.win, time, pending);
    const protocolSeek = this.protocol?.provided ? this.seekPageProtocol(time) : undefined;
    for (const clock of clocks) clock.flushAnimationFrames();
    const fonts = this.win.document.fonts;
    if (fonts.status !== 'loaded') pending.push(fonts.ready);
    pending.push(...this.decodeImages());
    if (protocolSeek) pending.push(protocolSeek);
    if (pending.length === 0) return;
    // A loop that requeues itself from its frame callback draws once per seek, as in the reference; only
    // what the awaited work queues (a video's seeked handler, a decoded image) runs again before the capture.
    const held = clocks.map(clock => clock.holdAnimationFrames());
    try {
      await Promise.all(pending);
    } finally {
      // A newer seek owns the frame now; flushing here would run its callbacks at this seek's time.
      clocks.forEach((clock, index) => {
        if (generation === this.seekGeneration) clock.flushAnimationFrames();
        clock.restoreAnimationFrames(held[index]);
      });
    }
  }

  /** This window's clock and those of same-origin child frames (installed on first sight). */
  private clocks(): VirtualClock[] {
    const children = childFrameWindows(this.win);
    return children.length === 0 ? [this.clock] : [this.clock, ...children.map(child => installVirtualTime(child))];
  }

  /** Forwards the seek to the page's window.__hf; the first one's problem is reported by the probe, later ones fail the seek. */
  private async seekPageProtocol(t: number): Promise<void> {
    const outcome = await this.protocol!.seek(t);
    const first = !this.firstSeekDone;
    this.firstSeekDone = true;
    if (first) {
      this.protocol!.noteFirstSeek(outcome.ok ? [] : [outcome.problem]);
      return;
    }
    if (!outcome.ok) throw new HfProtocolError(outcome.problem.code, outcome.problem.message);
  }

  duration(): number {
    const { staticDuration, rootId } = this.manifest;
    if (finitePositive(staticDuration)) return staticDuration;
    if (this.protocol?.provided) {
      // The page's own protocol says how long it is; a wrong value is reported, not guessed around.
      const read = this.protocol.readDuration();
      return 'duration' in read ? read.duration : 0;
    }
    let end = rootId === undefined ? 0 : this.timelineDuration(rootId) ?? 0;
    // Libraries that know their length (anime.js, Lottie, CSS/WAAPI) set a floor, as in the reference.
    end = Math.max(end, adapterDuration(this.win));
    const hostEnds = new Map<string, number>();
    for (const host of this.manifest.hosts) {
      const length = host.duration ?? this.hostTimelineDuration(host);
      if (length !== undefined) hostEnds.set(host.hostId, host.start + length);
    }
    for (const hostEnd of hostEnds.values()) end = Math.max(end, hostEnd);
    for (const clip of this.manifest.clips) {
      const clipEnd = this.clipEnd(clip);
      if (clipEnd === undefined) continue;
      // A clip inside a sub-composition is cut at its host's end: it cannot make the video longer.
      const hostEnd = clip.hostId === undefined ? undefined : hostEnds.get(clip.hostId);
      end = Math.max(end, hostEnd === undefined ? clipEnd : Math.min(clipEnd, hostEnd));
    }
    return end;
  }

  private clipEnd(clip: RuntimeClip): number | undefined {
    if (clip.duration !== undefined) return clip.start + clip.duration;
    if ((clip.kind !== 'video' && clip.kind !== 'audio') || clip.loop) return undefined;
    const element = this.element(clip.id);
    if (!isMedia(element) || !finitePositive(element.duration)) return undefined;
    return clip.start + Math.max(0, element.duration - clip.mediaStart) / clip.playbackRate;
  }

  inspect(): HfInspection {
    const timelines = this.win.__timelines ?? {};
    const timelineDurations: Record<string, number> = {};
    for (const id of Object.keys(timelines)) {
      const duration = this.timelineDuration(id);
      if (duration !== undefined) timelineDurations[id] = duration;
    }
    const media = Array.from(this.win.document.querySelectorAll('video, audio'), element => {
      const mediaElement = element as HTMLMediaElement;
      return {
        id: mediaElement.id,
        tagName: mediaElement.tagName.toLowerCase(),
        duration: Number.isFinite(mediaElement.duration) ? mediaElement.duration : undefined,
        error: mediaElement.error ? mediaElement.error.message || `media error ${mediaElement.error.code}` : undefined,
      };
    });
    return {
      duration: this.duration(),
      gsapLoaded: typeof this.win.gsap !== 'undefined',
      timelineIds: Object.keys(timelines),
      timelineDurations,
      media,
      protocol: this.protocol?.report() ?? { provided: false, problems: [] },
    };
  }

  private element(id: string): Element | null {
    let element = this.elements.get(id);
    if (element === undefined || (element !== null && !element.isConnected)) {
      element = this.win.document.getElementById(id);
      this.elements.set(id, element);
    }
    return element;
  }

  /** A host's timeline: registered under the host's id, else under its file's inner root id. */
  private hostTimelineId(host: RuntimeManifest['hosts'][number]): string {
    const timelines = this.win.__timelines ?? {};
    if (timelines[host.compositionId] || host.innerCompositionId === undefined) return host.compositionId;
    return timelines[host.innerCompositionId] ? host.innerCompositionId : host.compositionId;
  }

  private hostTimelineDuration(host: RuntimeManifest['hosts'][number]): number | undefined {
    return this.timelineDuration(this.hostTimelineId(host));
  }

  private timelineDuration(id: string): number | undefined {
    const timeline = this.win.__timelines?.[id];
    if (!timeline || typeof timeline.duration !== 'function') return undefined;
    const duration = timeline.duration();
    return Number.isFinite(duration) ? duration : undefined;
  }

  private applyClipWindows(t: number): void {
    if (!this.styleInstalled) {
      const style = this.win.document.createElement('style');
      style.textContent = `[${HIDDEN_ATTRIBUTE}] { visibility: hidden !important; }`;
      (this.win.document.head ?? this.win.document.documentElement).appendChild(style);
      this.styleInstalled = true;
    }
    for (const clip of this.manifest.clips) {
      if (!clip.windowed) continue;
      const hide = !isInWindow(clip, t);
      if (this.hidden.get(clip.id) === hide) continue;
      const element = this.element(clip.id);
      if (!element) continue;
      if (hide) element.setAttribute(HIDDEN_ATTRIBUTE, '');
      else element.removeAttribute(HIDDEN_ATTRIBUTE);
      this.hidden.set(clip.id, hide);
    }
  }

  private seekTimelines(t: number): void {
    const { rootId, hosts } = this.manifest;
    if (rootId !== undefined) this.seekTimeline(rootId, t);
    for (const host of hosts) {
      const local = Math.min(Math.max(0, t - host.start), host.duration ?? Infinity);
      this.seekTimeline(this.hostTimelineId(host), local);
    }
  }

  private seekTimeline(id: string, t: number): void {
    const timeline = this.win.__timelines?.[id];
    if (!timeline || typeof timeline.seek !== 'function') return;
    const first = !this.pausedTimelines.has(timeline);
    if (first) {
      timeline.pause();
      this.pausedTimelines.add(timeline);
    }
    // Events fire so that tl.call()/onUpdate-driven content reaches the frame, as in playback.
    timeline.seek(t, false);
    // GSAP skips a render to the time a timeline is already at, so a fresh timeline seeked to 0 leaves its
    // zero-duration set()s at 0 unapplied — playback applies them on its first tick (shader-transitions
    // hides every scene but the first that way).
    if (first && t === 0) (timeline as HfTimeline & { render?: (time: number, suppressEvents: boolean, force: boolean) => unknown }).render?.(0, false, true);
  }

  private seekMedia(t: number): Array<Promise<unknown>> {
    const pending: Array<Promise<unknown>> = [];
    for (const clip of this.manifest.clips) {
      if (clip.kind !== 'video' && clip.kind !== 'audio') continue;
      const element = this.element(clip.id);
      if (!isMedia(element)) continue;
      if (!element.paused) element.pause();
      // Audio is mixed by ffmpeg from the source files; only pixels need a seeked element.
      if (clip.kind !== 'video' || element.error || element.hasAttribute(PAINTED_VIDEO_ATTRIBUTE)) continue;
      const seeking = seekVideo(element, mediaPosition(clip, t, element.duration), this.clock);
      if (seeking) pending.push(seeking);
    }
    return pending;
  }

  private decodeImages(): Array<Promise<unknown>> {
    const pending: Array<Promise<unknown>> = [];
    for (const image of Array.from(this.win.document.images)) {
      if (this.decodedImages.has(image) || image.hasAttribute(HIDDEN_ATTRIBUTE)) continue;
      this.decodedImages.add(image);
      if (image.currentSrc || image.src) pending.push(image.decode().catch(() => undefined));
    }
    return pending;
  }
}

function isInWindow(clip: RuntimeClip, t: number): boolean {
  if (t < clip.start) return false;
  return clip.duration === undefined || t < clip.start + clip.duration;
}

/** Where in its source a media clip is at root time t: offset, rate, looped, and held on its last frame. */
function mediaPosition(clip: RuntimeClip, t: number, sourceDuration: number): number {
  const position = Math.max(0, t - clip.start) * clip.playbackRate + clip.mediaStart;
  if (!finitePositive(sourceDuration)) return position;
  if (clip.loop) return position % sourceDuration;
  return Math.min(position, sourceDuration);
}

function seekVideo(video: HTMLMediaElement, position: number, clock: VirtualClock): Promise<void> | undefined {
  if (Math.abs(video.currentTime - position) < MEDIA_SEEK_TOLERANCE_S && !video.seeking) return undefined;
  return new Promise(resolve => {
    const done = () => {
      clock.realClearTimeout(timer);
      video.removeEventListener('seeked', done);
      video.removeEventListener('error', done);
      resolve();
    };
    // The browser's own timer: the page's stand still between seeks.
    const timer = clock.realSetTimeout(done, MEDIA_SEEK_TIMEOUT_MS);
    video.addEventListener('seeked', done);
    video.addEventListener('error', done);
    video.currentTime = position;
  });
}
