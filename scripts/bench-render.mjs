#!/usr/bin/env node
// npm run bench: renders generated compositions with our CLI and with the reference HyperFrames CLI
// (../shared/tools/peer-render.sh) in the same run, alternating, and prints for each the median wall times
// and their ratio, our frames per second, the peak memory of each process tree (sum of RSS, sampled from
// /proc), our per-stage milliseconds and the capture's own phases (seek, paint, grab, waiting for the encoder;
// static frames reused), then one table.
//   gsap   1920x1080, 5 s: the GSAP example (gradients, shadows, text, a per-frame counter)
//   holds  1920x1080, 8 s: three 1 s animations, each followed by a 2 s hold (static frames)
//   video  1920x1080, 6 s: two 1080p clips, one a VFR screen recording, with text overlays (bench-video.mjs)
//   video-again  the same, rendered again: its clips' frames come from the frame cache (an edit to the text or
//                timing, not to the clips); the reference renders it as it did the first time
// usage: node scripts/bench-render.mjs [--runs N] [--no-peer] [--only gsap,holds,video,video-again] [--keep DIR]
//                                      [--workers N] [--quality Q] [--capture-every-frame]
// Needs `npm run build`. The first peer run installs the reference CLI into ~/.cache (slow, once).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PEER_SCRIPT = process.env.PEER_RENDER ?? path.resolve(root, '../shared/tools/peer-render.sh');
const SAMPLE_MS = 100;
const TIME_BINARY = '/usr/bin/time';

/** The benchmark composition: gradient stage, title, boxes with a shadow and a border, a radial circle,
 *  a progress bar and a per-frame counter, all driven by one paused GSAP timeline of exactly 5 s. */
export function writeBenchComposition(dir, { width = 1920, height = 1080, duration = 5, fps = 30 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}\n');
  fs.copyFileSync(path.join(root, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'gsap.min.js'));
  const frames = Math.round(duration * fps);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
#stage { position: relative; width: ${width}px; height: ${height}px; overflow: hidden; font-family: "DejaVu Sans", sans-serif;
         background: linear-gradient(135deg, #0b1020 0%, #1b2a5a 100%); }
.title { position: absolute; left: 120px; top: 160px; font-size: 120px; font-weight: bold; color: #fff; }
.subtitle { position: absolute; left: 126px; top: 320px; font-size: 48px; color: #9fb4ff; }
.box { position: absolute; width: 200px; height: 200px; border-radius: 24px; top: 620px; }
#a { left: 120px; background: #ff5a5f; box-shadow: 0 12px 32px rgba(0,0,0,.5); }
#b { left: 420px; background: #2ec4b6; border: 8px solid #fff; }
#c { left: 720px; background: #ffbf00; }
#d { left: 1020px; background: #8e44ad; }
#circle { position: absolute; right: 200px; top: 140px; width: 320px; height: 320px; border-radius: 50%;
          background: radial-gradient(circle at 35% 35%, #fff, #ff4fd8 60%, #6a00ff); }
#bar { position: absolute; left: 0; bottom: 0; height: 24px; width: ${width}px; background: #3cff7a; transform-origin: left center; }
#counter { position: absolute; right: 120px; bottom: 80px; font-size: 96px; color: #fff; font-variant-numeric: tabular-nums; }
</style></head><body>
<div id="stage" data-composition-id="bench" data-start="0" data-width="${width}" data-height="${height}" data-fps="${fps}" data-duration="${duration}">
  <div id="title" class="clip title" data-start="0" data-duration="${duration}" data-track-index="0">Benchmark composition</div>
  <div id="subtitle" class="clip subtitle" data-start="0.5" data-duration="${duration - 0.5}" data-track-index="1">GSAP, gradients, shadows, text</div>
  <div id="a" class="box"></div><div id="b" class="box"></div><div id="c" class="box"></div><div id="d" class="box"></div>
  <div id="circle"></div><div id="bar"></div><div id="counter">0</div>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  const counter = { frame: 0 };
  tl.from('#title', { y: 80, opacity: 0, duration: 0.8, ease: 'power3.out' }, 0)
    .from('#subtitle', { x: -60, opacity: 0, duration: 0.6 }, 0.5)
    .to('#a', { x: 1200, rotation: 360, duration: 4, ease: 'power1.inOut' }, 0.5)
    .to('#b', { y: -300, duration: 1.5, yoyo: true, repeat: 1 }, 0.5)
    .to('#c', { scale: 1.5, duration: 3 }, 1)
    .to('#d', { rotation: -180, opacity: 0.4, duration: 2 }, 2)
    .to('#circle', { x: -700, duration: ${duration}, ease: 'none' }, 0)
    .fromTo('#bar', { scaleX: 0 }, { scaleX: 1, duration: ${duration}, ease: 'none' }, 0)
    .to(counter, { frame: ${frames}, duration: ${duration}, ease: 'none',
                   onUpdate: () => { document.getElementById('counter').textContent = String(Math.round(counter.frame)); } }, 0);
  window.__timelines = window.__timelines || {};
  window.__timelines['bench'] = tl;
</script>
</body></html>
`);
  return path.join(dir, 'index.html');
}

/** The composition with long static holds: 1920x1080, 8 s at 30 fps, three 1 s animations (0–1, 3–4, 6–7 s)
 *  each followed by a 2 s hold in which nothing on the page moves (a title card, a quote, an end card). */
export function writeHoldsComposition(dir, { width = 1920, height = 1080, fps = 30 } = {}) {
  const duration = 8;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}\n');
  fs.copyFileSync(path.join(root, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'gsap.min.js'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
#stage { position: relative; width: ${width}px; height: ${height}px; overflow: hidden; font-family: "DejaVu Sans", sans-serif;
         background: linear-gradient(135deg, #101826 0%, #3a1c5a 100%); }
.card { position: absolute; left: 160px; top: 300px; width: 1600px; color: #fff; }
.card h1 { font-size: 120px; margin: 0; }
.card p { font-size: 52px; color: #c7d2fe; margin: 24px 0 0; }
#dot { position: absolute; left: 160px; top: 860px; width: 120px; height: 120px; border-radius: 50%;
       background: radial-gradient(circle at 35% 35%, #fff, #22d3ee 60%, #1e3a8a); box-shadow: 0 12px 40px rgba(0,0,0,.5); }
#rule { position: absolute; left: 160px; top: 780px; width: 1600px; height: 10px; background: #f472b6; transform-origin: left center; }
</style></head><body>
<div id="stage" data-composition-id="holds" data-start="0" data-width="${width}" data-height="${height}" data-fps="${fps}" data-duration="${duration}">
  <div id="intro" class="clip card" data-start="0" data-duration="3" data-track-index="0"><h1>Static holds</h1><p>A title card held for two seconds</p></div>
  <div id="quote" class="clip card" data-start="3" data-duration="3" data-track-index="0"><h1>“A quote”</h1><p>held on screen while the viewer reads it</p></div>
  <div id="end" class="clip card" data-start="6" data-duration="2" data-track-index="0"><h1>The end card</h1><p>holds until the last frame</p></div>
  <div id="rule"></div><div id="dot"></div>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  for (const [id, at] of [['#intro', 0], ['#quote', 3], ['#end', 6]]) {
    tl.from(id + ' h1', { y: 80, opacity: 0, duration: 0.7, ease: 'power3.out' }, at)
      .from(id + ' p', { x: -60, opacity: 0, duration: 0.6 }, at + 0.3)
      .fromTo('#rule', { scaleX: 0 }, { scaleX: 1, duration: 1, ease: 'power2.inOut', immediateRender: false }, at)
      .to('#dot', { x: (at / 3 + 1) * 500, rotation: 120 * (at / 3 + 1), duration: 1, ease: 'power1.inOut' }, at);
  }
  window.__timelines = window.__timelines || {};
  window.__timelines['holds'] = tl;
</script>
</body></html>
`);
  return path.join(dir, 'index.html');
}

/** All descendants of pid, pid included. */
function processTree(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* gone */ }
  }
  const tree = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift();
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Resident and proportional set size of one process in bytes (PSS shares pages among their users). */
function memoryBytes(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = name => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** CPU seconds one process has used so far (user + system; Linux's USER_HZ is 100). */
function cpuSecondsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * What a process of a render is, from its command line: where the CPU of a render goes (the capture browser,
 * its renderers, the video frame extraction, the encoder, node), for ours and for the reference alike.
 */
function processKind(pid) {
  let command;
  try {
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return 'other';
  }
  const program = path.basename(command[0] ?? '');
  const has = text => command.some(arg => arg.includes(text));
  if (/chrom/i.test(program)) {
    if (has('--type=renderer')) return 'chromium renderers';
    return has('--type=') ? 'chromium (other)' : 'chromium browser';
  }
  if (program.startsWith('ffmpeg')) {
    if (has('libx264') || has('libx265') || has('libvpx') || has('prores')) return 'encoder (ffmpeg)';
    // Our extraction selects the frames it writes (videoFrameExtraction.ts); any other ffmpeg, the reference's included, is "ffmpeg (other)".
    return has('-frame_pts') ? 'video extraction (ffmpeg)' : 'ffmpeg (other)';
  }
  if (program.startsWith('ffprobe')) return 'ffprobe';
  if (program.startsWith('node')) return 'node';
  return 'other';
}

/** "chromium browser 9.9 s · chromium renderers 7.2 s · …": CPU seconds by process kind, largest first. */
function describeCpuByKind(byKind) {
  return Object.entries(byKind).filter(([, seconds]) => seconds >= 0.01).sort((a, b) => b[1] - a[1])
    .map(([kind, seconds]) => `${kind} ${seconds.toFixed(2)} s`).join(' · ');
}

/**
 * Runs a command, sampling the RSS (and PSS) sums of its process tree; resolves with wall ms, peaks, stdout,
 * and the sampled CPU seconds by process kind (processKind).
 */
export function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // /usr/bin/time adds the CPU seconds of the whole tree (children's rusage reaches it as they are reaped):
    // on a shared machine, wall time depends on the neighbours, CPU time much less. A process whose parent exits
    // first is reaped by init and never counted (Chromium's renderers outlive their browser at close: a video
    // render read 1.2 cores by rusage while its capture ran at 1.9), so each process's CPU is also sampled from
    // /proc, and the larger of the two sums is the run's CPU (both can only miss time, never add it).
    const cpuFile = path.join(os.tmpdir(), `hf-bench-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const timed = fs.existsSync(TIME_BINARY);
    const child = timed
      ? spawn(TIME_BINARY, ['-f', '%U %S', '-o', cpuFile, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options })
      : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr = (stderr + chunk).slice(-8000); });
    let peak = 0;
    let peakPss = 0;
    /** The last CPU seconds sampled for each process of the tree, by pid. */
    const sampledCpu = new Map();
    /** Each sampled process's kind, as last seen: a process just forked shows its parent's command line until it execs. */
    const kinds = new Map();
    const timer = setInterval(() => {
      const pids = processTree(child.pid);
      for (const pid of pids) {
        sampledCpu.set(pid, Math.max(sampledCpu.get(pid) ?? 0, cpuSecondsOf(pid)));
        const kind = processKind(pid);
        if (kind !== 'other' || !kinds.has(pid)) kinds.set(pid, kind);
      }
      const tree = pids.map(memoryBytes);
      peak = Math.max(peak, tree.reduce((sum, m) => sum + m.rss, 0));
      peakPss = Math.max(peakPss, tree.reduce((sum, m) => sum + m.pss, 0));
    }, SAMPLE_MS);
    child.on('error', reject);
    child.on('exit', code => {
      clearInterval(timer);
      const wallMs = performance.now() - started;
      let cpuSeconds;
      if (timed && fs.existsSync(cpuFile)) {
        const [user, system] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpuSeconds = user + system;
        fs.rmSync(cpuFile, { force: true });
      }
      const sampled = [...sampledCpu.values()].reduce((sum, seconds) => sum + seconds, 0);
      if (cpuSeconds === undefined || sampled > cpuSeconds) cpuSeconds = sampled;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`));
      const cpuByKind = {};
      for (const [pid, seconds] of sampledCpu) {
        const kind = kinds.get(pid) ?? 'other';
        cpuByKind[kind] = (cpuByKind[kind] ?? 0) + seconds;
      }
      resolve({ wallMs, cpuSeconds, cpuByKind, peakBytes: peak, peakPssBytes: peakPss, stdout, stderr });
    });
  });
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cpu = run => (run.cpuSeconds === undefined ? '?' : `${run.cpuSeconds.toFixed(2)} s`);
const mb = bytes => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The compositions of `npm run bench`: name → writer (returns the entry file) and what it stands for. */
async function benchCompositions() {
  // Imported here, not at the top: bench-video.mjs imports this module's measure().
  const { writeTwoClipsComposition } = await import('./bench-video.mjs');
  return {
    gsap: { describe: '1920x1080, 5 s, 30 fps GSAP composition', write: dir => writeBenchComposition(dir), target: 2.5 },
    holds: { describe: '1920x1080, 8 s, 30 fps: three 1 s animations, each followed by a 2 s static hold', write: dir => writeHoldsComposition(dir), target: 3 },
    video: { describe: '1920x1080, 6 s, 30 fps: two 1080p clips (one a VFR screen recording), a caption and a lower third', write: dir => path.join(writeTwoClipsComposition(dir), 'index.html'), target: 3, cache: 'empty' },
    'video-again': { describe: 'the video composition rendered again, its clips\' frames in the frame cache', write: dir => path.join(writeTwoClipsComposition(dir), 'index.html'), cache: 'warm' },
  };
}

/** The engine's own account of the capture (--verbose): per-phase ms and the static frames reused. */
function captureReport(stderr) {
  const phases = /capture: ms summed over[^:]*: (.*)/.exec(stderr)?.[1];
  const reused = /static frames: (\d+) of (\d+) reused/.exec(stderr);
  const workers = /capture workers: (.*)/.exec(stderr)?.[1];
  return [phases && `capture phases ${phases}`, reused && `${reused[1]}/${reused[2]} static frames reused`, workers && `workers: ${workers}`].filter(Boolean).join(' · ');
}

async function main() {
  const argv = process.argv.slice(2);
  const flag = name => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const runs = Number(flag('--runs') ?? 3);
  const withPeer = !argv.includes('--no-peer') && fs.existsSync(PEER_SCRIPT);
  const only = flag('--only')?.split(',');
  const keep = flag('--keep') ? path.resolve(flag('--keep')) : undefined;
  const extra = [];
  if (flag('--workers')) extra.push('--workers', flag('--workers'));
  if (flag('--quality')) extra.push('--quality', flag('--quality'));
  if (argv.includes('--capture-every-frame')) extra.push('--capture-every-frame');
  const cli = path.join(root, 'dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first.');

  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-'));
  fs.mkdirSync(work, { recursive: true });
  const table = [];
  try {
    for (const [name, bench] of Object.entries(await benchCompositions())) {
      if (only && !only.includes(name)) continue;
      const composition = path.join(work, name);
      const entry = bench.write(composition);
      console.log(`${name}: ${bench.describe}; ${runs} run(s) each${withPeer ? ', ours and the reference alternating' : ' (no reference)'}`);
      const ours = [];
      const peer = [];
      // The video frame cache (capture/videoFrameCache.ts) in a folder of the bench's own: empty for every run
      // of a first render; filled once, by an unmeasured render, for the re-render.
      const warmCache = path.join(work, `cache-${name}`);
      if (bench.cache === 'warm') {
        await measure(process.execPath, [cli, 'render', entry, '-o', path.join(work, `warm-${name}.mp4`), ...extra], { env: { ...process.env, XDG_CACHE_HOME: warmCache } });
      }
      for (let run = 1; run <= runs; run++) {
        const out = path.join(work, run === 1 ? `ours-${name}.mp4` : `ours-${name}-${run}.mp4`);
        const cacheHome = bench.cache === 'warm' ? warmCache : path.join(work, `cache-${name}-${run}`);
        const env = bench.cache ? { env: { ...process.env, XDG_CACHE_HOME: cacheHome } } : {};
        const result = await measure(process.execPath, [cli, 'render', entry, '-o', out, '--json', '--verbose', ...extra], env);
        if (bench.cache === 'empty') fs.rmSync(cacheHome, { recursive: true, force: true });
        if (run > 1 && !keep) fs.rmSync(out, { force: true });
        const summary = JSON.parse(result.stdout.trim().split('\n').pop());
        ours.push({ ...result, summary, report: captureReport(result.stderr) });
        console.log(`  ours  #${run}: ${(result.wallMs / 1000).toFixed(2)} s wall, ${cpu(result)} CPU, ${summary.frames} frames, peak ${mb(result.peakBytes)} (load ${os.loadavg()[0].toFixed(1)})`);
        if (withPeer) {
          const peerOut = path.join(work, run === 1 ? `peer-${name}.mp4` : `peer-${name}-${run}.mp4`);
          const measured = await measure('sh', [PEER_SCRIPT, composition, peerOut]);
          if (run > 1 && !keep) fs.rmSync(peerOut, { force: true });
          peer.push(measured);
          console.log(`  peer  #${run}: ${(measured.wallMs / 1000).toFixed(2)} s wall, ${cpu(measured)} CPU, peak ${mb(measured.peakBytes)} (load ${os.loadavg()[0].toFixed(1)})`);
        }
      }
      const oursWall = median(ours.map(r => r.wallMs));
      const middle = ours.find(r => r.wallMs === oursWall) ?? ours[0];
      const frames = middle.summary.frames;
      const peakOurs = Math.max(...ours.map(r => r.peakBytes));
      console.log(`  ours:      median ${(oursWall / 1000).toFixed(2)} s wall · ${(frames / (oursWall / 1000)).toFixed(1)} fps end to end · peak ${mb(peakOurs)} RSS sum / ${mb(Math.max(...ours.map(r => r.peakPssBytes)))} PSS (process tree)`);
      console.log(`             ${middle.summary.captureMode} capture, ${middle.summary.workers} worker(s) · ` +
        Object.entries(middle.summary.timings).map(([k, v]) => `${k} ${v}`).join(' · '));
      if (middle.report) console.log(`             ${middle.report}`);
      console.log(`             CPU by process (this run, sampled): ${describeCpuByKind(middle.cpuByKind)}`);
      const row = { name, ours: oursWall, fps: frames / (oursWall / 1000), peak: peakOurs };
      if (peer.length) {
        const peerWall = median(peer.map(r => r.wallMs));
        row.peer = peerWall;
        console.log(`  reference: median ${(peerWall / 1000).toFixed(2)} s wall · ${(frames / (peerWall / 1000)).toFixed(1)} fps · peak ${mb(Math.max(...peer.map(r => r.peakBytes)))} RSS sum / ${mb(Math.max(...peer.map(r => r.peakPssBytes)))} PSS`);
        const peerMiddle = peer.find(r => r.wallMs === peerWall) ?? peer[0];
        console.log(`             CPU by process (this run, sampled): ${describeCpuByKind(peerMiddle.cpuByKind)}`);
        console.log(`  ratio:     ${(peerWall / oursWall).toFixed(2)}x faster than the reference by median wall time${bench.target ? ` (target ≥ ${bench.target}x)` : ''}`);
        const cpus = list => median(list.map(r => r.cpuSeconds ?? NaN));
        console.log(`             ${(cpus(peer) / cpus(ours)).toFixed(2)}x less CPU time (median ${cpus(ours).toFixed(2)} s vs ${cpus(peer).toFixed(2)} s; load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
      }
      table.push(row);
    }
    console.log('');
    console.log('composition  ours (median)  reference  ratio  fps   peak memory');
    for (const row of table) {
      console.log(`${row.name.padEnd(12)} ${`${(row.ours / 1000).toFixed(2)} s`.padEnd(14)} ${row.peer ? `${(row.peer / 1000).toFixed(2)} s`.padEnd(10) : '—'.padEnd(10)} ${row.peer ? `${(row.peer / row.ours).toFixed(2)}x`.padEnd(6) : '—'.padEnd(6)} ${row.fps.toFixed(1).padEnd(5)} ${mb(row.peak)}`);
    }
  } finally {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => { console.error(error instanceof Error ? error.message : error); process.exit(1); });
}
