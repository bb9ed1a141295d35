// The preview's controller: owns the playhead, playback, the in/out range and the persisted state, and
// wires the player (iframe), the timeline and the transport bar to the extension's messages.
import type {
  ExtensionToWebviewMessage,
  PreviewComposition,
  PreviewProblem,
  PreviewWebviewState,
  WebviewToExtensionMessage,
} from '../server/protocol/webview';
import { actionForKey, TransportBar, type TransportAction } from './controls';
import { el } from './dom';
import { clamp, frameAt, lastFrameTime, totalFrames } from './format';
import { LARGE_STEP_SECONDS, MAX_SHUTTLE_RATE, STATE_SAVE_INTERVAL_MS, ZOOM_STEP_FACTOR } from './limits';
import { Player } from './player';
import { Timeline } from './timeline';
import { VariablesPanel } from './variables';

/** What the webview host gives us (acquireVsCodeApi() in VS Code, a stand-in in tests). */
export interface WebviewHost {
  postMessage(message: WebviewToExtensionMessage): void;
  getState(): PreviewWebviewState | undefined;
  setState(state: PreviewWebviewState): void;
}

const DEFAULT_STATE: PreviewWebviewState = { uri: '', time: 0, zoom: undefined, range: undefined, loop: false, rate: 1, actualSize: false };

export class PreviewApp {
  private state: PreviewWebviewState;
  private composition: PreviewComposition | undefined;
  /** The browser's duration once the page answered, else the compiled one. */
  private duration = 0;
  private playing = false;
  /** Playback direction × J/L shuttle multiplier; the rate menu's value multiplies it. */
  private shuttle = 1;
  private playFromTime = 0;
  private playFromWall = 0;
  private animationFrame = 0;
  private lastSave = 0;
  private readonly player: Player;
  private readonly timeline: Timeline;
  private readonly transport: TransportBar;
  private readonly variables: VariablesPanel;
  private readonly problemList: HTMLDivElement;
  private readonly frameMessage: HTMLDivElement;
  private readonly mediaNotice: HTMLDivElement;

  constructor(private readonly host: WebviewHost, root: HTMLElement) {
    this.state = { ...DEFAULT_STATE, ...host.getState() };
    this.player = new Player({
      onShown: info => this.onFrameShown(info.duration, info.loadMs),
      onSeeked: t => { document.body.dataset.shownTime = String(t); },
      onFailed: message => this.onFrameFailed(message),
      onClipAtPoint: clipId => {
        if (clipId === undefined) return;
        this.timeline.highlight(clipId);
        this.post({ type: 'revealClip', clipId });
      },
    });
    this.timeline = new Timeline({
      onScrub: t => { this.pause(); this.seek(t); },
      onScrubEnd: () => this.saveState(true),
      onClipClick: clipId => this.post({ type: 'revealClip', clipId }),
      onZoomChange: zoom => { this.state.zoom = zoom; this.saveState(true); },
    });
    this.transport = new TransportBar(action => this.perform(action), rate => { this.setRate(rate); });
    this.variables = new VariablesPanel({
      onChange: values => this.post({ type: 'setVariables', values }),
      onRender: values => this.post({ type: 'renderWithVariables', values }),
    });
    this.problemList = el('div', { class: 'problems', hidden: true });
    this.mediaNotice = el('div', { class: 'notice media-warning', hidden: true });
    this.frameMessage = el('div', { class: 'frame-message', hidden: true, role: 'alert' });
    this.player.element.append(this.frameMessage);
    root.append(this.problemList, this.mediaNotice, this.player.element, this.transport.element, this.variables.element, this.timeline.element);
    this.player.setActualSize(this.state.actualSize);
    this.timeline.setZoom(this.state.zoom);
    this.timeline.setRange(this.state.range);
    window.addEventListener('keydown', event => this.onKey(event));
    this.refresh();
    this.post({ type: 'ready', state: host.getState() });
  }

  handleMessage(message: ExtensionToWebviewMessage): void {
    switch (message.type) {
      case 'composition': this.showComposition(message.composition, message.keepTime); break;
      case 'highlightClip': {
        this.timeline.highlight(message.clipId);
        const clip = this.composition?.clips.find(c => c.id === message.clipId);
        if (message.seek && clip) { this.pause(); this.seek(clip.start); }
        break;
      }
      case 'seek': this.pause(); this.seek(message.time); break;
      case 'problems': this.setExtensionProblems(message.problems); break;
    }
  }

  perform(action: TransportAction): void {
    const fps = this.fps();
    switch (action) {
      case 'toggle-play': if (this.playing) this.pause(); else { this.shuttle = 1; this.play(); } break;
      case 'pause': this.shuttle = 1; this.pause(); break;
      case 'shuttle-forward': this.shuttleBy(1); break;
      case 'shuttle-reverse': this.shuttleBy(-1); break;
      case 'frame-forward': this.pause(); this.seekFrame(frameAt(this.state.time, fps) + 1); break;
      case 'frame-back': this.pause(); this.seekFrame(frameAt(this.state.time, fps) - 1); break;
      case 'second-forward': this.pause(); this.seek(this.state.time + LARGE_STEP_SECONDS); break;
      case 'second-back': this.pause(); this.seek(this.state.time - LARGE_STEP_SECONDS); break;
      case 'to-start': this.pause(); this.seek(0); break;
      case 'to-end': this.pause(); this.seek(this.lastTime()); break;
      case 'toggle-loop': this.state.loop = !this.state.loop; break;
      case 'set-in': this.setRange(this.state.time, this.state.range?.end ?? this.lastTime()); break;
      case 'set-out': this.setRange(this.state.range?.start ?? 0, this.state.time); break;
      case 'clear-range': this.state.range = undefined; this.timeline.setRange(undefined); break;
      case 'render-range': if (this.state.range) this.post({ type: 'renderRange', range: { ...this.state.range } }); break;
      case 'zoom-in': this.timeline.zoomBy(ZOOM_STEP_FACTOR); break;
      case 'zoom-out': this.timeline.zoomBy(1 / ZOOM_STEP_FACTOR); break;
      case 'zoom-fit': this.timeline.zoomToFit(); break;
      case 'toggle-size': this.state.actualSize = !this.state.actualSize; this.player.setActualSize(this.state.actualSize); break;
    }
    this.refresh();
    this.saveState(!this.playing);
  }

  private showComposition(composition: PreviewComposition, keepTime: boolean): void {
    const first = this.composition === undefined;
    this.composition = composition;
    if (first && this.state.uri !== composition.uri) this.state = { ...this.state, uri: composition.uri, time: 0, range: undefined };
    if (!first && !keepTime) this.state.time = 0;
    this.duration = composition.duration ?? 0;
    this.timeline.setClips(composition.clips, this.duration, composition.fps);
    this.setExtensionProblems(composition.problems);
    this.variables.show(composition.variables, composition.variableOverrides);
    this.mediaNotice.hidden = composition.mediaWarning === undefined;
    this.mediaNotice.textContent = composition.mediaWarning ?? '';
    document.title = composition.title;
    this.player.load(composition.entryUrl, composition.width, composition.height, this.state.time);
    this.refresh();
    // The serializer restores a panel from this state after a window reload: it must name the composition
    // before the user touches anything, or an untouched preview is not restored.
    if (first) this.saveState(true);
  }

  private onFrameShown(duration: number, loadMs: number): void {
    this.setFrameMessage(undefined);
    if (duration > 0) {
      this.duration = duration;
      this.timeline.setDuration(duration);
    } else {
      this.setFrameMessage(this.composition?.notComposition ??
        'The composition\'s duration is 0, so there is nothing to play or render. Give the root element data-duration, or register a GSAP timeline on window.__timelines["<composition id>"].');
    }
    this.post({ type: 'frameStatus', status: 'loaded', duration, loadMs });
    this.refresh();
  }

  private onFrameFailed(message: string): void {
    this.pause();
    this.setFrameMessage(message);
    this.post({ type: 'frameStatus', status: 'failed', message });
  }

  private setFrameMessage(message: string | undefined): void {
    this.frameMessage.hidden = message === undefined;
    this.frameMessage.textContent = message ?? '';
    document.body.classList.toggle('frame-failed', message !== undefined);
  }

  private setExtensionProblems(problems: PreviewProblem[]): void {
    this.problemList.hidden = problems.length === 0;
    this.problemList.replaceChildren(...problems.map(p => el('div', { class: `problem ${p.severity}` }, p.message)));
  }

  private fps(): number {
    return this.composition?.fps ?? 30;
  }

  private lastTime(): number {
    return lastFrameTime(this.duration, this.fps());
  }

  private seekFrame(frame: number): void {
    this.seek(frame / this.fps());
  }

  private seek(t: number): void {
    this.state.time = clamp(t, 0, this.lastTime());
    this.timeline.setTime(this.state.time);
    this.player.seek(this.state.time);
    this.refresh();
    this.saveState(!this.playing);
  }

  private setRate(rate: number): void {
    this.state.rate = rate;
    if (this.playing) this.restartClock();
    this.saveState(true);
  }

  private setRange(a: number, b: number): void {
    const start = Math.min(a, b);
    const end = Math.max(a, b);
    this.state.range = end > start ? { start, end } : undefined;
    this.timeline.setRange(this.state.range);
  }

  private shuttleBy(direction: 1 | -1): void {
    if (this.playing && Math.sign(this.shuttle) === direction) {
      this.shuttle = direction * Math.min(Math.abs(this.shuttle) * 2, MAX_SHUTTLE_RATE);
      this.restartClock();
    } else {
      this.shuttle = direction;
      this.play();
    }
  }

  private playBounds(): { start: number; end: number } {
    const range = this.state.range;
    return this.state.loop && range ? { start: range.start, end: Math.min(range.end, this.lastTime()) } : { start: 0, end: this.lastTime() };
  }

  private play(): void {
    if (this.duration <= 0) return;
    const { start, end } = this.playBounds();
    // Pressing play at the end (or outside a looped range) starts over, as players do.
    if (this.shuttle > 0 && (this.state.time >= end || this.state.time < start)) this.state.time = start;
    if (this.shuttle < 0 && (this.state.time <= start || this.state.time > end)) this.state.time = end;
    this.playing = true;
    this.restartClock();
    cancelAnimationFrame(this.animationFrame);
    this.animationFrame = requestAnimationFrame(now => this.tick(now));
    this.refresh();
  }

  private pause(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.animationFrame);
    this.refresh();
    this.saveState(true);
  }

  private restartClock(): void {
    this.playFromTime = this.state.time;
    this.playFromWall = performance.now();
  }

  /** Real-time playback: the time follows the wall clock and each animation frame seeks the page. */
  private tick(now: number): void {
    if (!this.playing) return;
    const speed = this.shuttle * this.state.rate;
    // An animation frame's timestamp is when the frame began, which can be before play was pressed: elapsed
    // time never goes negative (a negative one at 0:00 read as "before the start" and stopped playback).
    let t = this.playFromTime + (Math.max(0, now - this.playFromWall) / 1000) * speed;
    const { start, end } = this.playBounds();
    const period = end - start + 1 / this.fps();
    if (t > end || t < start) {
      if (!this.state.loop || period <= 0) {
        this.seek(clamp(t, start, end));
        this.pause();
        return;
      }
      t = start + ((((t - start) % period) + period) % period);
      this.playFromTime = t;
      this.playFromWall = now;
    }
    this.seek(clamp(t, start, end));
    this.animationFrame = requestAnimationFrame(next => this.tick(next));
  }

  private refresh(): void {
    const fps = this.fps();
    this.transport.update({
      time: this.state.time,
      frame: frameAt(this.state.time, fps),
      totalFrames: totalFrames(this.duration, fps),
      duration: this.duration,
      playing: this.playing,
      loop: this.state.loop,
      rate: this.state.rate,
      hasRange: this.state.range !== undefined,
      actualSize: this.state.actualSize,
    });
    document.body.dataset.time = String(this.state.time);
    document.body.dataset.playing = String(this.playing);
  }

  private saveState(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastSave < STATE_SAVE_INTERVAL_MS) return;
    this.lastSave = now;
    this.host.setState({ ...this.state });
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'SELECT' || target.tagName === 'INPUT')) return;
    // Space and Enter on the Variables panel's header fold it; its buttons take them too.
    if (target?.closest('.variables')) return;
    const action = actionForKey(event);
    if (!action) return;
    event.preventDefault();
    this.perform(action);
  }

  private post(message: WebviewToExtensionMessage): void {
    this.host.postMessage(message);
  }
}
