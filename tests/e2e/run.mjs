#!/usr/bin/env node
// End-to-end tests in real VS Code: code-server's VS Code 1.100.3 server on loopback, its web workbench in
// headless Debian Chromium (puppeteer-core), the extension loaded from this repo as extensionDevelopmentPath
// and the in-host tests (tests/e2e/suite/*, run by tests/e2e/host/index.ts) as extensionTestsPath.
// Exit code: 0 all tests passed, 1 a test failed, 2 the harness failed (no VS Code, build error, timeout).
//
// usage: node tests/e2e/run.mjs [--vsix]
//   --vsix   install the packaged .vsix into the fresh extensions folder instead of loading the repo
// env: E2E_TIMEOUT_MS (whole run, default 480000), E2E_GREP (run only tests whose name matches),
//      CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 (keep the temp folder, for debugging),
//      E2E_PROXY_DEBUG=1 (print each request through code-server's /proxy/<port>/ route, see harness/portProxy.mjs).
// Phases: tests/e2e/suite/* in a trusted workspace, then tests/e2e/untrusted/* in restricted mode, then 'restore'
// (harness/restorePhase.mjs: puppeteer reloads the window and the preview panel must come back).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension, compileHostTests, copyWorkspace, ensureCodeServer, packageExtension } from './harness/prepare.mjs';
import { installVsix, killTaggedProcesses, remoteUri, serverLogsDir, startCodeServer } from './harness/codeServer.mjs';
import { startPortProxy } from './harness/portProxy.mjs';
import { launchBrowser, openWorkbench, startBridge } from './harness/workbench.mjs';
import { checkPreviewRestore, RESTORE_TEST_TITLE } from './harness/restorePhase.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifactsDir = path.join(root, 'tests', '.artifacts');
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 480_000);
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const fromVsix = process.argv.includes('--vsix');
const runId = crypto.randomUUID();
// Every process of the run carries this tag, so cleanup can find the ones that left the process group.
const runEnv = { HYPERFRAMES_E2E_RUN: runId };
/** Chromium (the harness's and the probes') keeps crash reports and caches under XDG folders: keep them in `folder`. */
const xdgIn = folder => ({ XDG_CONFIG_HOME: path.join(folder, 'xdg-config'), XDG_CACHE_HOME: path.join(folder, 'xdg-cache') });
const EXIT = { passed: 0, failed: 1, harness: 2 };
const CLEANUP_DEADLINE_MS = 30_000;
/** From opening the workbench to the in-host runner's first report line; a workbench that never runs the tests fails fast. */
const TESTS_START_TIMEOUT_MS = 120_000;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = message => console.log(`[e2e ${elapsed()}] ${message}`);

let tmp, dirs, server, browser, bridge, page, portProxy, cleaningUp;
/** The running phase's folder: a run that times out keeps that phase's logs. */
let activePhaseDir;

async function cleanup() {
  cleaningUp ??= (async () => {
    if (bridge) await bridge.close().catch(() => {});
    if (portProxy) await portProxy.close().catch(() => {});
    if (browser) {
      const proc = browser.process();
      await Promise.race([browser.close().catch(() => {}), new Promise(r => setTimeout(r, 5000))]);
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    if (server) await server.stop();
    const leftovers = killTaggedProcesses(runId);
    if (leftovers.length) say(`killed what the run left behind: ${leftovers.join(', ')}`);
    if (tmp && process.env.E2E_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) say(`kept ${tmp}`);
  })();
  return cleaningUp;
}
// Last resort on an exit that skipped cleanup: no server process outlives the harness.
process.on('exit', () => { if (server) try { process.kill(-server.child.pid, 'SIGKILL'); } catch { /* gone */ } });
const signalCodes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
for (const sig of Object.keys(signalCodes)) process.on(sig, () => cleanup().finally(() => process.exit(signalCodes[sig])));

/** Keeps what explains a failure: a screenshot of the workbench and the server's logs (extension host, output channels). */
async function saveFailureArtifacts(phaseDir = tmp) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (page) {
    const shot = path.join(artifactsDir, `e2e-failure-${stamp}.png`);
    if (await page.screenshot({ path: shot }).then(() => true, () => false)) say(`screenshot: ${shot}`);
  }
  for (const name of ['workbench-console.log', 'server.log']) {
    const file = phaseDir && path.join(phaseDir, name);
    if (file && fs.existsSync(file)) fs.copyFileSync(file, path.join(artifactsDir, `e2e-${stamp}-${name}`));
  }
  if (dirs && fs.existsSync(serverLogsDir(dirs))) {
    const logs = path.join(artifactsDir, `e2e-logs-${stamp}`);
    fs.cpSync(serverLogsDir(dirs), logs, { recursive: true });
    say(`VS Code logs: ${logs}`);
  }
}

/** User settings of the fresh profile: no welcome pages or walkthroughs opening editors the tests do not expect. */
function writeUserSettings(userData) {
  const folder = path.join(userData, 'User');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
  }, null, 2));
}

/**
 * The phases: each opens a fresh copy of the fixture workspace in a fresh VS Code profile and runs one folder of
 * in-host tests. The untrusted phase starts VS Code with workspace trust on; in test mode the trust prompt is
 * refused, so its folder opens in restricted mode. A phase with `drive` instead of `suite` has no in-host tests:
 * the window reloads, which would end them; `drive(page, {say})` checks the workbench from the harness.
 */
const PHASES = [
  { name: 'trusted', suite: 'suite', trusted: true },
  { name: 'untrusted', suite: 'untrusted', trusted: false },
  { name: 'restore', title: RESTORE_TEST_TITLE, drive: checkPreviewRestore, trusted: true },
];

/** An empty extension to stand as the development host's extension when the real one comes from the .vsix. */
function writeStandInExtension(folder) {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({
    name: 'e2e-stand-in', publisher: 'hyperframes-live-tests', version: '0.0.0', engines: { vscode: '*' },
  }));
  return folder;
}

async function runPhase(phase, { serverMain, vsix, testsModule }) {
  const phaseDir = path.join(tmp, phase.name);
  activePhaseDir = phaseDir;
  const dir = name => {
    const folder = path.join(phaseDir, name);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  };
  dirs = { serverData: dir('server-data'), userData: dir('user-data'), extensions: dir('extensions'), tmp: dir('tmp') };
  const workspace = copyWorkspace(root, path.join(phaseDir, 'workspace'));
  writeUserSettings(dirs.userData);
  if (fromVsix) installVsix(serverMain, vsix, dirs);

  page = await browser.newPage();
  bridge = await startBridge(page, artifactsDir);
  server = await startCodeServer({
    serverMain, dirs, logFile: path.join(phaseDir, 'server.log'), trusted: phase.trusted,
    env: { ...runEnv, ...xdgIn(dirs.tmp), VSCODE_PROXY_URI: portProxy.template, HYPERFRAMES_E2E_BRIDGE: bridge.url, E2E_SUITE: phase.suite, E2E_FROM_VSIX: fromVsix ? '1' : '0', ...(process.env.E2E_GREP ? { E2E_GREP: process.env.E2E_GREP } : {}) },
  });
  say(`${phase.name}: VS Code server on ${server.authority}${fromVsix ? ' (extension installed from the .vsix)' : ''}; opening the workbench`);

  const consoleLog = path.join(phaseDir, 'workbench-console.log');
  // VS Code runs extensionTestsPath only for an extension development host: with --vsix, the development
  // extension is an empty stand-in and the extension under test is the installed one.
  const developmentPath = fromVsix ? writeStandInExtension(path.join(phaseDir, 'stand-in')) : root;
  const payload = [['extensionDevelopmentPath', remoteUri(server.authority, developmentPath)],
    ...(phase.suite ? [['extensionTestsPath', remoteUri(server.authority, testsModule)]] : [])];
  let testsStarted;
  const started = new Promise(resolve => { testsStarted = resolve; });
  const { exited: exitCode } = await openWorkbench(page, {
    authority: server.authority, folder: workspace, payload,
    onLog: (type, line) => {
      fs.appendFileSync(consoleLog, `[${type}] ${line}\n`);
      // The runner's report lines; everything else the workbench logs stays in the file.
      if (!line.startsWith('[host] ')) return;
      testsStarted();
      (type === 'error' ? console.error : console.log)(`  ${line.slice('[host] '.length)}`);
    },
  });
  let startTimer;
  const outcome = phase.drive ? drivePhase(phase) : Promise.race([
    exitCode,
    new Promise((_, reject) => {
      startTimer = setTimeout(() => reject(new Error(`the in-host tests did not start within ${TESTS_START_TIMEOUT_MS / 1000} s (see ${consoleLog})`)), TESTS_START_TIMEOUT_MS);
      started.then(() => clearTimeout(startTimer));
    }),
  ]);
  const code = await Promise.race([
    outcome,
    server.exited.then(c => { throw new Error(`VS Code's server exited during the tests (code ${c})`); }),
  ]).finally(() => clearTimeout(startTimer));
  if (code !== 0) await saveFailureArtifacts(phaseDir);
  // Phase over: its processes and page go before the next phase starts.
  await bridge.close();
  bridge = undefined;
  await server.stop();
  server = undefined;
  await page.close().catch(() => {});
  page = undefined;
  return code;
}

/** Runs a harness-driven phase's check on the page; reports it as the in-host runner reports a test. */
async function drivePhase(phase) {
  const testStarted = Date.now();
  try {
    await phase.drive(page, { say: message => console.log(`    ${message}`) });
    console.log(`  ✓ ${phase.title} (${Date.now() - testStarted} ms)`);
    return EXIT.passed;
  } catch (error) {
    console.error(`  ✗ ${phase.title} (${Date.now() - testStarted} ms)\n${error?.stack ?? error}`);
    return EXIT.failed;
  }
}

async function main() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-e2e-'));
  const serverMain = ensureCodeServer(root);
  say('code-server ready; building the extension');
  buildExtension(root);
  const vsix = packageExtension(root, tmp);
  say(`packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  // In the run's own folder: another run at the same time must not swap the tests under this one.
  const testsModule = await compileHostTests(root, path.join(tmp, 'host-tests'));

  const browserTmp = path.join(tmp, 'browser-tmp');
  fs.mkdirSync(browserTmp);
  browser = await launchBrowser({ executablePath: chromium, userDataDir: path.join(tmp, 'chromium'), env: { ...process.env, ...runEnv, ...xdgIn(browserTmp), TMPDIR: browserTmp } });
  portProxy = await startPortProxy();
  let failed = false;
  for (const phase of PHASES) {
    // E2E_GREP picks tests by title; a harness-driven phase is one test.
    if (phase.drive && process.env.E2E_GREP && !new RegExp(process.env.E2E_GREP).test(phase.title)) continue;
    const code = await runPhase(phase, { serverMain, vsix, testsModule });
    say(`${phase.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
    failed ||= code !== 0;
  }
  return { code: failed ? EXIT.failed : EXIT.passed };
}

let timer;
const timedOut = new Promise(resolve => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
let code = EXIT.harness;
try {
  const result = await Promise.race([main(), timedOut]);
  if (result === 'timeout') {
    console.error(`[e2e] timed out after ${timeoutMs / 1000} s`);
    await saveFailureArtifacts(activePhaseDir);
  } else {
    code = result.code;
  }
} catch (error) {
  console.error(`[e2e] harness error: ${error?.stack ?? error}`);
  await saveFailureArtifacts().catch(() => {});
} finally {
  clearTimeout(timer);
  setTimeout(() => process.exit(code), CLEANUP_DEADLINE_MS).unref(); // if cleanup itself hangs
  await cleanup();
}
say(`end-to-end tests ${code === EXIT.passed ? 'passed' : 'FAILED'} (exit ${code})`);
process.exit(code);
