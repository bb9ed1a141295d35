// How the engine launches Chromium: one configuration for every browser it starts (the probe's, the
// preview's file server has none, the capture's), so a page behaves in the editor's probe exactly as it will
// in the render. The only difference is named: BeginFrame's switches, which hand the compositor's clock to
// the capture and would leave any other page without frames.

/** Offline, deterministic, quiet (environment.md §2), with as few processes as a page needs. */
export const ENGINE_CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--mute-audio',
  '--autoplay-policy=no-user-gesture-required',
  // Text laid out the same on every machine, as the reference's renders (its Chrome flags).
  '--font-render-hinting=none',
  // A page in a background tab must not run slower than a focused one: the probe's timings and the
  // capture's frames must not depend on what else the machine shows.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Fewer processes per browser: memory on a machine running two capture browsers, a probe and x264.
  '--no-zygote',
  '--in-process-gpu',
  // Puppeteer merges every --enable-features switch into one.
  '--enable-features=NetworkServiceInProcess2',
];

/** Capture only: the reference producer's BeginFrame set; the compositor draws only when the capture says so. */
export const BEGIN_FRAME_CHROMIUM_FLAGS: readonly string[] = [
  '--deterministic-mode',
  '--enable-begin-frame-control',
  '--disable-new-content-rendering-timeout',
  '--run-all-compositor-stages-before-draw',
  '--disable-threaded-animation',
  '--disable-threaded-scrolling',
  '--disable-checker-imaging',
  '--disable-image-animation-resync',
  '--enable-surface-synchronization',
];

// The GPU switches below let pages draw with the GPU APIs headless on this software-only machine class
// (measured on Debian's chromium and chromium-headless-shell 156).
//
// - WebGL needs nothing: with --disable-gpu too, ANGLE runs on SwiftShader's Vulkan ("ANGLE (Google,
//   Vulkan 1.3.0 (SwiftShader Device (Subzero)))"), in both binaries.
// - WebGPU is off by default on Linux: navigator.gpu is undefined. --enable-unsafe-webgpu exposes it, and
//   requestAdapter() then answers with Dawn's SwiftShader adapter (vendor "google", architecture
//   "swiftshader") and a working device. But with the engine's --disable-gpu (and capture's
//   --in-process-gpu) the canvas stays empty: the render pass runs (a buffer readback has the clear
//   colour) while drawImage of the canvas and every screenshot show nothing. The canvas shows its frames
//   only with the GPU process on (no --disable-gpu, no --in-process-gpu) and Vulkan on SwiftShader for it
//   (--enable-features=Vulkan --use-vulkan=swiftshader --use-angle=swiftshader); dropping any one of those
//   empties it again. That set renders a WebGPU triangle frame-exactly here, but it also breaks WebGL
//   video textures (texImage2D(video) uploads nothing after the first frame) and moves every render onto
//   another GPU path, so it is not the default: WebGPU pages get the exposed API and an empty canvas.
// - CanvasDrawElement is the HTML-in-canvas API (drawElementImage) that @hyperframes/shader-transitions'
//   page-side compositor reads scenes with; without it the package falls back to a cut.
// Puppeteer merges every --enable-features switch into one, so this one adds to the launchers' own.
const GPU_CANVAS_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=CanvasDrawElement'];

/** Dropped for a WebGPU page: with them its canvas stays empty (see above). */
const NO_GPU_PROCESS_FLAGS = new Set(['--disable-gpu', '--in-process-gpu']);
/** A GPU process on SwiftShader's Vulkan: what a WebGPU canvas needs to show its frames here. */
const WEBGPU_CHROMIUM_FLAGS = ['--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'];

export interface ChromiumConfiguration {
  /** Capture in BeginFrame mode (adds BEGIN_FRAME_CHROMIUM_FLAGS). */
  beginFrame: boolean;
  /**
   * The composition draws with WebGPU (compile's `usesWebGpu`): the browser gets a GPU process on
   * SwiftShader. Only then, because that path changes how every other page draws (WebGL video textures).
   */
  webGpu?: boolean;
}

/** Every browser the engine starts, probe and capture alike, for one configuration. */
export function engineChromiumFlags(options: ChromiumConfiguration): string[] {
  const base = options.webGpu ? [...ENGINE_CHROMIUM_FLAGS.filter(flag => !NO_GPU_PROCESS_FLAGS.has(flag)), ...WEBGPU_CHROMIUM_FLAGS] : ENGINE_CHROMIUM_FLAGS;
  return [...base, ...GPU_CANVAS_FLAGS, ...(options.beginFrame ? BEGIN_FRAME_CHROMIUM_FLAGS : [])];
}
