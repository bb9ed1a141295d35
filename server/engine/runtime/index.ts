// The in-page runtime (dist/runtime.js, an IIFE): the one place that knows how a composition is seeked.
// The file server serves it as the first script in <head>, preceded by the engine's clip table
// (window.__hfManifest), so virtual time is in place before any user script runs. The probe, the
// renderer and the preview all drive the page through window.__hf.
import { adaptersReady, installAdapters } from './adapters';
import type { HfRuntime, RuntimeManifest } from './manifest';
import { PageProtocol } from './pageProtocol';
import { applyCompositionLayout } from './layout';
import { installCompositionScopes } from './scope';
import { installGpuAvailability } from './gpuAvailability';
import { installRenderMode } from './renderMode';
import { installSeededRandom } from './seededRandom';
import { CompositionSeeker } from './seek';
import { createFrameChangeTracker } from './frameChanges';
import { clipAtPoint } from './hitTest';
import { installVirtualTime } from './virtualTime';
import { installVariables } from './variables';

/** Media metadata (duration) is part of readiness, but a stalled source must not hold the page forever. */
const MEDIA_METADATA_TIMEOUT_MS = 5_000;

const EMPTY_MANIFEST: RuntimeManifest = { rootId: undefined, staticDuration: undefined, clips: [], hosts: [] };

function whenLoaded(win: Window): Promise<void> {
  if (win.document.readyState === 'complete') return Promise.resolve();
  return new Promise(resolve => win.addEventListener('load', () => resolve(), { once: true }));
}

function whenMediaMetadata(win: Window): Promise<unknown> {
  const waits = Array.from(win.document.querySelectorAll('video, audio'), element => {
    const media = element as HTMLMediaElement;
    if (media.readyState >= HTMLMediaElement.HAVE_METADATA || media.error) return undefined;
    // preload="none" never fetches metadata by itself; the render needs the duration (and the frames).
    if (media.preload === 'none') {
      media.preload = 'auto';
      media.load();
    }
    return new Promise<void>(resolve => {
      const done = () => {
        win.clearTimeout(timer);
        resolve();
      };
      const timer = win.setTimeout(done, MEDIA_METADATA_TIMEOUT_MS);
      media.addEventListener('loadedmetadata', done, { once: true });
      media.addEventListener('error', done, { once: true });
    });
  });
  return Promise.all(waits);
}

function install(win: Window & typeof globalThis): void {
  if (win.__hfRuntime) return;
  const compositing = installRenderMode(win);
  const clock = installVirtualTime(win);
  // Set by the capture browser before any script: a rendered frame's randomness depends on its time alone.
  const random = win.__HF_RENDER_CAPTURE_MODE === true ? installSeededRandom(win) : undefined;
  installAdapters(win);
  const webGpuReport = installGpuAvailability(win);
  // Before any page script: a timeline built at load reads the variables' text, sources and custom properties.
  const variables = installVariables(win, win.__hfManifest?.variables);
  installCompositionScopes(win, variables);
  const seeker = new CompositionSeeker(win, clock, win.__hfManifest ?? EMPTY_MANIFEST);
  win.__timelines = win.__timelines ?? {};

  // Through the shader compositor's frame protocol when the page has one (renderMode.ts).
  const seek = async (t: number) => {
    random?.reseed(t);
    await seeker.seek(t);
    await compositing.afterSeek();
  };

  const ready = (async () => {
    await whenLoaded(win);
    applyCompositionLayout(win);
    await win.document.fonts.ready;
    await whenMediaMetadata(win);
    // Scripts register timelines synchronously, but some do it from a load handler or a microtask.
    await new Promise(resolve => win.setTimeout(resolve, 0));
    await compositing.whenAttached(seek);
    await adaptersReady(win);
    await seeker.seek(0);
  })().catch(error => {
    // A timeline that throws while seeking is the page's error (reported as such), not a hung probe.
    win.reportError(error);
  });

  const runtime: HfRuntime = {
    get duration() {
      return seeker.duration();
    },
    seek,
    ready,
    inspect: () => ({ ...seeker.inspect(), webGpu: webGpuReport() }),
    hitTest: (x, y) => clipAtPoint(win.document, new Set((win.__hfManifest ?? EMPTY_MANIFEST).clips.map(clip => clip.id)), x, y),
    setManifest: manifest => {
      win.__hfManifest = manifest;
      seeker.setManifest(manifest);
    },
    frameChanges: createFrameChangeTracker(win),
  };
  // The engine calls window.__hfRuntime; window.__hf stays the page's to replace (pageProtocol.ts).
  win.__hfRuntime = runtime;
  seeker.attachPageProtocol(new PageProtocol(win, runtime));
}

install(window);
