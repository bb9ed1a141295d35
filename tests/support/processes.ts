// Process liveness for the tests that check nothing was left running, read from Linux /proc. A zombie (exited,
// not yet reaped by its parent) counts as dead: `process.kill(pid, 0)` succeeds on it, which made leak checks
// wait for a parent's reap rather than for the process's end.
import fs from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The state letter of /proc/<pid>/stat ('R', 'S', 'Z', …). */
  state: string;
  /** Clock ticks after boot (stat field 22): tells a process from a later one reusing its pid. */
  startTime: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** What /proc says about `pid` now; undefined once it is gone. */
export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      // A zombie's command line may be unreadable: its state still counts.
    }
    return { pid, ppid: Number(fields[1]), state: fields[0] ?? '', startTime: Number(fields[19]), command };
  } catch {
    return undefined; // exited while we looked
  }
}

/** True while `pid` exists and has not exited (a zombie has). */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  const info = readProcess(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Every process now, from /proc. */
export function allProcesses(): ProcessInfo[] {
  return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(name => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined);
}

/** Process ids whose parent is `pid`. */
export function childPids(pid = process.pid): number[] {
  return allProcesses().filter(p => p.ppid === pid).map(p => p.pid);
}

/**
 * Every process below `root` now (children, grandchildren, …). By parentage, not process group: puppeteer
 * starts browsers in process groups of their own.
 */
export function descendantProcesses(root: number): ProcessInfo[] {
  const all = allProcesses();
  const found: ProcessInfo[] = [];
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const children = all.filter(p => frontier.has(p.ppid));
    found.push(...children);
    frontier = new Set(children.map(p => p.pid));
  }
  return found;
}

export function descendants(root: number): number[] {
  return descendantProcesses(root).map(p => p.pid);
}

/** Those of `processes` still running as the same process (same pid and start time, not a zombie). */
export function stillRunning<P extends Pick<ProcessInfo, 'pid' | 'startTime'>>(processes: readonly P[]): P[] {
  return processes.filter(p => {
    const now = readProcess(p.pid);
    return now !== undefined && now.state !== 'Z' && now.startTime === p.startTime;
  });
}

/** Waits until every pid has exited, or `ms` passes; returns those still alive. */
export async function waitUntilGone(pids: readonly number[], ms = 8_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(pid => isAlive(pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50));
    alive = alive.filter(pid => isAlive(pid));
  }
  return alive;
}

/** Polls until `pid` is gone (the kernel reaps a killed browser asynchronously); false if it outlived `ms`. */
export async function waitForExit(pid: number | undefined, ms = 5_000): Promise<boolean> {
  if (pid === undefined) return true;
  return (await waitUntilGone([pid], ms)).length === 0;
}
