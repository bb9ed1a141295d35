// The bundle loader (server/bundleLoader.ts) runs a CommonJS bundle with V8's code cache: each case runs a
// small bundle in a fresh Node (as dist/cli.js runs dist/cli-main.js) and reads what it printed, what the
// loader says it did with the cache, and what the cache folder holds afterwards.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CODE_CACHE_FOLDER, CODE_CACHE_OFF_ENV } from '../../server/engine/limits';

const LOADER = path.resolve(__dirname, '..', '..', 'server', 'bundleLoader.ts');

let dir: string;
let cacheHome: string;
let bundle: string;

/** A bundle that uses what Node's loader gives a module: require (builtin and relative), __dirname, module. */
function writeBundle(answer: string): void {
  fs.writeFileSync(path.join(dir, 'neighbour.js'), 'module.exports = "beside";\n');
  fs.writeFileSync(bundle, `"use strict";
const path = require("node:path");
const neighbour = require("./neighbour.js");
function work(n) { let sum = 0; for (let i = 0; i < n; i++) sum += i; return sum; }
module.exports = { answer: ${JSON.stringify(answer)} };
process.stdout.write(JSON.stringify({ answer: module.exports.answer, neighbour, dir: path.basename(__dirname), work: work(10) }) + "\\n");
`);
}

/** Runs the bundle through the loader in a new Node; its output and what the loader reported. */
function run(env: Record<string, string> = {}, keepsCache = true): { printed: { answer: string; neighbour: string; dir: string; work: number }; use: string } {
  const script = `const { runBundle } = require(${JSON.stringify(LOADER)});
const use = runBundle({ file: ${JSON.stringify(bundle)}, keepsCache: ${keepsCache} });
process.stdout.write(JSON.stringify({ use }) + "\\n");`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
  });
  const [printed, reported] = out.trim().split('\n').map(line => JSON.parse(line));
  return { printed, use: reported.use };
}

function cacheFiles(): string[] {
  const folder = path.join(cacheHome, CODE_CACHE_FOLDER);
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

describe('the bundle loader and its code cache', { timeout: 60_000 }, () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bundle-loader-'));
    cacheHome = path.join(dir, 'cache');
    bundle = path.join(dir, 'main.js');
    writeBundle('first');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the bundle runs as a module of its own folder; the first run writes the cache, the second compiles from it', () => {
    const first = run();
    assert.deepEqual(first.printed, { answer: 'first', neighbour: 'beside', dir: path.basename(dir), work: 45 });
    assert.equal(first.use, 'written at exit');
    const written = cacheFiles();
    assert.equal(written.length, 1);
    assert.match(written[0], new RegExp(`^main-${fs.statSync(bundle).size}-\\d+-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.cache$`));
    assert.ok(fs.statSync(path.join(cacheHome, CODE_CACHE_FOLDER, written[0])).size > 0);

    const second = run();
    assert.deepEqual(second.printed, first.printed);
    assert.equal(second.use, 'used');
    assert.deepEqual(cacheFiles(), written, 'nothing rewritten, nothing left beside it');
  });

  test('a rebuilt bundle of the same length runs its own code and replaces the old cache', () => {
    run();
    const before = cacheFiles();
    writeBundle('other');
    // The same length as before: V8's own check would take the old code.
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    const again = run();
    assert.equal(again.printed.answer, 'other');
    assert.equal(again.use, 'written at exit');
    const after = cacheFiles();
    assert.equal(after.length, 1, `one cache per bundle: ${after.join(', ')}`);
    assert.notEqual(after[0], before[0]);
  });

  test('a cache file that is not V8\'s is rejected, the bundle still runs, and the file is replaced', () => {
    run();
    const [name] = cacheFiles();
    const file = path.join(cacheHome, CODE_CACHE_FOLDER, name);
    fs.writeFileSync(file, 'not a code cache');
    const again = run();
    assert.equal(again.printed.answer, 'first');
    assert.equal(again.use, 'rejected, written at exit');
    assert.notEqual(fs.readFileSync(file, 'utf8'), 'not a code cache');
    assert.equal(run().use, 'used');
  });

  test(`${CODE_CACHE_OFF_ENV}=0 reads and writes nothing; a run that keeps nothing writes nothing`, () => {
    assert.equal(run({ [CODE_CACHE_OFF_ENV]: '0' }).use, 'off');
    assert.deepEqual(cacheFiles(), []);
    assert.equal(run({}, false).use, 'not kept');
    assert.deepEqual(cacheFiles(), []);
  });

  test('a cache folder that cannot be made costs only the speed', () => {
    // XDG_CACHE_HOME is a file: no folder can be made under it.
    fs.writeFileSync(cacheHome, 'a file');
    const result = run();
    assert.equal(result.printed.answer, 'first');
    assert.equal(run().printed.answer, 'first');
    assert.equal(fs.readFileSync(cacheHome, 'utf8'), 'a file');
  });
});
