#!/usr/bin/env node
// Benchmarks `check` on the example composition (examples/hello):
//   cold: `node dist/cli.js check` in a new process each run (launch Chromium, compile, probe, close);
//   warm: compile + probe with one warm browser reused across runs (what the language server does on save);
//   compile of a generated 2,000-clip composition (relative starts included).
// Medians over --runs runs (default 10). Needs `npm run build` (dist/cli.js, dist/runtime.js); runs the
// engine from source through tsx for the in-process measurements.
// usage: node scripts/bench-check.mjs [--runs 10]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 10;
const CLIPS = 2000;
const TARGETS = { coldCheckMs: 2500, warmProbeMs: 400, compile2000Ms: 100 };
const cli = path.join(root, 'dist/cli.js');
const runtimePath = path.join(root, 'dist/runtime.js');
const example = path.join(root, 'examples/hello/index.html');
for (const built of [cli, runtimePath]) {
  if (!fs.existsSync(built)) {
    console.error(`${path.relative(root, built)} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = value => `${value.toFixed(0).padStart(5)} ms`;
const verdict = (value, target) => (value <= target ? `ok (target ≤ ${target} ms)` : `OVER target ≤ ${target} ms`);

// Cold: a new process per run, as a user or CI runs it.
const cold = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'check', example, '--json'], { encoding: 'utf8' });
  cold.push(performance.now() - started);
  if (result.status !== 0) {
    console.error(`check failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
}

// Warm: one browser for every run, as the language server keeps it.
const { WarmBrowser } = tsxRequire('../server/engine/browser.ts', import.meta.url);
const { checkComposition } = tsxRequire('../server/engine/probe/index.ts', import.meta.url);
const { compile } = tsxRequire('../server/engine/compile/index.ts', import.meta.url);
const warm = new WarmBrowser();
const warmTotal = [];
const warmProbe = [];
try {
  await warm.acquire();
  await checkComposition(example, { browser: warm, runtimePath }); // first page load warms caches
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = await checkComposition(example, { browser: warm, runtimePath });
    warmTotal.push(performance.now() - started);
    warmProbe.push(result.probeMs);
  }
} finally {
  await warm.close();
}

// Compile of a generated composition with 2,000 clips on 8 tracks, every other one starting relative to the previous.
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-compile-'));
const compileTimes = [];
try {
  const clips = [];
  for (let i = 0; i < CLIPS; i++) {
    const start = i % 2 === 1 ? `clip-${i - 1} - 0.5` : (i * 0.25).toFixed(2);
    clips.push(`    <div id="clip-${i}" class="clip" data-start="${start}" data-duration="1" data-track-index="${i % 8}">Clip ${i}</div>`);
  }
  const entry = path.join(project, 'index.html');
  fs.writeFileSync(entry, `<!doctype html>\n<html>\n<head><meta charset="utf-8"></head>\n<body>\n`
    + `  <div id="root" data-composition-id="big" data-width="1920" data-height="1080" data-fps="30" data-duration="600">\n`
    + `${clips.join('\n')}\n  </div>\n</body>\n</html>\n`);
  await compile({ entryFile: entry }); // warm-up (module JIT)
  for (let run = 0; run < RUNS; run++) compileTimes.push((await compile({ entryFile: entry })).compileMs);
} finally {
  fs.rmSync(project, { recursive: true, force: true });
}

const summary = {
  runs: RUNS,
  coldCheckMs: median(cold),
  warmCheckMs: median(warmTotal),
  warmProbeMs: median(warmProbe),
  compile2000Ms: median(compileTimes),
};
console.log(`check on examples/hello, median of ${RUNS} runs (${os.cpus().length} cores)`);
console.log(`  cold check (new process)     ${ms(summary.coldCheckMs)}  ${verdict(summary.coldCheckMs, TARGETS.coldCheckMs)}`);
console.log(`  warm check (compile + probe) ${ms(summary.warmCheckMs)}`);
console.log(`  warm probe                   ${ms(summary.warmProbeMs)}  ${verdict(summary.warmProbeMs, TARGETS.warmProbeMs)}`);
console.log(`  compile, ${CLIPS} clips          ${ms(summary.compile2000Ms)}  ${verdict(summary.compile2000Ms, TARGETS.compile2000Ms)}`);
console.log(JSON.stringify(summary));
