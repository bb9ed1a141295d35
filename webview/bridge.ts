// The preview bridge: runs INSIDE the composition's page (the iframe the webview hosts) and lets the
// webview drive the engine's runtime across origins. The webview posts {type:'seek', t, seq}; the bridge
// calls window.__hf.seek(t) — the very call the renderer makes for each frame — and answers 'seeked'.
// Built to dist/preview-bridge.js and inlined into the served entry page by the extension.
import {
  isParentMessage,
  type BridgeToParentMessage,
  type ParentToBridgeMessage,
} from '../server/protocol/webview';
import type { HfRuntime } from '../server/engine/runtime/manifest';
import { RUNTIME_READY_POLL_MS, whenRuntimeReady } from '../server/engine/runtime/ready';
import { RUNTIME_START_TIMEOUT_MS } from '../server/engine/limits';


function post(message: BridgeToParentMessage): void {
  window.parent.postMessage(message, '*');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function waitForRuntime(): Promise<HfRuntime> {
  // The runtime itself, not window.__hf: that may be a protocol object the page set for itself.
  if (await whenRuntimeReady(window, RUNTIME_START_TIMEOUT_MS, RUNTIME_READY_POLL_MS) && window.__hfRuntime) return window.__hfRuntime;
  throw new Error('the page never exposed a ready window.__hf (the HyperFrames runtime did not start)');
}

let runtime: HfRuntime | undefined;
let announced = false;
/** The newest seek not yet started: a burst of scrub requests collapses into its last one. */
let pendingSeek: { t: number; seq: number } | undefined;
/** The loop running the seeks, while it runs (the page's timers are virtual: waits chain on this, not on setTimeout). */
let draining: Promise<void> | undefined;

async function runSeeks(hf: HfRuntime): Promise<void> {
  while (pendingSeek) {
    const { t, seq } = pendingSeek;
    pendingSeek = undefined;
    try {
      await hf.seek(t);
      post({ hfPreview: true, type: 'seeked', t, seq });
    } catch (error) {
      post({ hfPreview: true, type: 'error', message: `Seeking to ${t.toFixed(3)} s failed: ${describeError(error)}` });
    }
  }
}

/** Runs the pending seeks; resolves once none is running or waiting. */
function drainSeeks(): Promise<void> {
  if (!runtime) return Promise.resolve();
  // Cleared in a microtask after the loop ends: before any message (a macrotask) can add a seek it would miss.
  draining ??= runSeeks(runtime).finally(() => { draining = undefined; });
  return draining;
}

function announce(): void {
  if (!runtime) return;
  announced = true;
  post({
    hfPreview: true,
    type: 'ready',
    duration: Number(runtime.duration) || 0,
    hasMedia: document.querySelector('video, audio') !== null,
  });
}

function onParentMessage(event: MessageEvent): void {
  if (event.source !== window.parent || !isParentMessage(event.data)) return;
  const message: ParentToBridgeMessage = event.data;
  switch (message.type) {
    case 'seek':
      pendingSeek = { t: message.t, seq: message.seq };
      void drainSeeks();
      break;
    case 'hello':
      announce();
      break;
    case 'hitTest':
      // Seeks run in order: answering after the pending ones means the point is tested on the frame shown last.
      void drainSeeks().then(() => post({ hfPreview: true, type: 'hit', seq: message.seq, clipId: runtime?.hitTest(message.x, message.y) }));
      break;
  }
}

window.addEventListener('message', onParentMessage);
// Script errors before the runtime is ready explain a blank frame: forward them to the panel.
window.addEventListener('error', event => {
  if (!announced) post({ hfPreview: true, type: 'error', message: event.message || 'A script in the composition failed.' });
});

waitForRuntime().then(
  hf => {
    runtime = hf;
    announce();
    void drainSeeks();
  },
  error => post({ hfPreview: true, type: 'error', message: describeError(error) }),
);
