// The in-host side of the harness's bridge (tests/e2e/harness/workbench.mjs): asks the harness to act on or
// read the workbench page, which the extension host cannot reach itself.

export interface FrameTexts {
  url: string;
  texts: string[];
}

class BridgeError extends Error {
  constructor(action: string, detail: string) {
    super(`bridge ${action}: ${detail}`);
    this.name = 'BridgeError';
  }
}

async function call<T>(action: string, body: Record<string, unknown>): Promise<T> {
  const base = process.env.HYPERFRAMES_E2E_BRIDGE;
  if (!base) throw new BridgeError(action, 'HYPERFRAMES_E2E_BRIDGE is not set (run through tests/e2e/run.mjs)');
  const response = await fetch(`${base}/${action}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const answer = await response.json() as T & { error?: string };
  if (!response.ok) throw new BridgeError(action, answer.error ?? `HTTP ${response.status}`);
  return answer;
}

/** Presses a key chord in the workbench, as a person would ("Control+Shift+M"). */
export async function press(chord: string): Promise<void> {
  await call('press', { chord });
}

/** The visible text of every element matching `selector` in the workbench page. */
export async function texts(selector: string): Promise<string[]> {
  return (await call<{ texts: string[] }>('texts', { selector })).texts;
}

/** The same in every frame of the page (webviews are nested iframes). */
export async function frameTexts(selector: string): Promise<FrameTexts[]> {
  return (await call<{ frames: FrameTexts[] }>('frameTexts', { selector })).frames;
}

/** Clicks (as a person would) the first element matching `selector` whose text includes `text`; returns its text. */
export async function click(selector: string, text?: string): Promise<string> {
  return (await call<{ clicked: string }>('click', { selector, text })).clicked;
}

/**
 * Clicks (as a person would) the first displayed element matching `selector` in any frame of the workbench — inside
 * a webview's nested iframes too — at fractions `at` of its box (its centre by default).
 */
export async function clickInFrame(selector: string, at?: { x: number; y: number }): Promise<void> {
  await call('frameClick', { selector, at });
}

/** The value of the first input matching `selector` in the workbench page (undefined when none) and whether it has the focus. */
export async function inputValue(selector: string): Promise<{ value: string | undefined; focused: boolean }> {
  return call<{ value: string | undefined; focused: boolean }>('inputValue', { selector });
}

/** Saves a screenshot of the workbench to tests/.artifacts/<name>.png; returns its path. */
export async function screenshot(name: string): Promise<string> {
  return (await call<{ path: string }>('screenshot', { name })).path;
}
