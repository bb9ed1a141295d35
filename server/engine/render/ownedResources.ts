// What a render has running and lying around outside its own memory: the child processes it started
// (capture browsers, ffmpeg) and the temporary paths it made (the staged output, the work folder, each
// browser's profile folder). Stages record them here as they appear and go; the render worker forwards
// every change to its parent, which cleans up whatever is still listed if the worker dies without doing
// it itself (a crash, or the force-kill after the cancel grace period). Puppeteer starts Chromium in a
// process group of its own, so killing the worker's group never reaches the browsers.
//
// When this process exits with anything still listed (Ctrl+C twice, a forced exit), the exit hook kills
// the processes and removes the paths synchronously.
import fs from 'node:fs';

export type OwnedProcessKind = 'browser' | 'ffmpeg';

export type OwnedResourceEvent =
  | { resource: 'process'; state: 'started' | 'exited'; pid: number; kind: OwnedProcessKind }
  | { resource: 'path'; state: 'created' | 'removed'; path: string };

type Listener = (event: OwnedResourceEvent) => void;

const liveProcesses = new Map<number, OwnedProcessKind>();
const livePaths = new Set<string>();
const listeners = new Set<Listener>();
let exitHookInstalled = false;

function publish(event: OwnedResourceEvent): void {
  installExitHook();
  for (const listener of listeners) listener(event);
}

export function processStarted(pid: number | undefined, kind: OwnedProcessKind): void {
  if (pid === undefined || liveProcesses.has(pid)) return;
  liveProcesses.set(pid, kind);
  publish({ resource: 'process', state: 'started', pid, kind });
}

export function processExited(pid: number | undefined): void {
  if (pid === undefined) return;
  const kind = liveProcesses.get(pid);
  if (kind === undefined) return;
  liveProcesses.delete(pid);
  publish({ resource: 'process', state: 'exited', pid, kind });
}

export function pathCreated(file: string): void {
  if (livePaths.has(file)) return;
  livePaths.add(file);
  publish({ resource: 'path', state: 'created', path: file });
}

/** The path was removed, or published (renamed into place) and is no longer temporary. */
export function pathReleased(file: string): void {
  if (!livePaths.delete(file)) return;
  publish({ resource: 'path', state: 'removed', path: file });
}

/** Follows every change from now on; returns the unsubscribe. */
export function onOwnedResource(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Kills a process the render started: a browser with its whole group (it leads one, and its renderer
 * processes are in it), anything else alone. SIGKILL: this runs when there is no time to ask nicely.
 */
export function killOwnedProcess(pid: number, kind: OwnedProcessKind): void {
  if (kind === 'browser') {
    try {
      process.kill(-pid, 'SIGKILL');
      return;
    } catch {
      // Not a group leader after all (or already gone): the process alone below.
    }
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [pid, kind] of liveProcesses) killOwnedProcess(pid, kind);
    for (const file of livePaths) {
      try { fs.rmSync(file, { recursive: true, force: true }); } catch { /* best effort while exiting */ }
    }
  });
}
