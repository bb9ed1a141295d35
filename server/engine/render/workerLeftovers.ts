// The parent's record of what a render worker has running and lying around (from its 'resource' events),
// and the cleanup when the worker dies without doing it itself: a crash, an out-of-memory kill, or the
// force-kill after the cancel grace period. Killing the worker's process group is not enough: Puppeteer
// starts every browser in a group of its own, and nobody else would remove the staged output, the work
// folder or the browsers' profile folders.
import fs from 'node:fs';
import { LEFTOVER_EXIT_WAIT_MS } from '../limits';
import { killOwnedProcess, type OwnedProcessKind, type OwnedResourceEvent } from './ownedResources';

const POLL_MS = 25;

/**
 * The process's start time (clock ticks after boot, /proc/<pid>/stat field 22): a pid reported earlier
 * is killed only while it still names the same process, never one that reused the number.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Alive (not a zombie waiting for a parent that no longer exists). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const HAS_PROC = fs.existsSync('/proc/self/stat');

interface OwnedProcess {
  kind: OwnedProcessKind;
  /** Undefined where /proc does not exist (the pid is then trusted as reported). */
  startedAt: string | undefined;
}

export class WorkerLeftovers {
  private readonly processes = new Map<number, OwnedProcess>();
  private readonly paths = new Set<string>();

  record(event: OwnedResourceEvent): void {
    if (event.resource === 'path') {
      if (event.state === 'created') this.paths.add(event.path);
      else this.paths.delete(event.path);
      return;
    }
    if (event.state === 'exited') {
      this.processes.delete(event.pid);
      return;
    }
    const startedAt = HAS_PROC ? startTime(event.pid) : undefined;
    // Already gone by the time the report arrived: nothing to remember.
    if (HAS_PROC && startedAt === undefined) return;
    this.processes.set(event.pid, { kind: event.kind, startedAt });
  }

  get empty(): boolean {
    return this.processes.size === 0 && this.paths.size === 0;
  }

  /**
   * SIGKILLs every process still listed (a browser with its group), waits briefly for them to die so
   * none writes into a folder after it is removed, then removes every path still listed.
   */
  async cleanUp(): Promise<void> {
    const killed: number[] = [];
    for (const [pid, owned] of this.processes) {
      if (HAS_PROC && startTime(pid) !== owned.startedAt) continue;
      killOwnedProcess(pid, owned.kind);
      killed.push(pid);
    }
    this.processes.clear();
    const deadline = Date.now() + LEFTOVER_EXIT_WAIT_MS;
    while (HAS_PROC && killed.some(running) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, POLL_MS));
    }
    const paths = [...this.paths];
    this.paths.clear();
    await Promise.all(paths.map(file => fs.promises.rm(file, { recursive: true, force: true }).catch(() => undefined)));
  }
}
