// Shared by the probe and file-server tests: the runtime built from source (so tests never run a stale
// dist/) and throwaway projects made from fixtures. Process liveness: tests/support/processes.ts.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const fixturesDir = path.join(repoRoot, 'tests/fixtures/probe');

let builtRuntime: string | undefined;

/** dist/runtime.js as of the current source, built once per test process into a temp folder. */
export function runtimeBundle(): string {
  if (builtRuntime && fs.existsSync(builtRuntime)) return builtRuntime;
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hf-runtime-')), 'runtime.js');
  esbuild.buildSync({
    entryPoints: [path.join(repoRoot, 'server/engine/runtime/index.ts')], bundle: true, format: 'iife',
    platform: 'browser', target: 'es2022', outfile, logLevel: 'silent',
  });
  builtRuntime = outfile;
  process.once('exit', () => fs.rmSync(path.dirname(outfile), { recursive: true, force: true }));
  return outfile;
}

export interface TempProject {
  root: string;
  file(relative: string): string;
  remove(): void;
}

/** Copies tests/fixtures/probe/<name> into a temp folder, with GSAP in vendor/ (never a CDN). */
export function projectFromFixture(name: string): TempProject {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `hf-probe-${name}-`)));
  fs.cpSync(path.join(fixturesDir, name), root, { recursive: true });
  fs.mkdirSync(path.join(root, 'vendor'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'node_modules/gsap/dist/gsap.min.js'), path.join(root, 'vendor/gsap.min.js'));
  return {
    root,
    file: relative => path.join(root, relative),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
