// The timeline: one row per track (data-track-index), named by its clips' ids (a sub-composition's rows by
// their composition), each clip a bar labelled with its id at its resolved start and duration, a ruler with
// the end labelled inside it, a playhead dragged frame by frame, zoom, and the in/out range.
import type { PreviewClip, PreviewRange } from '../server/protocol/webview';
import { el } from './dom';
import { clamp, formatTime, snapToFrame } from './format';
import {
  MAX_PIXELS_PER_SECOND,
  MIN_PIXELS_PER_SECOND,
  MIN_TICK_SPACING_PX,
  TICK_INTERVALS_SECONDS,
  ZOOM_STEP_FACTOR,
} from './limits';

export interface TimelineEvents {
  /** The playhead is being dragged (or the ruler/rows clicked) to t. */
  onScrub(t: number): void;
  onScrubEnd(): void;
  onClipClick(clipId: string): void;
  onZoomChange(pixelsPerSecond: number | undefined): void;
}

export interface TrackRow {
  key: string;
  /** What the row is called: its clips' ids; a sub-composition's rows are prefixed by their composition. */
  label: string;
  /** The tooltip: the track number, and the composition for a sub-composition's row. */
  title: string;
  clips: PreviewClip[];
}

/** Root tracks first in track order; each sub-composition's tracks follow, grouped under their host. */
export function groupRows(clips: readonly PreviewClip[]): TrackRow[] {
  const rows = new Map<string, TrackRow>();
  for (const clip of clips) {
    const nested = clip.depth > 0 && clip.parentId !== undefined;
    const key = nested ? `${clip.parentId}/${clip.trackIndex}` : `${clip.trackIndex}`;
    let row = rows.get(key);
    if (!row) {
      const title = nested ? `${clip.parentId} · track ${clip.trackIndex}` : `Track ${clip.trackIndex}`;
      rows.set(key, (row = { key, label: '', title, clips: [] }));
    }
    row.clips.push(clip);
  }
  for (const row of rows.values()) {
    const ids = row.clips.map(c => c.id).join(', ');
    const host = row.key.includes('/') ? row.key.split('/')[0] : undefined;
    row.label = host === undefined ? ids : `${host} › ${ids}`;
    row.title = `${row.title}: ${ids}`;
  }
  const rank = (row: TrackRow) => (row.key.includes('/') ? 1 : 0);
  return [...rows.values()].sort((a, b) =>
    rank(a) - rank(b)
    || a.key.split('/')[0].localeCompare(b.key.split('/')[0])
    || a.clips[0].trackIndex - b.clips[0].trackIndex);
}

export class Timeline {
  readonly element: HTMLDivElement;
  private readonly labels: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly content: HTMLDivElement;
  private readonly ruler: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private readonly playhead: HTMLDivElement;
  private readonly rangeShade: HTMLDivElement;
  private clips: PreviewClip[] = [];
  private duration = 0;
  private fps = 30;
  private time = 0;
  private range: PreviewRange | undefined;
  private zoom: number | undefined;
  private highlighted: string | undefined;

  constructor(private readonly events: TimelineEvents) {
    this.labels = el('div', { class: 'track-labels' });
    this.ruler = el('div', { class: 'ruler' });
    this.rows = el('div', { class: 'rows' });
    this.rangeShade = el('div', { class: 'range', hidden: true });
    this.playhead = el('div', { class: 'playhead' }, el('div', { class: 'playhead-handle' }));
    this.content = el('div', { class: 'timeline-content' }, this.ruler, this.rows, this.rangeShade, this.playhead);
    this.scroller = el('div', { class: 'timeline-scroll' }, this.content);
    this.element = el('div', { class: 'timeline' }, this.labels, this.scroller);
    this.content.addEventListener('pointerdown', event => this.onPointerDown(event));
    this.scroller.addEventListener('wheel', event => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      this.zoomBy(event.deltaY < 0 ? ZOOM_STEP_FACTOR : 1 / ZOOM_STEP_FACTOR);
    }, { passive: false });
    new ResizeObserver(() => this.layout()).observe(this.scroller);
  }

  setClips(clips: PreviewClip[], duration: number, fps: number): void {
    this.clips = clips;
    this.duration = duration;
    this.fps = fps;
    this.render();
  }

  setDuration(duration: number): void {
    if (duration === this.duration) return;
    this.duration = duration;
    this.layout();
  }

  setTime(t: number): void {
    this.time = t;
    this.playhead.style.left = `${t * this.pixelsPerSecond()}px`;
  }

  setRange(range: PreviewRange | undefined): void {
    this.range = range;
    this.layoutRange();
  }

  setZoom(pixelsPerSecond: number | undefined): void {
    this.zoom = pixelsPerSecond === undefined ? undefined : clamp(pixelsPerSecond, MIN_PIXELS_PER_SECOND, MAX_PIXELS_PER_SECOND);
    this.layout();
  }

  zoomBy(factor: number): void {
    this.setZoom(this.pixelsPerSecond() * factor);
    this.events.onZoomChange(this.zoom);
  }

  zoomToFit(): void {
    this.setZoom(undefined);
    this.events.onZoomChange(undefined);
  }

  highlight(clipId: string | undefined): void {
    this.highlighted = clipId;
    for (const bar of this.rows.querySelectorAll<HTMLElement>('.clip-bar')) {
      bar.classList.toggle('highlighted', bar.dataset.clipId === clipId);
    }
    const bar = clipId ? this.barFor(clipId) : undefined;
    bar?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** Pixels per second: the zoom, or fit-to-width. */
  pixelsPerSecond(): number {
    if (this.zoom !== undefined) return this.zoom;
    const width = this.scroller.clientWidth;
    return this.duration > 0 && width > 0 ? clamp(width / this.duration, MIN_PIXELS_PER_SECOND, MAX_PIXELS_PER_SECOND) : MIN_PIXELS_PER_SECOND;
  }

  private barFor(clipId: string): HTMLElement | undefined {
    return [...this.rows.querySelectorAll<HTMLElement>('.clip-bar')].find(bar => bar.dataset.clipId === clipId);
  }

  private render(): void {
    this.labels.replaceChildren(el('div', { class: 'track-label ruler-spacer' }));
    this.rows.replaceChildren();
    for (const row of groupRows(this.clips)) {
      this.labels.append(el('div', { class: 'track-label', title: row.title }, row.label));
      const rowElement = el('div', { class: 'track-row', 'data-track': row.key });
      for (const clip of row.clips) {
        const end = clip.duration === undefined ? undefined : clip.start + clip.duration;
        const bar = el('div', {
          class: `clip-bar kind-${clip.kind}${clip.duration === undefined ? ' open-ended' : ''}`,
          'data-clip-id': clip.id,
          title: `${clip.id} · ${formatTime(clip.start)} – ${end === undefined ? '?' : formatTime(end)}`,
        }, el('span', { class: 'clip-label' }, clip.id));
        bar.addEventListener('click', () => this.events.onClipClick(clip.id));
        rowElement.append(bar);
      }
      this.rows.append(rowElement);
    }
    this.layout();
    this.highlight(this.highlighted);
  }

  private layout(): void {
    const pps = this.pixelsPerSecond();
    this.content.style.width = `${Math.max(this.duration, 0) * pps}px`;
    for (const bar of this.rows.querySelectorAll<HTMLElement>('.clip-bar')) {
      const clip = this.clips.find(c => c.id === bar.dataset.clipId);
      if (!clip) continue;
      const duration = clip.duration ?? Math.max(this.duration - clip.start, 0);
      bar.style.left = `${clip.start * pps}px`;
      bar.style.width = `${duration * pps}px`;
    }
    this.renderRuler(pps);
    this.layoutRange();
    this.setTime(this.time);
  }

  private renderRuler(pps: number): void {
    const interval = TICK_INTERVALS_SECONDS.find(s => s * pps >= MIN_TICK_SPACING_PX) ?? TICK_INTERVALS_SECONDS[TICK_INTERVALS_SECONDS.length - 1];
    const label = (t: number) => formatTime(t).replace(/\.?0+$/, '').replace(/\.$/, '');
    const ticks: HTMLElement[] = [];
    // The end gets a tick of its own, labelled to the left of its line (a label after it would be cut off at
    // the content's edge); interval ticks too close to it give way.
    const endPx = this.duration * pps;
    for (let i = 0; i * interval <= this.duration + 1e-9; i++) {
      const t = i * interval;
      if (i > 0 && endPx - t * pps < MIN_TICK_SPACING_PX) continue;
      const tick = el('div', { class: 'tick' }, label(t));
      tick.style.left = `${t * pps}px`;
      ticks.push(tick);
    }
    if (this.duration > 0) {
      const end = el('div', { class: 'tick end' }, label(this.duration));
      end.style.right = '0';
      ticks.push(end);
    }
    this.ruler.replaceChildren(...ticks);
  }

  private layoutRange(): void {
    const range = this.range;
    this.rangeShade.hidden = range === undefined;
    if (!range) return;
    const pps = this.pixelsPerSecond();
    this.rangeShade.style.left = `${range.start * pps}px`;
    this.rangeShade.style.width = `${Math.max(range.end - range.start, 0) * pps}px`;
  }

  /** The frame time under the pointer: scrubbing lands on frames the render captures, as the arrow keys do. */
  private timeAt(clientX: number): number {
    const rect = this.content.getBoundingClientRect();
    return snapToFrame(clamp((clientX - rect.left) / this.pixelsPerSecond(), 0, this.duration), this.fps);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    // A press on a clip bar is a click (reveal in the editor), not a scrub.
    if ((event.target as HTMLElement).closest('.clip-bar')) return;
    event.preventDefault();
    this.content.setPointerCapture(event.pointerId);
    this.element.classList.add('scrubbing');
    this.events.onScrub(this.timeAt(event.clientX));
    const move = (e: PointerEvent) => this.events.onScrub(this.timeAt(e.clientX));
    const up = () => {
      this.content.removeEventListener('pointermove', move);
      this.content.removeEventListener('pointerup', up);
      this.content.removeEventListener('pointercancel', up);
      this.element.classList.remove('scrubbing');
      this.events.onScrubEnd();
    };
    this.content.addEventListener('pointermove', move);
    this.content.addEventListener('pointerup', up);
    this.content.addEventListener('pointercancel', up);
  }
}
