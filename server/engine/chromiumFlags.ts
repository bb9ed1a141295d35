// The Chromium switches that let pages draw with the GPU APIs headless, on this software-only machine
// class (measured on Debian's chromium and chromium-headless-shell 156): one list for every browser the
// engine starts, so the probe sees the same canvases the capture records.
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
export const GPU_CANVAS_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=CanvasDrawElement'];
