#!/usr/bin/env node
// Measures the overhead of rendering from VS Code (the hyperframesLive.render command: extension host → render
// worker process → progress notifications) over the CLI, on the same machine in the same run: the end-to-end
// harness (code-server) runs the gated benchmark test of tests/e2e/suite/60-render.ts, which renders the example
// through the command and through `node dist/cli.js render`, alternating, and this prints the medians.
// usage: node scripts/bench-vscode-render.mjs [--runs N] [--entry path/to/index.html]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(arg('--runs', '3'));
const entry = path.resolve(arg('--entry', path.join(root, 'examples', 'hello', 'index.html')));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vscode-render-'));
const out = path.join(dir, 'samples.json');

try {
  const harness = spawnSync(process.execPath, [path.join(root, 'tests', 'e2e', 'run.mjs')], {
    cwd: root, stdio: 'inherit',
    env: {
      ...process.env, E2E_GREP: 'benchmark', E2E_TIMEOUT_MS: String(60 * 60_000),
      HYPERFRAMES_E2E_BENCH: out, HYPERFRAMES_E2E_BENCH_ENTRY: entry, HYPERFRAMES_E2E_BENCH_RUNS: String(runs),
    },
  });
  if (!fs.existsSync(out)) {
    console.error(`the benchmark wrote no samples (harness exit ${harness.status})`);
    process.exit(1);
  }
  const { samples } = JSON.parse(fs.readFileSync(out, 'utf8'));
  const median = values => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const vscodeMs = median(samples.filter(s => s.via === 'vscode').map(s => s.ms));
  const cliMs = median(samples.filter(s => s.via === 'cli').map(s => s.ms));
  console.log(`\n${path.relative(root, entry)}, ${runs} run(s) each, alternating (load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')})`);
  console.log(`  VS Code command: ${samples.filter(s => s.via === 'vscode').map(s => s.ms).join(', ')} ms → median ${vscodeMs} ms`);
  console.log(`  CLI:             ${samples.filter(s => s.via === 'cli').map(s => s.ms).join(', ')} ms → median ${cliMs} ms`);
  console.log(`  overhead: ${(((vscodeMs - cliMs) / cliMs) * 100).toFixed(1)} % (target ≤ 10 %)`);
  // Less sensitive to the machine's load: what the command adds around the render job itself (forking the
  // worker, IPC, the notification), from the same runs.
  const around = median(samples.filter(s => s.via === 'vscode').map(s => s.ms - s.renderMs));
  console.log(`  the command's time around the job (worker start, IPC, UI): median ${around} ms = ${((around / vscodeMs) * 100).toFixed(1)} % of a render`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
