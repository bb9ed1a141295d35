#!/usr/bin/env node
// didChange → diagnostics on a large sub-composition (the size real projects have: ~400 KB of markup, CSS and
// GSAP), through the language server (dist/server.js) with probing off, so only the compile stage and its lint
// rules run. Prints the median over N changes, with and without the server's debounce.
//   node scripts/bench-lint.mjs [--runs 15] [--kib 400] [--file sub-composition.html]
// (--file measures a real sub-composition file instead of the generated one.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const flag = (name, fallback) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const RUNS = flag('--runs', 15);
const TARGET_BYTES = flag('--kib', 400) * 1024;
const DEBOUNCE_MS = Number(/DEFAULT_COMPILE_DEBOUNCE_MS = (\d+)/.exec(fs.readFileSync(path.join(root, 'server/engine/limits.ts'), 'utf8'))?.[1] ?? 0);

/** A sub-composition of scenes, each a clip with styled children and its tweens, until it reaches the size. */
function bigSubComposition() {
  const css = [];
  const markup = [];
  const tweens = [];
  for (let i = 0; css.join('').length + markup.join('').length + tweens.join('').length < TARGET_BYTES; i++) {
    css.push(`  #scene-${i} { position: absolute; inset: 0; background: #${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}; }\n  #scene-${i} .title { font-size: 64px; transform: translate(-50%, 0); left: 50%; }\n`);
    markup.push(`  <div id="scene-${i}" class="clip scene" data-start="${((i % 20) * 0.5).toFixed(1)}" data-duration="0.5" data-track-index="${i % 4}">\n    <h2 class="title" id="title-${i}">Scene ${i}</h2><p class="body">Lorem ipsum dolor sit amet ${i}</p>\n  </div>\n`);
    tweens.push(`  tl.fromTo("#title-${i}", { opacity: 0, y: 20 }, { opacity: 1, y: 0, duration: 0.3 }, ${((i % 20) * 0.5).toFixed(1)});\n`);
  }
  return `<template>\n<div data-composition-id="big" data-width="1920" data-height="1080">\n<style>\n${css.join('')}</style>\n${markup.join('')}<script>\n  const tl = gsap.timeline({ paused: true });\n${tweens.join('')}  window.__timelines["big"] = tl;\n</script>\n</div>\n</template>\n`;
}

const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-lint-'));
fs.writeFileSync(path.join(project, 'hyperframes.json'), '{}');
fs.mkdirSync(path.join(project, 'compositions'));
const fileArg = process.argv.indexOf('--file');
const big = fileArg > 0 ? fs.readFileSync(process.argv[fileArg + 1], 'utf8') : bigSubComposition();
const subFile = path.join(project, 'compositions/big.html');
fs.writeFileSync(subFile, big);
const entry = path.join(project, 'index.html');
fs.writeFileSync(entry, `<!doctype html><html><body>\n<div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-duration="10">\n  <div id="big-host" data-composition-id="big" data-composition-src="compositions/big.html" data-start="0" data-duration="10" data-track-index="0"></div>\n</div>\n<script>window.__timelines = window.__timelines || {}; window.__timelines["main"] = gsap.timeline({ paused: true });</script>\n</body></html>\n`);

const child = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const published = [];
let wake = () => {};
connection.onNotification('textDocument/publishDiagnostics', params => { published.push({ params, at: performance.now() }); wake(); });
connection.listen();
const waitFor = (predicate, timeoutMs = 30_000) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  const check = () => {
    const found = published.find(predicate);
    if (found) { clearTimeout(timer); wake = () => {}; resolve(found); }
  };
  wake = check;
  check();
});
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { probeOnSave: false } } });
  await connection.sendNotification('initialized', {});
  const entryUri = pathToFileURL(entry).href;
  const uri = pathToFileURL(subFile).href;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: entryUri, languageId: 'html', version: 1, text: fs.readFileSync(entry, 'utf8') } });
  await waitFor(e => e.params.uri === entryUri);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'html', version: 1, text: big } });
  await waitFor(e => e.params.uri === uri && e.params.version === 1);
  const times = [];
  let findings = 0;
  for (let v = 2; v < RUNS + 2; v++) {
    // Typing in the middle of the file: a scene's text changes, every other change adds a tween that overlaps.
    const text = (fileArg > 0 ? big.replace('</template>', `<!-- edit ${v} --></template>`) : big.replace('Scene 7<', `Scene 7 edit ${v}<`)).replace('  window.__timelines', v % 2 ? '  tl.to("#title-7", { y: 5, duration: 1 }, 3.5);\n  window.__timelines' : '  window.__timelines');
    const changedAt = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    const publish = await waitFor(e => e.params.uri === uri && e.params.version === v);
    times.push(publish.at - changedAt);
    findings = publish.params.diagnostics.length;
  }
  const m = median(times);
  console.log(`sub-composition ${(big.length / 1024).toFixed(0)} KiB, ${findings} diagnostics on the last change`);
  console.log(`didChange → diagnostics: median ${m.toFixed(0)} ms including the ${DEBOUNCE_MS} ms debounce, ${(m - DEBOUNCE_MS).toFixed(1)} ms without it, over ${RUNS} changes (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
} finally {
  await connection.sendRequest('shutdown').catch(() => undefined);
  await connection.sendNotification('exit').catch(() => undefined);
  await new Promise(resolve => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  connection.dispose();
  fs.rmSync(project, { recursive: true, force: true });
}
