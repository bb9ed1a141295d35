#!/usr/bin/env node
// Benchmarks the language server (dist/server.js, built by `npm run build`) over LSP on stdio, on a copy of the
// example composition:
//   didSave → probe diagnostics published (warm browser), median over N saves;
//   didChange → static diagnostics published, median over N changes (the server's debounce included, and shown
//   without it);
//   memory of the server with its warm browser: RSS and PSS summed over the process tree.
// usage: node scripts/bench-lsp.mjs [--runs 12]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 12;
// Must match DEFAULT_COMPILE_DEBOUNCE_MS in server/engine/limits.ts (the server is not given another value).
const DEBOUNCE_MS = Number(/DEFAULT_COMPILE_DEBOUNCE_MS = (\d+)/.exec(fs.readFileSync(path.join(root, 'server/engine/limits.ts'), 'utf8'))?.[1] ?? 0);
const server = path.join(root, 'dist/server.js');
if (!fs.existsSync(server)) {
  console.error('dist/server.js is missing: run `npm run build` first.');
  process.exit(1);
}

const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-lsp-'));
fs.cpSync(path.join(root, 'examples/hello'), project, { recursive: true });
const entry = path.join(project, 'index.html');
const uri = pathToFileURL(entry).href;
const original = fs.readFileSync(entry, 'utf8');

const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiters = new Set();
const events = [];
function record(kind, params) {
  events.push({ kind, params, at: performance.now() });
  for (const waiter of [...waiters]) waiter();
}
connection.onNotification('textDocument/publishDiagnostics', params => record('diagnostics', params));
connection.onNotification('hyperframesLive/pageConsole', params => record('console', params));
connection.listen();

function waitFor(predicate, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = events.find(predicate);
      if (!found) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(found);
    };
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    waiters.add(check);
    check();
  });
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function processTree(pid) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc').filter(n => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch { /* exited meanwhile */ }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function memoryKiB(pid) {
  let rss = 0;
  let pss = 0;
  for (const p of processTree(pid)) {
    try {
      rss += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      pss += Number(/Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch { /* exited meanwhile */ }
  }
  return { rss, pss, processes: processTree(pid).length };
}

let version = 1;
try {
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: {} } });
  await connection.sendNotification('initialized', {});
  const openedAt = performance.now();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'html', version, text: original } });
  const firstProbe = await waitFor(e => e.kind === 'console' && e.params.version === 1, 'the probe on open');
  console.log(`first probe on open (cold browser): ${(firstProbe.at - openedAt).toFixed(0)} ms`);

  // Saves: each one a real edit (a comment that changes) written to disk, as an editor saves.
  const saveTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const text = original.replace('</body>', `<!-- save ${i} -->\n</body>`);
    version++;
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    fs.writeFileSync(entry, text);
    const v = version;
    const savedAt = performance.now();
    await connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await waitFor(e => e.kind === 'console' && e.params.version === v, `the probe of version ${v}`);
    // The probe's publish is the last publish for the entry before its page-console notification.
    const probePublish = events.filter(e => e.kind === 'diagnostics' && e.params.uri === uri && e.params.version === v).at(-1);
    saveTimes.push(probePublish.at - savedAt);
  }

  // Changes: alternate a broken and a fixed relative start, so each compile has something to say.
  const changeTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const text = i % 2 === 0 ? original.replace('data-start="title - 4"', 'data-start="titel - 4"') : original;
    version++;
    const v = version;
    const changedAt = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    const published = await waitFor(e => e.kind === 'diagnostics' && e.params.uri === uri && e.params.version === v, `static diagnostics of version ${v}`);
    changeTimes.push(published.at - changedAt);
  }

  const memory = memoryKiB(child.pid);
  const saveMedian = median(saveTimes);
  const changeMedian = median(changeTimes);
  console.log(`didSave → probe diagnostics (warm browser): median ${saveMedian.toFixed(0)} ms over ${RUNS} saves (min ${Math.min(...saveTimes).toFixed(0)}, max ${Math.max(...saveTimes).toFixed(0)}; target ≤ 400 ms)`);
  console.log(`didChange → static diagnostics: median ${changeMedian.toFixed(0)} ms including the ${DEBOUNCE_MS} ms debounce, ${(changeMedian - DEBOUNCE_MS).toFixed(1)} ms without it (target ≤ 50 ms)`);
  console.log(`memory with a warm browser: RSS ${(memory.rss / 1024).toFixed(0)} MiB, PSS ${(memory.pss / 1024).toFixed(0)} MiB over ${memory.processes} processes (server + Chromium)`);
} finally {
  await connection.sendRequest('shutdown').catch(() => undefined);
  await connection.sendNotification('exit').catch(() => undefined);
  await new Promise(resolve => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  connection.dispose();
  fs.rmSync(project, { recursive: true, force: true });
}
