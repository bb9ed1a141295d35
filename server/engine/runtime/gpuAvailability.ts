// Whether WebGPU answered the page: a Chromium that cannot run it (no SwiftShader, a blocklisted GPU)
// resolves navigator.gpu.requestAdapter() with null, and the page's canvas then renders blank in every
// frame. The runtime records the first such answer with the caller's stack, so the probe can say so once,
// at the script that asked, instead of a blank video or a TypeError from the page's next line.
import type { WebGpuReport } from './manifest';

interface GpuLike {
  requestAdapter(options?: unknown): Promise<unknown>;
}

export function installGpuAvailability(win: Window & typeof globalThis): () => WebGpuReport | undefined {
  let report: WebGpuReport | undefined;
  const gpuPrototype = (win as unknown as { GPU?: { prototype: GpuLike } }).GPU?.prototype;
  const original = gpuPrototype?.requestAdapter;
  if (!gpuPrototype || typeof original !== 'function') return () => report;
  gpuPrototype.requestAdapter = function requestAdapter(this: GpuLike, ...args: [unknown?]) {
    // Taken now, while the page's script is the caller (frame 1; frame 0 is this wrapper).
    const stack = new Error().stack;
    const answer = original.apply(this, args);
    void answer.then(adapter => {
      if (adapter === null && !report) report = { available: false, stack };
    }, () => {
      if (!report) report = { available: false, stack };
    });
    return answer;
  };
  return () => report;
}
