#!/usr/bin/env node
// npm run bench:farm: one machine, three ways to render the same composition, each through the CLI:
//   in-process      render ENTRY
//   --chunks 2      render ENTRY --chunks 2 (two chunks, each in its own worker process, joined without re-encoding)
//   farm, 2 workers render ENTRY --farm redis://… --chunks 2 with two `farm worker` processes on a redis-server
//                   started for the run (loopback, no persistence) and stopped after it
// for examples/hello (5 s, 1080p) and a generated 20 s 1280x720 GSAP composition. It prints the wall times, the
// plan and assembly overhead in ms and as a share of the in-process time, the per-chunk times, and what the
// chunk timings predict for N machines (plan + slowest chunk + assembly, the chunk being the critical path).
// On one 2-core machine the chunked and farm renders cannot be faster than in-process: they show the overhead.
// usage: node scripts/bench-farm.mjs [--runs N] [--only hello|long]   (needs `npm run build` and redis-server)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 1;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const LONG_SECONDS = 20;

function writeLongComposition(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}\n');
  fs.copyFileSync(path.join(root, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'gsap.min.js'));
  const cards = Array.from({ length: 10 }, (_, i) => `<div class="card" id="c${i}" style="top:${40 + (i % 5) * 130}px;background:hsl(${i * 36},70%,50%)">Card ${i + 1}</div>`).join('\n');
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #111; }
#root { position: relative; width: 1280px; height: 720px; overflow: hidden; background: linear-gradient(135deg, #1b2a4a, #4a1b3a); }
.card { position: absolute; left: -300px; width: 260px; height: 100px; border-radius: 16px; color: #fff;
  font: bold 36px "DejaVu Sans", sans-serif; display: flex; align-items: center; justify-content: center; }
#spin { position: absolute; right: 120px; top: 260px; width: 200px; height: 200px; border-radius: 24px; background: #fc3;
  animation: spin 4s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
</style></head><body>
<div id="root" data-composition-id="long" data-start="0" data-width="1280" data-height="720" data-fps="30" data-duration="${LONG_SECONDS}">
${cards}
<div id="spin"></div>
</div>
<script src="gsap.min.js"></script>
<script>
const tl = gsap.timeline({ paused: true });
for (let i = 0; i < 10; i++) {
  tl.to('#c' + i, { x: 1600, duration: 6, ease: 'power1.inOut' }, i * 1.4);
}
tl.set({}, {}, ${LONG_SECONDS});
window.__timelines = { long: tl };
</script>
</body></html>
`);
  return path.join(dir, 'index.html');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

async function startRedis(dir) {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
      return { url: `redis://127.0.0.1:${port}`, child };
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  child.kill();
  throw new Error('redis-server did not start');
}

/** Runs the CLI with --json; returns the wall time and the result event. */
function render(entry, output, extra) {
  const started = Date.now();
  const out = execFileSync(process.execPath, [cli, 'render', entry, '-o', output, '--json', ...extra], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  const wallMs = Date.now() - started;
  const result = out.trim().split('\n').map(line => JSON.parse(line)).find(event => event.event === 'result');
  if (!result) throw new Error(`no result from render ${extra.join(' ')}`);
  return { wallMs, result };
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function benchOne(name, entry, work) {
  const times = { inProcess: [], chunks: [], farm: [] };
  let chunked;
  let farmed;
  const redis = await startRedis(work);
  const workers = [0, 1].map(() => spawn(process.execPath, [cli, 'farm', 'worker', '--redis', redis.url], { stdio: 'ignore' }));
  try {
    for (let run = 0; run < runs; run++) {
      times.inProcess.push(render(entry, path.join(work, `${name}-in-process.mp4`), []).wallMs);
      const c = render(entry, path.join(work, `${name}-chunks.mp4`), ['--chunks', '2']);
      times.chunks.push(c.wallMs);
      chunked = c.result;
      const f = render(entry, path.join(work, `${name}-farm.mp4`), ['--farm', redis.url, '--chunks', '2']);
      times.farm.push(f.wallMs);
      farmed = f.result;
    }
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await new Promise(resolve => setTimeout(resolve, 1000));
    redis.child.kill('SIGTERM');
  }
  const inProcess = median(times.inProcess);
  const row = (label, ms, result) => {
    const t = result?.chunkTimings;
    const overhead = t ? t.planMs + t.assembleMs : undefined;
    console.log(`  ${label.padEnd(16)} ${(ms / 1000).toFixed(2).padStart(7)} s` + (t
      ? `   plan ${t.planMs} ms + assembly ${t.assembleMs} ms = ${overhead} ms (${((overhead / inProcess) * 100).toFixed(1)} % of in-process) · chunks ${t.perChunkMs.map(v => `${v} ms`).join(', ')}`
      : ''));
  };
  console.log(`${name}: ${chunked.frames} frames ${chunked.width}x${chunked.height} (median of ${runs})`);
  row('in-process', inProcess);
  row('--chunks 2', median(times.chunks), chunked);
  row('farm, 2 workers', median(times.farm), farmed);
  // One chunk per machine: the slowest chunk is the critical path; planning and assembly stay on the submitter.
  const t = farmed.chunkTimings;
  const perFrameMs = Math.max(...t.perChunkMs) / (farmed.frames / farmed.chunks);
  for (const machines of [2, 4, 8]) {
    const predicted = t.planMs + perFrameMs * (farmed.frames / machines) + t.assembleMs;
    console.log(`  ${machines} machines, ${machines} chunks (predicted from the chunk timings, chunk time ∝ frames; each chunk also pays its browser's start): ${(predicted / 1000).toFixed(2)} s`);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-farm-'));
try {
  if (!only || only === 'hello') await benchOne('hello', path.join(root, 'examples/hello/index.html'), work);
  if (!only || only === 'long') await benchOne(`long-${LONG_SECONDS}s`, writeLongComposition(path.join(work, 'long')), work);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
