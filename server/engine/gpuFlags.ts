// The Chromium switches that let pages draw with the GPU APIs headless, on this software-only machine
// class (measured on Debian's chromium and chromium-headless-shell 156): one list for every browser the
// engine starts, so the probe sees the same canvases the capture records.
//
// - WebGL needs nothing: with --disable-gpu too, ANGLE runs on SwiftShader's Vulkan ("ANGLE (Google,
//   Vulkan 1.3.0 (SwiftShader Device (Subzero)))"), in both binaries.
// - WebGPU is off by default on Linux: navigator.gpu is undefined. --enable-unsafe-webgpu exposes it, and
//   requestAdapter() then answers with Dawn's SwiftShader adapter (vendor "google", architecture
//   "swiftshader") and a working device, with --disable-gpu, --in-process-gpu and BeginFrame control
//   alike. --use-webgpu-adapter=swiftshader, --use-vulkan=swiftshader and --enable-features=Vulkan changed
//   nothing here. WebGPU exists only in secure contexts, which the loopback file server is.
// - CanvasDrawElement is the HTML-in-canvas API (drawElementImage) that @hyperframes/shader-transitions'
//   page-side compositor reads scenes with; without it the package falls back to a cut.
// Puppeteer merges every --enable-features switch into one, so this one adds to the launchers' own.
export const GPU_CANVAS_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=CanvasDrawElement'];
