// VS Code's server from code-server (real VS Code 1.100.3: web workbench + Node extension host), started on
// loopback with fresh data folders, in its own process group so stopping it stops the extension host, the
// language server and every browser or ffmpeg they started.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const SERVER_READY_POLL_MS = 250;
const STOP_GRACE_MS = 5000;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A free TCP port on loopback (the OS picks one; it is released before the server binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A vscode-remote URI for a path on the server's machine (authority = host:port the page loads from). */
export function remoteUri(authority, file) {
  return `vscode-remote://${authority}${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** Installs a .vsix into an extensions folder with the server's own CLI (what a user's install does). */
export function installVsix(serverMain, vsix, dirs) {
  const result = spawnSync(process.execPath, [serverMain, '--accept-server-license-terms',
    '--server-data-dir', dirs.serverData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    '--install-extension', vsix, '--force'], { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' } });
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new Error(`installing ${vsix} failed: ${result.stdout}${result.stderr}`);
  }
}

/**
 * Starts the server and waits until it serves the workbench. `dirs` = { serverData, userData, extensions, tmp };
 * `env` is added to the server's environment (the extension host inherits it). Output goes to `logFile`.
 */
export async function startCodeServer({ serverMain, dirs, env, logFile, trusted = true }) {
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const log = fs.openSync(logFile, 'w');
  // --disable-workspace-trust: the fixture folder is trusted; without it the folder opens in restricted mode
  // (the trust prompt is refused in test mode).
  // EXTENSIONS_GALLERY={}: no marketplace look-ups (offline). `env` carries VSCODE_PROXY_URI (portProxy.mjs). TMPDIR: the IPC sockets the extension host
  // leaves behind go away with the harness's temp folder.
  const child = spawn(process.execPath, [serverMain,
    '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--telemetry-level', 'off', ...(trusted ? ['--disable-workspace-trust'] : []),
    '--server-data-dir', dirs.serverData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions],
  { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env, TMPDIR: dirs.tmp, EXTENSIONS_GALLERY: '{}' } });
  fs.closeSync(log);
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)));
  const server = { child, authority, exited, stop: () => stopProcessGroup(child, exited) };
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`VS Code's server exited during start-up (code ${child.exitCode}); see ${logFile}`);
      if (await fetch(`http://${authority}/`).then(r => r.ok, () => false)) break;
      await sleep(SERVER_READY_POLL_MS);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** SIGTERM to the whole group, SIGKILL after a grace period, then SIGKILL to anything left in the group. */
async function stopProcessGroup(child, exited) {
  const signal = sig => { try { process.kill(-child.pid, sig); return true; } catch { return false; } };
  if (child.exitCode === null && child.signalCode === null) {
    signal('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!stopped) signal('SIGKILL');
  }
  // Children that ignore SIGTERM or outlived the server (a language server, a probe browser).
  signal('SIGKILL');
}

/** Where VS Code's server writes its logs: the extension host's, and every output channel's file. */
export function serverLogsDir(dirs) {
  return path.join(dirs.userData, 'logs');
}

/**
 * Kills every process still carrying `HYPERFRAMES_E2E_RUN=<runId>` in its environment: descendants that left the
 * server's process group (puppeteer starts Chromium in a group of its own). Linux /proc; returns their names.
 */
export function killTaggedProcesses(runId) {
  const tag = `HYPERFRAMES_E2E_RUN=${runId}`;
  const killed = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ;
    try { environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1'); } catch { continue; /* gone or not ours */ }
    if (!environ.split('\0').includes(tag)) continue;
    let name = entry;
    try { name = `${fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim()} (${entry})`; } catch { /* keep the pid */ }
    try { process.kill(Number(entry), 'SIGKILL'); killed.push(name); } catch { /* already gone */ }
  }
  return killed;
}
