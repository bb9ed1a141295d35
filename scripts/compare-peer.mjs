#!/usr/bin/env node
// Fidelity against the reference: renders fixtures with our CLI and with the HyperFrames CLI
// (../shared/tools/peer-render.sh), then prints the PSNR of evenly spaced frames, the reference's own
// method (hyperframes.md §4: select the same frame numbers on both inputs, ffmpeg's psnr filter, psnr_avg).
// Both videos are converted to RGB with their own colour tags first, so the comparison is of what a
// player shows, not of two encoders' YUV conventions.
// usage: node scripts/compare-peer.mjs [--samples N] [--min-db 35] [--flag FLAG ...] [--peer-flag FLAG ...] [fixture-dir ...]
// --flag passes one more flag (or value) to both renders (repeatable), e.g. --flag --variables --flag '{"title":"Hi"}'.
// --peer-flag passes one more flag to the reference's render (repeatable), e.g. --peer-flag --sdr: it renders
// HDR by default when a source is PQ/HLG, we render SDR.
// Default fixtures: examples/hello (GSAP, CSS animation, sub-composition, audio) and a generated one with
// a video clip and an audio clip. Needs `npm run build`. Exit 1 when a sampled frame is under --min-db.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, PEER_SCRIPT } from './bench-render.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * 640x360, 3 s: a video clip with an offset, GSAP motion, a CSS animation, an audio clip and a
 * sub-composition with its own timeline. No text: the reference swaps authored fonts for its own bundled
 * faces ("deterministic fonts"), which moves glyphs and would measure font choice, not rendering.
 */
export function writeMediaFixture(dir) {
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hyperframes.json'), '{}\n');
  fs.copyFileSync(path.join(root, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'gsap.min.js'));
  // A 4 s source at 30 fps whose colour changes every 5 frames, with a frame counter burnt in.
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=4', '-f', 'lavfi', '-i', 'sine=f=330:d=4',
    '-c:v', 'libx264', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', path.join(dir, 'media/clip.mp4')]);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=660:d=1:sample_rate=48000', '-af', 'volume=0.4', '-y', path.join(dir, 'media/ping.wav')]);
  fs.mkdirSync(path.join(dir, 'compositions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'compositions/card.html'), `<template>
  <div data-composition-id="card" data-width="640" data-height="360">
    <style>
      .card { position: absolute; left: 400px; top: 260px; width: 200px; height: 70px; border-radius: 14px; background: #2a9d8f; }
    </style>
    <div id="card-body" class="clip card" data-start="0" data-duration="1.5" data-track-index="0"></div>
    <script>
      const card = gsap.timeline({ paused: true });
      card.from('#card-body', { scale: 0.4, opacity: 0, duration: 0.6, ease: 'back.out(2)' }, 0);
      window.__timelines = window.__timelines || {};
      window.__timelines['card'] = card;
    </script>
  </div>
</template>
`);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
#root { position: relative; width: 640px; height: 360px; overflow: hidden; background: #14213d; font-family: "DejaVu Sans", sans-serif; }
#clip { position: absolute; left: 40px; top: 60px; width: 320px; height: 180px; }
#box { position: absolute; left: 400px; top: 60px; width: 80px; height: 80px; background: #fca311; border-radius: 12px; }
#pulse { position: absolute; left: 420px; top: 220px; width: 60px; height: 60px; border-radius: 50%; background: #e5e5e5; animation: pulse 1s ease-in-out infinite alternate; }
@keyframes pulse { from { transform: scale(0.5); opacity: 0.3; } to { transform: scale(1.2); opacity: 1; } }
#bar { position: absolute; left: 40px; top: 290px; width: 320px; height: 24px; background: #e63946; border-radius: 12px; }
</style></head><body>
<div id="root" data-composition-id="media" data-start="0" data-width="640" data-height="360" data-fps="30" data-duration="3">
  <video id="clip" src="media/clip.mp4" muted playsinline data-start="0.5" data-duration="2" data-media-start="0.6" data-track-index="0"></video>
  <div id="box"></div>
  <div id="pulse"></div>
  <div id="bar" class="clip" data-start="0.3" data-duration="2.7" data-track-index="1"></div>
  <div id="card" data-composition-id="card" data-composition-src="compositions/card.html" data-start="1.5" data-duration="1.5" data-track-index="3"></div>
  <audio id="ping" src="media/ping.wav" data-start="1" data-duration="0.5" data-track-index="2"></audio>
</div>
<script src="gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.to('#box', { x: 120, rotation: 180, duration: 2.5, ease: 'power1.inOut' }, 0)
    .from('#bar', { scaleX: 0, transformOrigin: 'left center', duration: 0.8 }, 0.3);
  window.__timelines = window.__timelines || {};
  window.__timelines['media'] = tl;
</script>
</body></html>
`);
  return dir;
}

function frameCount(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(out.trim());
}

/** PSNR (dB) per sampled frame number. */
function psnrAtFrames(ours, peer, frames, work) {
  const select = `select='${frames.map(n => `eq(n\\,${n})`).join('+')}',setpts=N/TB,format=rgb24`;
  const stats = path.join(work, `psnr-${path.basename(ours)}.log`);
  execFileSync('ffmpeg', ['-v', 'error', '-i', ours, '-i', peer, '-lavfi',
    `[0:v]${select}[a];[1:v]${select}[b];[a][b]psnr=stats_file=${stats}:shortest=1`, '-f', 'null', '-']);
  const lines = fs.readFileSync(stats, 'utf8').trim().split('\n');
  return lines.map((line, i) => {
    const value = /psnr_avg:(\S+)/.exec(line)?.[1];
    return { frame: frames[i], db: value === 'inf' ? Infinity : Number(value) };
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const flag = name => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : undefined; };
  const samples = Number(flag('--samples') ?? 12);
  const minDb = Number(flag('--min-db') ?? 35);
  const peerFlags = [];
  for (let value = flag('--peer-flag'); value !== undefined; value = flag('--peer-flag')) peerFlags.push(value);
  const bothFlags = [];
  for (let value = flag('--flag'); value !== undefined; value = flag('--flag')) bothFlags.push(value);
  if (!fs.existsSync(PEER_SCRIPT)) throw new Error(`The reference renderer script is missing: ${PEER_SCRIPT}`);
  const cli = path.join(root, 'dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-compare-'));
  let failed = false;
  try {
    const fixtures = argv.length ? argv.map(dir => path.resolve(dir)) : [path.join(root, 'examples/hello'), writeMediaFixture(path.join(work, 'media'))];
    for (const dir of fixtures) {
      const name = path.basename(dir);
      const ours = path.join(work, `${name}-ours.mp4`);
      const peer = path.join(work, `${name}-peer.mp4`);
      const oursRun = await measure(process.execPath, [cli, 'render', path.join(dir, 'index.html'), '-o', ours, ...bothFlags]);
      const peerRun = await measure('sh', [PEER_SCRIPT, dir, peer, ...bothFlags, ...peerFlags]);
      const count = Math.min(frameCount(ours), frameCount(peer));
      const frames = Array.from({ length: Math.min(samples, count) }, (_, i) => Math.round((i * (count - 1)) / Math.max(1, Math.min(samples, count) - 1)));
      const results = psnrAtFrames(ours, peer, [...new Set(frames)], work);
      const worst = Math.min(...results.map(r => r.db));
      failed ||= worst < minDb;
      console.log(`${name}: ${frameCount(ours)} frames ours, ${frameCount(peer)} reference · wall ${(oursRun.wallMs / 1000).toFixed(1)} s ours vs ${(peerRun.wallMs / 1000).toFixed(1)} s reference`);
      console.log('  ' + results.map(r => `#${r.frame} ${Number.isFinite(r.db) ? r.db.toFixed(1) : 'inf'}`).join(' · ') + ' dB');
      console.log(`  min ${worst.toFixed(1)} dB ${worst >= minDb ? '≥' : '<'} ${minDb} dB`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().catch(error => { console.error(error instanceof Error ? error.message : error); process.exit(2); });
