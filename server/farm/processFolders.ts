// Temporary folders named after the process that made them (`<tmp>/<prefix><pid>-<random>`). A process killed
// outright (SIGKILL, a power cut) cannot remove its own; the next process of its kind started on the machine
// does (a farm worker's plans and segments, a submitter's plan).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the folders under `prefix` whose process is gone, then makes this process's own. */
export function makeProcessFolder(prefix: string): string {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const match = /^(\d+)-/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '');
    if (match && !processAlive(Number(match[1]))) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}${process.pid}-`));
}
