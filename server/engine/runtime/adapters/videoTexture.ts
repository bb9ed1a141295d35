// Video textures in renders. The capture paints each video clip's exact source frame into an <img> over the
// <video> (capture/videoFrames.ts) and never seeks the hidden <video> itself, so a page that uploads the
// <video> to WebGL (texImage2D / texSubImage2D) or WebGPU (copyExternalImageToTexture) would upload a stale
// or black frame. Those calls get the painted frame instead, as the reference's video-texture compat does;
// in the preview (no painted frame) the <video> goes through unchanged. The capture paints a changed frame
// before it seeks, so the page's animation frames at time t upload the frame of time t.
import type { RuntimeWindow, SeekAdapter } from './types';

/** Set on a <video> by the capture's painter: the <img> showing its frame. */
interface PaintedVideo extends HTMLVideoElement {
  __hfFrameImage?: HTMLImageElement;
}

function paintedFrame(win: RuntimeWindow, source: unknown): HTMLImageElement | undefined {
  if (!(source instanceof win.HTMLVideoElement)) return undefined;
  const image = (source as PaintedVideo).__hfFrameImage;
  return image && image.complete && image.naturalWidth > 0 ? image : undefined;
}

type Upload = (...args: unknown[]) => unknown;

function patchUploads(win: RuntimeWindow, prototype: object | undefined, methods: readonly string[]): void {
  if (!prototype) return;
  const record = prototype as Record<string, unknown>;
  for (const method of methods) {
    const original = record[method];
    if (typeof original !== 'function') continue;
    record[method] = function (this: unknown, ...args: unknown[]) {
      const swapped = args.map(arg => paintedFrame(win, arg) ?? arg);
      return (original as Upload).apply(this, swapped);
    };
  }
}

export const videoTextureAdapter: SeekAdapter = {
  name: 'video textures',
  install(win) {
    const globals = win as unknown as Record<string, { prototype?: object } | undefined>;
    patchUploads(win, globals.WebGLRenderingContext?.prototype, ['texImage2D', 'texSubImage2D']);
    patchUploads(win, globals.WebGL2RenderingContext?.prototype, ['texImage2D', 'texSubImage2D']);
    const queue = globals.GPUQueue?.prototype as Record<string, unknown> | undefined;
    const copy = queue?.copyExternalImageToTexture;
    if (queue && typeof copy === 'function') {
      queue.copyExternalImageToTexture = function (this: unknown, source: { source?: unknown } | undefined, ...rest: unknown[]) {
        const image = paintedFrame(win, source?.source);
        return (copy as Upload).call(this, image ? { ...source, source: image } : source, ...rest);
      };
    }
  },
  seek() {
    // Nothing per frame: the uploads are rewritten as they happen.
  },
};
