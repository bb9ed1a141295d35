// Composition variables in the page. The engine resolves the values (compile/variables.ts: declared defaults,
// a host's data-variable-values, a render's --variables) and ships them in the manifest; this module
// - answers `window.__hyperframes.getVariables()` (a sub-composition's scripts get their instance's values
//   through the scoped window of scope.ts);
// - writes `data-var-text` (the element's own text, its child elements kept) and `data-var-src` (media
//   elements only, safe URLs only);
// - sets each scalar variable as the CSS custom property `--id` on <html> and on every composition element.
// It runs from <head>, before the body exists: elements are bound as the parser inserts them (a mutation
// observer, whose records are delivered before each parser-inserted script runs), so a timeline built by a
// script at load already sees the bound text and the custom properties. A last pass runs at DOMContentLoaded.
import { isSafeMediaUrl } from '../mediaUrl';
import type { VariableValues } from '../model';

/** Elements whose src is a media reference only: on <iframe>/<script>/<embed> a src would run code. */
const VARIABLE_SRC_TAGS = new Set(['img', 'video', 'audio', 'source']);

export interface HyperframesApi {
  getVariables(): Record<string, unknown>;
}

declare global {
  interface Window {
    /** The reference's page API: `window.__hyperframes.getVariables()`. */
    __hyperframes?: HyperframesApi & Record<string, unknown>;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A variable's value as a CSS custom property: scalars as written, a font by its family name. */
function cssValue(value: unknown): string | undefined {
  if (isScalar(value)) return String(value);
  const name = value && typeof value === 'object' ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name ? name : undefined;
}

/** A value folded into `var(--x)` must not end the declaration and start another. */
function sanitizeCssValue(value: string): string {
  return value.replace(/[;{}<>\r\n]/g, '');
}

function urlOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  const url = value && typeof value === 'object' ? (value as { url?: unknown }).url : undefined;
  return typeof url === 'string' && url ? url : undefined;
}

/** Replaces the element's own text, keeping its child elements (nested clips, animation targets). */
function setOwnText(element: Element, text: string): void {
  if (element.childElementCount === 0) {
    if (element.textContent !== text) element.textContent = text;
    return;
  }
  let written = false;
  for (const node of Array.from(element.childNodes)) {
    if (node.nodeType !== Node.TEXT_NODE) continue;
    node.nodeValue = written ? '' : text;
    written = true;
  }
  if (!written) element.insertBefore(element.ownerDocument.createTextNode(text), element.firstChild);
}

export class VariableBindings {
  private readonly values: VariableValues;

  constructor(private readonly win: Window & typeof globalThis, values: VariableValues | undefined) {
    this.values = values ?? { root: {}, instances: {} };
  }

  /** The instance table an element reads: its nearest sub-composition host that has one, else the top level. */
  valuesFor(element: Element): Record<string, unknown> {
    for (let at: Element | null = element; at; at = at.parentElement) {
      if (at.id && at.hasAttribute('data-composition-id')) {
        const table = this.values.instances[at.id];
        if (table) return table;
      }
    }
    return this.values.root;
  }

  /** What `__hyperframes.getVariables()` returns in a sub-composition's scripts: its instance's values, else none. */
  instanceValues(hostId: string): Record<string, unknown> {
    return { ...(this.values.instances[hostId] ?? {}) };
  }

  rootValues(): Record<string, unknown> {
    return { ...this.values.root };
  }

  private setCustomProperties(element: Element, values: Record<string, unknown>): void {
    const style = (element as HTMLElement).style as CSSStyleDeclaration | undefined;
    if (!style) return;
    for (const [id, value] of Object.entries(values)) {
      const css = cssValue(value);
      if (css !== undefined && css !== '') style.setProperty(`--${id}`, sanitizeCssValue(css));
    }
  }

  /** Binds one element (idempotent: a second pass writes the same values). */
  bindElement(element: Element): void {
    if (element.hasAttribute('data-composition-id')) this.setCustomProperties(element, this.valuesFor(element));
    const srcId = element.getAttribute('data-var-src')?.trim();
    if (srcId && VARIABLE_SRC_TAGS.has(element.tagName.toLowerCase())) {
      const url = urlOf(this.valuesFor(element)[srcId]);
      if (url !== undefined && isSafeMediaUrl(url) && element.getAttribute('src') !== url) element.setAttribute('src', url);
    }
    const textId = element.getAttribute('data-var-text')?.trim();
    if (textId) {
      const value = this.valuesFor(element)[textId];
      if (isScalar(value)) setOwnText(element, String(value));
    }
  }

  bindTree(root: Element): void {
    this.bindElement(root);
    for (const element of Array.from(root.querySelectorAll('[data-composition-id], [data-var-src], [data-var-text]'))) this.bindElement(element);
  }

  /** Binds as the document is parsed and once more when it is (see the file comment). */
  install(): void {
    // Most compositions declare nothing: no observer then (a binding without a value changes nothing anyway).
    if (Object.keys(this.values.root).length === 0 && Object.keys(this.values.instances).length === 0) return;
    const doc = this.win.document;
    const html = doc.documentElement;
    this.setCustomProperties(html, this.values.root);
    const observer = new this.win.MutationObserver(records => {
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) if (node.nodeType === Node.ELEMENT_NODE) this.bindTree(node as Element);
        // Text parsed into a bound element after it was bound (the parser adds children after their parent).
        const target = record.target;
        if (target.nodeType === Node.ELEMENT_NODE && (target as Element).hasAttribute('data-var-text')) this.bindElement(target as Element);
      }
    });
    observer.observe(html, { childList: true, subtree: true });
    this.bindTree(html);
    const finish = () => {
      observer.disconnect();
      this.bindTree(html);
    };
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', finish, { once: true });
    else finish();
  }
}

/** `window.__hyperframes.getVariables()` for the top-level page; the page's own fields on the object are kept. */
export function installVariables(win: Window & typeof globalThis, values: VariableValues | undefined): VariableBindings {
  const bindings = new VariableBindings(win, values);
  win.__hyperframes = Object.assign(win.__hyperframes ?? {}, { getVariables: () => bindings.rootValues() });
  bindings.install();
  return bindings;
}
