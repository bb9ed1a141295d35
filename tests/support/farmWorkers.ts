// `hyperframes-live farm worker` processes for the farm tests (dist/cli.js: `npm run build` first), with their
// log (stderr) and exit code, and a listing of what a storage or output folder still holds.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface FarmWorkerProcess {
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

export function startFarmWorkerProcess(url: string): FarmWorkerProcess {
  const child = spawn(process.execPath, [CLI, 'farm', 'worker', '--redis', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => log.push(text));
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  return { child, log, exited };
}

/** Files (not folders) under `dir`, relative to it; none when it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter(name => fs.statSync(path.join(dir, name)).isFile());
}
