// The player host: the composition's iframe (served by the engine's file server) scaled into the panel,
// driven through the bridge. Reloads are double-buffered: the new page loads hidden, seeks to the current
// time, and only then replaces the old one, so a save never flashes a blank or a frame from time 0.
import { isBridgeMessage, type ParentToBridgeMessage } from '../server/protocol/webview';
import { el } from './dom';
import { FRAME_READY_TIMEOUT_MS } from './limits';

export interface PlayerEvents {
  /** A page (first load or reload) is on screen, seeked to the current time. */
  onShown(info: { duration: number; hasMedia: boolean; loadMs: number }): void;
  /** A seek settled in the visible page. */
  onSeeked(t: number): void;
  onFailed(message: string): void;
  /** The frame was clicked over this clip's picture (undefined: over no clip): click-to-source. */
  onClipAtPoint(clipId: string | undefined): void;
}

interface LoadingFrame {
  iframe: HTMLIFrameElement;
  startedAt: number;
  timer: number | undefined;
  /** Set once the bridge answered 'ready'. */
  duration: number | undefined;
  hasMedia: boolean;
  /** The seek that must settle before this frame is swapped in. */
  revealSeq: number | undefined;
  revealTime: number;
}

export class Player {
  readonly element: HTMLDivElement;
  private readonly box: HTMLDivElement;
  private visible: HTMLIFrameElement | undefined;
  private loading: LoadingFrame | undefined;
  private width = 1;
  private height = 1;
  private actualSize = false;
  private seq = 0;
  /** The visible page has a seek in flight; later requests wait in `queuedTime` (only the newest). */
  private inFlight = false;
  private queuedTime: number | undefined;
  private targetTime = 0;
  /** The click-to-source question in flight (only the newest is answered). */
  private hitSeq: number | undefined;

  constructor(private readonly events: PlayerEvents) {
    this.box = el('div', { class: 'frame-box' });
    this.element = el('div', { class: 'stage' }, this.box);
    // The iframe takes no pointer events (it would take the transport's keys): the box maps the click.
    this.box.addEventListener('click', event => this.onFrameClick(event));
    new ResizeObserver(() => this.layout()).observe(this.element);
    window.addEventListener('message', event => this.onMessage(event));
    // A page the webview's CSP refuses still fires 'load' (with an error page): say what was blocked.
    document.addEventListener('securitypolicyviolation', event => {
      if (event.violatedDirective.startsWith('frame-src') && this.loading) {
        this.discardLoading();
        this.events.onFailed(`The webview refused to load the composition's page (${event.blockedURI}, ${event.violatedDirective}).`);
      }
    });
  }

  /** Loads (or reloads) the page at `url`; the current page stays on screen until the new one is seeked. */
  load(url: string, width: number, height: number, time: number): void {
    this.width = width;
    this.height = height;
    this.targetTime = time;
    this.discardLoading();
    const iframe = el('iframe', { class: 'frame loading', title: 'Composition', tabindex: '-1' });
    // A composition is not interactive, and a focused iframe would swallow the transport's keys.
    iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin');
    const loading: LoadingFrame = { iframe, startedAt: performance.now(), timer: undefined, duration: undefined, hasMedia: false, revealSeq: undefined, revealTime: time };
    this.loading = loading;
    iframe.addEventListener('load', () => {
      if (this.loading !== loading || loading.duration !== undefined) return;
      // The bridge may have announced before we listened; ask again, then give it a while.
      this.postTo(iframe, { hfPreview: true, type: 'hello' });
      loading.timer = window.setTimeout(() => {
        if (this.loading !== loading) return;
        this.discardLoading();
        this.events.onFailed(`The composition did not load: its page (${url}) never answered — no HyperFrames runtime ran there. Check the Output and Problems panels.`);
      }, FRAME_READY_TIMEOUT_MS);
    });
    iframe.src = url;
    this.box.append(iframe);
    this.layout();
  }

  /** Shows the frame at t (requests coalesce: while one seek runs, only the newest target waits). */
  seek(t: number): void {
    this.targetTime = t;
    if (!this.visible) return;
    if (this.inFlight) {
      this.queuedTime = t;
      return;
    }
    this.sendSeek(this.visible, t);
    this.inFlight = true;
  }

  setActualSize(actualSize: boolean): void {
    this.actualSize = actualSize;
    this.element.classList.toggle('actual-size', actualSize);
    this.layout();
  }

  /** Asks the visible page which clip is drawn at a point of the frame box (client coordinates). */
  private onFrameClick(event: MouseEvent): void {
    const iframe = this.visible;
    if (!iframe || event.button !== 0) return;
    const rect = iframe.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return;
    // The iframe is scaled to fit: its rect is the scaled one, its page is width × height CSS pixels.
    const x = ((event.clientX - rect.left) / rect.width) * this.width;
    const y = ((event.clientY - rect.top) / rect.height) * this.height;
    if (x < 0 || y < 0 || x > this.width || y > this.height) return;
    this.hitSeq = ++this.seq;
    this.postTo(iframe, { hfPreview: true, type: 'hitTest', x, y, seq: this.hitSeq });
  }

  /** The visible iframe (tests and the parity check screenshot it). */
  get frame(): HTMLIFrameElement | undefined {
    return this.visible;
  }

  private sendSeek(iframe: HTMLIFrameElement, t: number): number {
    const seq = ++this.seq;
    this.postTo(iframe, { hfPreview: true, type: 'seek', t, seq });
    return seq;
  }

  private postTo(iframe: HTMLIFrameElement, message: ParentToBridgeMessage): void {
    iframe.contentWindow?.postMessage(message, '*');
  }

  private onMessage(event: MessageEvent): void {
    if (!isBridgeMessage(event.data)) return;
    const message = event.data;
    const loading = this.loading;
    if (loading && event.source === loading.iframe.contentWindow) {
      if (message.type === 'ready') {
        window.clearTimeout(loading.timer);
        loading.duration = message.duration;
        loading.hasMedia = message.hasMedia;
        loading.revealTime = this.targetTime;
        loading.revealSeq = this.sendSeek(loading.iframe, loading.revealTime);
      } else if (message.type === 'seeked' && message.seq === loading.revealSeq) {
        this.reveal(loading);
      } else if (message.type === 'error') {
        this.discardLoading();
        this.events.onFailed(message.message);
      }
      return;
    }
    if (!this.visible || event.source !== this.visible.contentWindow) return;
    if (message.type === 'hit') {
      if (message.seq === this.hitSeq) {
        this.hitSeq = undefined;
        this.events.onClipAtPoint(message.clipId);
      }
    } else if (message.type === 'seeked') {
      this.inFlight = false;
      this.events.onSeeked(message.t);
      if (this.queuedTime !== undefined) {
        const next = this.queuedTime;
        this.queuedTime = undefined;
        this.seek(next);
      }
    } else if (message.type === 'error') {
      this.inFlight = false;
      this.events.onFailed(message.message);
    }
  }

  private reveal(loading: LoadingFrame): void {
    this.loading = undefined;
    this.visible?.remove();
    this.visible = loading.iframe;
    loading.iframe.classList.remove('loading');
    this.inFlight = false;
    this.queuedTime = undefined;
    this.events.onShown({ duration: loading.duration ?? 0, hasMedia: loading.hasMedia, loadMs: performance.now() - loading.startedAt });
    this.events.onSeeked(loading.revealTime);
    // The playhead may have moved while the page loaded.
    if (this.targetTime !== loading.revealTime) this.seek(this.targetTime);
  }

  private discardLoading(): void {
    if (!this.loading) return;
    window.clearTimeout(this.loading.timer);
    this.loading.iframe.remove();
    this.loading = undefined;
  }

  private layout(): void {
    const scale = this.actualSize
      ? 1
      : Math.min(this.element.clientWidth / this.width, this.element.clientHeight / this.height) || 1;
    this.box.style.width = `${this.width * scale}px`;
    this.box.style.height = `${this.height * scale}px`;
    for (const iframe of this.box.querySelectorAll('iframe')) {
      iframe.style.width = `${this.width}px`;
      iframe.style.height = `${this.height}px`;
      iframe.style.transform = scale === 1 ? '' : `scale(${scale})`;
    }
  }
}
