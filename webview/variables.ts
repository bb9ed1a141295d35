// The Variables panel: one input per declared variable of the top-level composition (by type: text, number,
// colour picker, checkbox, select), showing the value the preview applies (the default until edited).
// Edits are sent to the extension, which serves the page again with them over the defaults (never into the
// file); Reset sends none; "Render with These Values" starts a render given them.
import type { PreviewVariable, VariableOverrides } from '../server/protocol/webview';
import { codicon, el } from './dom';
import { VARIABLE_APPLY_DELAY_MS } from './limits';

export interface VariablesPanelEvents {
  /** The values over the defaults changed (`{}`: reset). */
  onChange(values: VariableOverrides): void;
  onRender(values: VariableOverrides): void;
}

type Input = HTMLInputElement | HTMLSelectElement;

/** An <input type=color> takes #rrggbb only; any other colour is edited as text. */
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The text an image or font value edits: its URL or family name ({"url"} / {"name"} objects included). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.url === 'string') return record.url;
    if (typeof record.name === 'string') return record.name;
  }
  return value === undefined ? '' : JSON.stringify(value);
}

export class VariablesPanel {
  readonly element: HTMLDetailsElement;
  private readonly list: HTMLDivElement;
  private readonly resetButton: HTMLButtonElement;
  private variables: PreviewVariable[] = [];
  private overrides: VariableOverrides = {};
  private readonly inputs = new Map<string, Input>();
  private declarationKey = '';
  private timer = 0;

  constructor(private readonly events: VariablesPanelEvents) {
    this.list = el('div', { class: 'variables-list' });
    this.resetButton = el('button', { type: 'button', class: 'variables-reset', title: 'Reset to the declared defaults' }, codicon('discard'), ' Reset');
    const render = el('button', { type: 'button', class: 'variables-render', title: 'Render the composition with these values (as render --variables)' },
      codicon('device-camera-video'), ' Render with These Values');
    this.resetButton.addEventListener('click', () => this.reset());
    render.addEventListener('click', () => { this.flush(); this.events.onRender({ ...this.overrides }); });
    const summary = el('summary', { title: 'Composition variables: edit them to preview other values (the file is not changed)' }, 'Variables');
    this.element = el('details', { class: 'variables', open: true, hidden: true },
      summary, this.list, el('div', { class: 'variables-actions' }, this.resetButton, render));
  }

  /** A composition arrived: redraw the inputs when the declaration changed, else show the values applied. */
  show(variables: PreviewVariable[], overrides: VariableOverrides): void {
    this.element.hidden = variables.length === 0;
    const key = JSON.stringify(variables);
    this.variables = variables;
    // While an edit waits to be sent, the panel's own values are newer than the ones the page was served with.
    if (this.timer === 0) this.overrides = { ...overrides };
    if (key !== this.declarationKey) {
      this.declarationKey = key;
      this.build();
    } else {
      for (const variable of variables) {
        const input = this.inputs.get(variable.id);
        if (input && input !== document.activeElement) this.setInput(input, variable, this.valueOf(variable));
      }
    }
    this.resetButton.disabled = Object.keys(this.overrides).length === 0;
  }

  private valueOf(variable: PreviewVariable): unknown {
    return variable.id in this.overrides ? this.overrides[variable.id] : variable.default;
  }

  private build(): void {
    this.inputs.clear();
    const rows = this.variables.map(variable => {
      const input = this.createInput(variable);
      input.id = `hf-var-${variable.id}`;
      input.dataset.variableId = variable.id;
      this.inputs.set(variable.id, input);
      this.setInput(input, variable, this.valueOf(variable));
      const label = el('label', { for: input.id, title: `${variable.id} (${variable.type})` }, variable.label ?? variable.id);
      return el('div', { class: `variable type-${variable.type}` }, label, input);
    });
    this.list.replaceChildren(...rows);
  }

  private createInput(variable: PreviewVariable): Input {
    switch (variable.type) {
      case 'enum': {
        // An enum declared without options has nothing to choose from: its value is edited as text.
        if (!variable.options || variable.options.length === 0) return this.textInput(variable);
        const select = el('select', {});
        for (const option of variable.options ?? []) select.append(el('option', { value: option }, option));
        select.addEventListener('change', () => this.edit(variable, select.value, true));
        return select;
      }
      case 'boolean': {
        const box = el('input', { type: 'checkbox' });
        box.addEventListener('change', () => this.edit(variable, box.checked, true));
        return box;
      }
      case 'number': {
        const input = el('input', { type: 'number', step: 'any' });
        input.addEventListener('input', () => { if (input.value.trim() !== '' && Number.isFinite(input.valueAsNumber)) this.edit(variable, input.valueAsNumber, false); });
        return input;
      }
      case 'color': {
        const hex = typeof variable.default === 'string' && HEX_COLOR.test(variable.default);
        const input = el('input', { type: hex ? 'color' : 'text', spellcheck: 'false' });
        input.addEventListener('input', () => this.edit(variable, input.value, false));
        return input;
      }
      default:
        // string, font (a family name), image (a path or URL): text.
        return this.textInput(variable);
    }
  }

  private textInput(variable: PreviewVariable): HTMLInputElement {
    const input = el('input', { type: 'text', spellcheck: 'false', placeholder: variable.type === 'image' ? 'path or URL' : '' });
    input.addEventListener('input', () => this.edit(variable, input.value, false));
    return input;
  }

  private setInput(input: Input, variable: PreviewVariable, value: unknown): void {
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value === true;
    else if (input instanceof HTMLInputElement && input.type === 'number') input.value = typeof value === 'number' ? String(value) : '';
    else input.value = variable.type === 'font' || variable.type === 'image' ? textOf(value) : typeof value === 'string' ? value : textOf(value);
  }

  /** One input's new value; `now`: a discrete choice (select, checkbox) is applied at once, typing after a pause. */
  private edit(variable: PreviewVariable, value: unknown, now: boolean): void {
    // An object default ({"url"}, {"name"}) edited as text becomes the text: the runtime takes either.
    if (JSON.stringify(value) === JSON.stringify(variable.default)) delete this.overrides[variable.id];
    else this.overrides[variable.id] = value;
    this.resetButton.disabled = Object.keys(this.overrides).length === 0;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.flush(), now ? 0 : VARIABLE_APPLY_DELAY_MS);
  }

  /** Sends the pending edit, if any. */
  private flush(): void {
    if (this.timer === 0) return;
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.events.onChange({ ...this.overrides });
  }

  private reset(): void {
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.overrides = {};
    for (const variable of this.variables) {
      const input = this.inputs.get(variable.id);
      if (input) this.setInput(input, variable, variable.default);
    }
    this.resetButton.disabled = true;
    this.events.onChange({});
  }
}
