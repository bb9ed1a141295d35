// A tiny element builder: the webview has no framework, and the CSP forbids inline handlers and styles.

type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

export function button(label: string, title: string, className = ''): HTMLButtonElement {
  return el('button', { type: 'button', title, 'aria-label': title, class: className }, label);
}

/** A codicon (the workbench's icon font, bundled from @vscode/codicons): decorative, the button carries the name. */
export function codicon(name: string): HTMLSpanElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button showing one codicon; `title` is its tooltip and accessible name. */
export function iconButton(icon: string, title: string, className = ''): HTMLButtonElement {
  return el('button', { type: 'button', title, 'aria-label': title, class: `icon ${className}`.trim() }, codicon(icon));
}
