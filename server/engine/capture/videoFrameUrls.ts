// Extracted video frames reach the capture page by URL from the render's file server, not as data URLs:
// the page fetches and decodes a frame in the background while the previous one is captured (the capture
// preloads one frame ahead), and no base64 copy of it crosses the DevTools protocol. Measured at 1080p on
// this machine, two clips: 11 ms a frame to paint preloaded frames against 35 ms for data URLs, and one
// BeginFrame instead of two (a decoded image is on screen at once).
//
// Only the frames the capture registered are served, each under a token of its own, and only until it has
// been painted (bounded: a few per capture browser).
import path from 'node:path';
import type { FileServerHandle } from '../fileServer';

/** Where the file server serves registered frames (under the runtime's own /__hf/ prefix). */
export const VIDEO_FRAME_URL_PATH = '/__hf/video-frames/';

export class VideoFrameUrls {
  private readonly files = new Map<string, string>();
  private next = 0;

  private constructor(private readonly origin: string) {}

  /** Registers the route on the render's file server. */
  static serve(fileServer: Pick<FileServerHandle, 'origin' | 'addRoute'>): VideoFrameUrls {
    const urls = new VideoFrameUrls(fileServer.origin);
    fileServer.addRoute(VIDEO_FRAME_URL_PATH, name => urls.files.get(name));
    return urls;
  }

  /** A URL that serves `file` until released. */
  register(file: string): string {
    const token = `${this.next++}${path.extname(file)}`;
    this.files.set(token, file);
    return `${this.origin}${VIDEO_FRAME_URL_PATH}${token}`;
  }

  /** The page has the frame (painted, or never to be): its URL serves nothing from now on. */
  release(url: string): void {
    this.files.delete(url.slice(url.lastIndexOf('/') + 1));
  }

  /** Frames registered and not yet released. */
  get size(): number {
    return this.files.size;
  }
}
