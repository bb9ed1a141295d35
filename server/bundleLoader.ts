// Runs a bundle (dist/cli-main.js, dist/render-worker-main.js) with V8's code cache, so that a CLI command or a
// render worker does not compile the multi-MB bundle again each time it starts.
//
// Measured on this machine: `dist/cli.js --version` took 220 ms against 60 ms for an empty Node, most of it V8
// compiling the bundle; with the code cache, 150 ms. Node 20 has no `module.enableCompileCache` (22.1+), so
// the bundle runs here through `vm.Script` with `cachedData`, wrapped and called as Node's CommonJS loader
// would (`module`, `require`, `__dirname` of the bundle's own folder, so its neighbours are found beside it).
//
// The cache file is named by the bundle's size and mtime, Node's version and the architecture: V8 checks only
// the source's length and its own version and flags, so a rebuilt bundle of the same length would otherwise
// take code compiled from other source. It is written at the exit of a run that did real work (the compiled
// functions it holds are those that run used), atomically, and only when missing or rejected; older caches of
// the same bundle are removed then. A cache folder that cannot be written only costs the speed.
// Node builtins only, and nothing of the engine but two small modules: this runs before the bundle loads.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { userCacheFolder } from './engine/cacheFolder';
import { CODE_CACHE_FOLDER, CODE_CACHE_OFF_ENV } from './engine/limits';

export interface BundleRun {
  /** The bundle, absolute. */
  file: string;
  /** Whether this run's compiled code is worth keeping (a `--version` compiles almost nothing). */
  keepsCache: boolean;
}

/** The cache file for `file` as it is now on disk, for this Node: `<bundle>-<stamp>.cache`. */
function codeCacheFile(file: string): { path: string; bundle: string } {
  const stat = fs.statSync(file);
  const bundle = path.basename(file, '.js');
  const stamp = `${stat.size}-${Math.round(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return { path: path.join(userCacheFolder(CODE_CACHE_FOLDER), `${bundle}-${stamp}.cache`), bundle };
}

/** What Node's CommonJS loader has and its typings leave out. */
type ModuleInternals = typeof Module & {
  new (id: string, parent?: unknown): { exports: unknown; filename: string; loaded: boolean };
  wrap(source: string): string;
};

/** What the run did with the cache: compiled from it, compiled and will write it, or without it. */
export type CodeCacheUse = 'used' | 'written at exit' | 'rejected, written at exit' | 'not kept' | 'off';

export function runBundle(run: BundleRun): CodeCacheUse {
  const source = fs.readFileSync(run.file, 'utf8');
  const cacheOff = process.env[CODE_CACHE_OFF_ENV] === '0';
  const cacheFile = cacheOff ? undefined : tryOr(() => codeCacheFile(run.file), undefined);
  const cachedData = cacheFile ? tryOr(() => fs.readFileSync(cacheFile.path), undefined) : undefined;
  const Internals = Module as ModuleInternals;
  const script = new vm.Script(Internals.wrap(source), { filename: run.file, cachedData });
  const rejected = cachedData !== undefined && script.cachedDataRejected === true;
  const writes = cacheFile !== undefined && run.keepsCache && (!cachedData || rejected);
  if (writes) process.once('exit', () => writeCache(cacheFile, script));
  const bundle = new Internals(run.file, module);
  bundle.filename = run.file;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(bundle.exports, bundle.exports, Module.createRequire(run.file), bundle, run.file, path.dirname(run.file));
  bundle.loaded = true;
  if (cacheOff || !cacheFile) return 'off';
  if (writes) return rejected ? 'rejected, written at exit' : 'written at exit';
  return cachedData && !rejected ? 'used' : 'not kept';
}

function writeCache(cacheFile: { path: string; bundle: string }, script: vm.Script): void {
  try {
    const folder = path.dirname(cacheFile.path);
    fs.mkdirSync(folder, { recursive: true });
    const temporary = `${cacheFile.path}.partial-${process.pid}`;
    const data = script.createCachedData();
    fs.writeFileSync(temporary, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    fs.renameSync(temporary, cacheFile.path);
    // Caches of earlier builds of this bundle: the same name, another stamp (which starts with a digit, so
    // `cli-` never takes `cli-main-…`).
    const prefix = `${cacheFile.bundle}-`;
    for (const name of fs.readdirSync(folder)) {
      if (name.startsWith(prefix) && name !== path.basename(cacheFile.path) && /^\d/.test(name.slice(prefix.length))) fs.rmSync(path.join(folder, name), { force: true });
    }
  } catch {
    // A read-only or full cache folder: the next run compiles again.
  }
}

function tryOr<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}
