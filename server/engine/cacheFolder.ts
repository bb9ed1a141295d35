// The user's cache folder ($XDG_CACHE_HOME, else ~/.cache), where the engine keeps what it can make again:
// extracted video frames (capture/videoFrameCache.ts) and the bundles' compiled code (server/bundleLoader.ts).
// Node builtins only: the bundle loader imports this before anything else is loaded.
import os from 'node:os';
import path from 'node:path';

/** `folder` (a path relative to the cache folder, such as 'hyperframes-live/video-frames') made absolute. */
export function userCacheFolder(folder: string): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), folder);
}
