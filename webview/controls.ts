// The transport bar (buttons, time readout, rate, loop, in/out, zoom, size) and the keyboard map.
// It holds no state: the app tells it what to show and it calls back with the user's intent.
import { button, codicon, el, iconButton } from './dom';
import { formatTime } from './format';
import { PLAYBACK_RATES } from './limits';

export type TransportAction =
  | 'toggle-play' | 'pause' | 'shuttle-forward' | 'shuttle-reverse'
  | 'frame-forward' | 'frame-back' | 'second-forward' | 'second-back'
  | 'to-start' | 'to-end' | 'toggle-loop' | 'set-in' | 'set-out' | 'clear-range' | 'render-range'
  | 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'toggle-size';

export interface TransportView {
  time: number;
  frame: number;
  totalFrames: number;
  duration: number;
  playing: boolean;
  loop: boolean;
  rate: number;
  hasRange: boolean;
  actualSize: boolean;
}

/** The key map (J/K/L as in video editors). Returns undefined for keys the preview does not handle. */
export function actionForKey(event: KeyboardEvent): TransportAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  switch (event.key) {
    case ' ': return 'toggle-play';
    case 'ArrowRight': return event.shiftKey ? 'second-forward' : 'frame-forward';
    case 'ArrowLeft': return event.shiftKey ? 'second-back' : 'frame-back';
    case 'Home': return 'to-start';
    case 'End': return 'to-end';
    case 'j': case 'J': return 'shuttle-reverse';
    case 'k': case 'K': return 'pause';
    case 'l': case 'L': return 'shuttle-forward';
    case 'i': case 'I': return 'set-in';
    case 'o': case 'O': return 'set-out';
    default: return undefined;
  }
}

/** The transport's codicons (names in @vscode/codicons' font). */
const ICONS = {
  start: 'debug-reverse-continue',
  frameBack: 'chevron-left',
  play: 'play',
  pause: 'debug-pause',
  frameForward: 'chevron-right',
  end: 'debug-continue',
  loop: 'sync',
  clear: 'close',
  zoomOut: 'zoom-out',
  zoomIn: 'zoom-in',
  actualSize: 'screen-full',
} as const;

export class TransportBar {
  readonly element: HTMLDivElement;
  private readonly playButton: HTMLButtonElement;
  private readonly loopButton: HTMLButtonElement;
  private readonly sizeButton: HTMLButtonElement;
  private readonly renderButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly timeReadout: HTMLSpanElement;
  private readonly frameReadout: HTMLSpanElement;
  private readonly durationReadout: HTMLSpanElement;
  private readonly rateSelect: HTMLSelectElement;

  constructor(onAction: (action: TransportAction) => void, onRate: (rate: number) => void) {
    const act = (b: HTMLButtonElement, action: TransportAction) => {
      b.dataset.action = action;
      b.addEventListener('click', () => onAction(action));
      return b;
    };
    this.playButton = act(iconButton(ICONS.play, 'Play/Pause (Space, K)', 'play'), 'toggle-play');
    this.loopButton = act(iconButton(ICONS.loop, 'Loop', 'toggle'), 'toggle-loop');
    this.sizeButton = act(iconButton(ICONS.actualSize, 'Actual size (100 %); off: scaled to fit the panel', 'toggle'), 'toggle-size');
    this.renderButton = act(button('Render Range', 'Render the in/out range'), 'render-range');
    this.clearButton = act(iconButton(ICONS.clear, 'Clear in/out'), 'clear-range');
    this.timeReadout = el('span', { class: 'time', 'data-readout': 'time' });
    this.frameReadout = el('span', { class: 'frame-number', 'data-readout': 'frame' });
    this.durationReadout = el('span', { class: 'duration', 'data-readout': 'duration' });
    this.rateSelect = el('select', { title: 'Playback rate', 'aria-label': 'Playback rate' },
      ...PLAYBACK_RATES.map(rate => el('option', { value: String(rate) }, `${rate}×`)));
    this.rateSelect.addEventListener('change', () => onRate(Number(this.rateSelect.value)));
    this.element = el('div', { class: 'transport', role: 'toolbar' },
      el('div', { class: 'group' },
        act(iconButton(ICONS.start, 'Start (Home)'), 'to-start'),
        act(iconButton(ICONS.frameBack, 'Previous frame (←), −1 s (Shift+←)'), 'frame-back'),
        this.playButton,
        act(iconButton(ICONS.frameForward, 'Next frame (→), +1 s (Shift+→)'), 'frame-forward'),
        act(iconButton(ICONS.end, 'End (End)'), 'to-end')),
      el('div', { class: 'group readouts' }, this.timeReadout, this.frameReadout, this.durationReadout),
      el('div', { class: 'group' }, this.loopButton, this.rateSelect),
      el('div', { class: 'group' },
        act(button('In', 'Set in point (I)'), 'set-in'),
        act(button('Out', 'Set out point (O)'), 'set-out'),
        this.clearButton, this.renderButton),
      el('div', { class: 'group' },
        act(iconButton(ICONS.zoomOut, 'Zoom timeline out (Ctrl+wheel)'), 'zoom-out'),
        // The one Fit: the whole composition across the timeline's width.
        act(button('Fit', 'Fit the timeline to the panel'), 'zoom-fit'),
        act(iconButton(ICONS.zoomIn, 'Zoom timeline in (Ctrl+wheel)'), 'zoom-in'),
        this.sizeButton));
  }

  update(view: TransportView): void {
    const playIcon = view.playing ? ICONS.pause : ICONS.play;
    if (this.playButton.dataset.icon !== playIcon) {
      this.playButton.dataset.icon = playIcon;
      this.playButton.replaceChildren(codicon(playIcon));
    }
    this.playButton.classList.toggle('active', view.playing);
    this.loopButton.classList.toggle('active', view.loop);
    this.loopButton.setAttribute('aria-pressed', String(view.loop));
    this.sizeButton.classList.toggle('active', view.actualSize);
    this.sizeButton.setAttribute('aria-pressed', String(view.actualSize));
    this.renderButton.disabled = !view.hasRange;
    this.clearButton.disabled = !view.hasRange;
    this.timeReadout.textContent = formatTime(view.time);
    this.frameReadout.textContent = `frame ${view.frame} / ${view.totalFrames}`;
    this.durationReadout.textContent = `of ${formatTime(view.duration)}`;
    if (this.rateSelect.value !== String(view.rate)) this.rateSelect.value = String(view.rate);
  }
}
