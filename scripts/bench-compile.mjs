#!/usr/bin/env node
// Benchmarks the compile stage in-process (no build needed: TypeScript through tsx): median wall time of
// compile() on a generated composition of N clips (default 2,000; a chain of relative starts) and on the
// bundled example. Target on the reference 2-core machine: ≤ 100 ms for 2,000 clips.
// usage: node scripts/bench-compile.mjs [--clips 2000] [--runs 15]
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const flag = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const CLIPS = flag('--clips', 2000);
const RUNS = flag('--runs', 15);
const WARMUP_RUNS = 3;

const { compile } = await tsImport(path.join(root, 'server/engine/compile/index.ts'), import.meta.url);
const { manyClipsComposition } = await tsImport(path.join(root, 'tests/fixtures/compile/manyClips.ts'), import.meta.url);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measure(label, input) {
  const times = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    const started = performance.now();
    const result = await compile(input);
    const elapsed = performance.now() - started;
    if (run >= WARMUP_RUNS) times.push(elapsed);
    if (run === 0 && result.diagnostics.some(d => d.severity === 'error')) {
      console.error(`${label}: compile reported errors`, result.diagnostics.filter(d => d.severity === 'error'));
      process.exit(1);
    }
  }
  console.log(`${label}: median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}, ${RUNS} runs after ${WARMUP_RUNS} warm-up)`);
}

const generatedEntry = path.join(root, 'tests/fixtures/compile/generated/many.html');
const generatedText = manyClipsComposition(CLIPS);
await measure(`compile ${CLIPS} clips (${(generatedText.length / 1024).toFixed(0)} KiB)`,
  { entryFile: generatedEntry, readOverlay: file => (file === generatedEntry ? generatedText : undefined) });
await measure('compile examples/hello', { entryFile: path.join(root, 'examples/hello/index.html') });
