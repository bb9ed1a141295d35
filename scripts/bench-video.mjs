#!/usr/bin/env node
// npm run bench:video: the slow real cases, compositions built around video clips, rendered with our CLI and
// with the reference CLI (../shared/tools/peer-render.sh) in the same run, alternating; prints each one's
// median wall time, their ratio, our capture fps and per-stage ms, and the peak memory of each process tree.
//   two-clips  1920x1080, 6 s: two 1080p clips side by side (one a variable-frame-rate screen recording,
//              default GOP), a caption and a GSAP lower third.
//   portrait   1080x1920, 6 s: a full-frame a-roll clip, three timed captions and animated overlays.
// The sources are generated with ffmpeg in the run (same bytes every run), so nothing is downloaded.
// usage: node scripts/bench-video.mjs [--runs N] [--no-peer] [--only NAME] [--warm] [--keep DIR] [-- extra render flags]
//   Each of our runs starts with an empty video frame cache (a first render), unless --warm: then the runs
//   share one, and all but the first reuse the frames it extracted (a second render).
//   --keep DIR: leave the composition folders and the first run's videos (ours-NAME.mp4, peer-NAME.mp4) in
//   DIR, to compare pixels afterwards (scripts/compare-peer.mjs, or ffmpeg's psnr filter between two runs).
// Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, PEER_SCRIPT } from './bench-render.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_S = 6;
const FPS = 30;

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-v', 'error', ...args, '-y'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function setUp(dir) {
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}\n');
  fs.copyFileSync(path.join(root, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'gsap.min.js'));
}

const CAPTION_STYLE = `.caption { position: absolute; left: 0; right: 0; text-align: center; color: #fff; font-weight: bold;
  font-family: "DejaVu Sans", sans-serif; text-shadow: 0 4px 12px rgba(0,0,0,.8); }`;

/** Two 1080p clips (camera-like and a VFR screen recording) side by side, a caption and a lower third. */
export function writeTwoClipsComposition(dir) {
  setUp(dir);
  // Camera-like: moving test pattern, x264 defaults (GOP 250: one keyframe for the whole clip).
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${DURATION_S + 1}`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', path.join(dir, 'media/camera.mp4')]);
  // Screen recording: mostly still picture whose frames arrive irregularly (variable frame rate): a frame
  // only every 1–3 source ticks, kept with their own timestamps.
  ffmpeg(['-f', 'lavfi', '-i', `mandelbrot=s=1920x1080:r=30,trim=duration=${DURATION_S + 1}`,
    '-vf', "select='not(mod(n\\,3))+eq(mod(n\\,7)\\,1)',drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='%{pts\\:hms}':x=40:y=40:fontsize=64:fontcolor=white:box=1:boxcolor=black",
    '-fps_mode', 'vfr', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', path.join(dir, 'media/screen.mp4')]);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
#root { position: relative; width: 1920px; height: 1080px; overflow: hidden; background: #111827; }
#camera { position: absolute; left: 40px; top: 200px; width: 900px; height: 506px; object-fit: cover; border-radius: 16px; }
#screen { position: absolute; left: 980px; top: 200px; width: 900px; height: 506px; object-fit: cover; border-radius: 16px; }
${CAPTION_STYLE}
#caption { bottom: 120px; font-size: 64px; }
#lower { position: absolute; left: 40px; top: 60px; width: 700px; height: 90px; background: #2563eb; border-radius: 12px; }
</style></head><body>
<div id="root" data-composition-id="two-clips" data-start="0" data-width="1920" data-height="1080" data-fps="${FPS}" data-duration="${DURATION_S}">
  <video id="camera" src="media/camera.mp4" muted playsinline data-start="0" data-duration="${DURATION_S}" data-track-index="0"></video>
  <video id="screen" src="media/screen.mp4" muted playsinline data-start="0.5" data-duration="${DURATION_S - 0.5}" data-media-start="0.3" data-track-index="1"></video>
  <div id="caption" class="clip caption" data-start="1" data-duration="4" data-track-index="2">Two clips, one caption</div>
  <div id="lower"></div>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.from('#lower', { x: -760, duration: 0.8, ease: 'power3.out' }, 0.2)
    .from('#caption', { y: 40, opacity: 0, duration: 0.5 }, 1)
    .to('#lower', { opacity: 0.3, duration: 0.5 }, 5);
  window.__timelines = window.__timelines || {};
  window.__timelines['two-clips'] = tl;
</script>
</body></html>
`);
  return dir;
}

/** Portrait 1080x1920: a full-frame a-roll clip, timed captions and animated overlays (a production short). */
export function writePortraitComposition(dir) {
  setUp(dir);
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=1080x1920:r=30:d=${DURATION_S + 1}`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', path.join(dir, 'media/aroll.mp4')]);
  const captions = ['This is the a-roll', 'with captions on top', 'and overlays that move'];
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
#root { position: relative; width: 1080px; height: 1920px; overflow: hidden; background: #000; }
#aroll { position: absolute; left: 0; top: 0; width: 1080px; height: 1920px; object-fit: cover; }
${CAPTION_STYLE}
.caption { top: 1400px; font-size: 72px; }
#badge { position: absolute; right: 60px; top: 120px; width: 220px; height: 220px; border-radius: 50%; background: #f43f5e; }
#banner { position: absolute; left: 60px; top: 1650px; width: 960px; height: 120px; border-radius: 20px; background: rgba(15,23,42,.85); }
#progress { position: absolute; left: 0; top: 0; width: 1080px; height: 16px; background: #22c55e; transform-origin: left center; }
</style></head><body>
<div id="root" data-composition-id="portrait" data-start="0" data-width="1080" data-height="1920" data-fps="${FPS}" data-duration="${DURATION_S}">
  <video id="aroll" src="media/aroll.mp4" muted playsinline data-start="0" data-duration="${DURATION_S}" data-track-index="0"></video>
${captions.map((text, i) => `  <div id="cap${i}" class="clip caption" data-start="${i * 2}" data-duration="2" data-track-index="${i + 1}">${text}</div>`).join('\n')}
  <div id="badge"></div><div id="banner"></div><div id="progress"></div>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.from('#badge', { scale: 0, duration: 0.6, ease: 'back.out(2)' }, 0.3)
    .to('#badge', { rotation: 360, duration: 4 }, 1)
    .from('#banner', { y: 300, duration: 0.7, ease: 'power2.out' }, 0.5)
    .fromTo('#progress', { scaleX: 0 }, { scaleX: 1, duration: ${DURATION_S}, ease: 'none' }, 0)
${captions.map((_, i) => `    .from('#cap${i}', { y: 30, opacity: 0, duration: 0.3 }, ${i * 2})`).join('\n')};
  window.__timelines = window.__timelines || {};
  window.__timelines['portrait'] = tl;
</script>
</body></html>
`);
  return dir;
}

export const VIDEO_BENCH_COMPOSITIONS = { 'two-clips': writeTwoClipsComposition, portrait: writePortraitComposition };

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = bytes => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const all = process.argv.slice(2);
  const dashes = all.indexOf('--');
  const argv = dashes >= 0 ? all.slice(0, dashes) : all;
  const extra = dashes >= 0 ? all.slice(dashes + 1) : [];
  const flag = name => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const runs = Number(flag('--runs') ?? 3);
  const withPeer = !argv.includes('--no-peer') && fs.existsSync(PEER_SCRIPT);
  const only = flag('--only');
  const keep = flag('--keep') ? path.resolve(flag('--keep')) : undefined;
  const warm = argv.includes('--warm');
  const cli = path.join(root, 'dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-video-'));
  fs.mkdirSync(work, { recursive: true });
  try {
    for (const [name, write] of Object.entries(VIDEO_BENCH_COMPOSITIONS)) {
      if (only && only !== name) continue;
      const dir = write(path.join(work, name));
      console.log(`${name}: ${runs} run(s) each${withPeer ? ', ours and the reference alternating' : ' (no reference)'}; ${warm ? 'one shared frame cache (run 1 cold, then warm)' : 'cold frame cache every run'}`);
      const ours = [];
      const peer = [];
      for (let run = 1; run <= runs; run++) {
        const out = path.join(work, run === 1 ? `ours-${name}.mp4` : `ours-${name}-${run}.mp4`);
        // The frame cache lives under XDG_CACHE_HOME (capture/videoFrameCache.ts): a fresh one per run is a cold render.
        const cacheHome = path.join(work, warm ? `cache-${name}` : `cache-${name}-${run}`);
        const result = await measure(process.execPath, [cli, 'render', path.join(dir, 'index.html'), '-o', out, '--json', ...extra], { env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
        if (!warm) fs.rmSync(cacheHome, { recursive: true, force: true });
        const summary = JSON.parse(result.stdout.trim().split('\n').pop());
        ours.push({ ...result, summary });
        console.log(`  ours  #${run}: ${seconds(result.wallMs)} wall, capture ${summary.timings.captureMs} ms (${(summary.frames / (summary.timings.captureMs / 1000)).toFixed(1)} fps), peak ${mb(result.peakBytes)}`);
        if (run > 1) fs.rmSync(out, { force: true });
        if (withPeer) {
          const peerOut = path.join(work, run === 1 ? `peer-${name}.mp4` : `peer-${name}-${run}.mp4`);
          const measured = await measure('sh', [PEER_SCRIPT, dir, peerOut]);
          peer.push(measured);
          console.log(`  peer  #${run}: ${seconds(measured.wallMs)} wall, peak ${mb(measured.peakBytes)}`);
          if (run > 1) fs.rmSync(peerOut, { force: true });
        }
      }
      const oursWall = median(ours.map(r => r.wallMs));
      const captureMs = median(ours.map(r => r.summary.timings.captureMs));
      const middle = ours.find(r => r.wallMs === oursWall) ?? ours[0];
      const frames = middle.summary.frames;
      console.log(`  ours:      median ${seconds(oursWall)} wall · capture median ${captureMs} ms = ${(frames / (captureMs / 1000)).toFixed(1)} fps · peak ${mb(Math.max(...ours.map(r => r.peakBytes)))} RSS sum`);
      console.log(`             ${middle.summary.captureMode}, ${middle.summary.workers} worker(s) · ` + Object.entries(middle.summary.timings).map(([k, v]) => `${k} ${v}`).join(' · '));
      if (peer.length) {
        const peerWall = median(peer.map(r => r.wallMs));
        console.log(`  reference: median ${seconds(peerWall)} wall · peak ${mb(Math.max(...peer.map(r => r.peakBytes)))} RSS sum`);
        console.log(`  ratio:     ${(peerWall / oursWall).toFixed(2)}x the reference's speed by median wall time (target ≥ 3x)`);
      }
    }
  } finally {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(error => { console.error(error instanceof Error ? error.message : error); process.exit(1); });
}
