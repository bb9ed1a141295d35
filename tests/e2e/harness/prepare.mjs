// The steps before VS Code starts: install code-server (once), build and package the extension, compile the
// in-host tests, and copy the fixture workspace to a temp folder. Each throws with what to do when it fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

function run(command, args, { cwd, label }) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${label} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return result.stdout;
}

/** Installs code-server into .tools/code-server unless it is there; returns the path of VS Code's server-main.js. */
export function ensureCodeServer(root) {
  const dest = path.join(root, '.tools', 'code-server');
  run('sh', [path.join(root, 'scripts', 'install-code-server.sh'), dest], { cwd: root, label: 'installing code-server (scripts/install-code-server.sh)' });
  const serverMain = path.join(dest, 'node_modules/code-server/lib/vscode/out/server-main.js');
  if (!fs.existsSync(serverMain)) {
    throw new Error(`VS Code's server is missing at ${serverMain} after installing code-server ${CODE_SERVER_VERSION}`);
  }
  return serverMain;
}

export function buildExtension(root) {
  run(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, label: 'npm run build' });
  // The language server bundle is not checked here: the tests that need it fail, which is the point.
  for (const bundle of ['dist/extension.js']) {
    if (!fs.existsSync(path.join(root, bundle))) throw new Error(`npm run build did not write ${bundle}`);
  }
}

/**
 * Packages the extension as a user would install it, into `folder` (the run's own, so concurrent runs do not
 * share a file), and leaves a copy at .tools/hyperframes-live.vsix. Returns the run's .vsix path.
 */
/** README's pictures (media/screenshots/) need an absolute base in the packaged README: package.json's own (npm run package). */
const README_IMAGES_URL = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).config.readmeImagesUrl;

export function packageExtension(root, folder) {
  const vsix = path.join(folder, 'hyperframes-live.vsix');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--baseImagesUrl', README_IMAGES_URL, '-o', vsix],
    { cwd: root, label: 'vsce package' });
  const kept = path.join(root, '.tools', 'hyperframes-live.vsix');
  fs.copyFileSync(vsix, `${kept}.${process.pid}`);
  fs.renameSync(`${kept}.${process.pid}`, kept); // whole file or none, whoever renames last
  return vsix;
}

/** Folders of in-host tests: suite/ runs in a trusted workspace, untrusted/ in restricted mode. */
const SUITE_FOLDERS = ['suite', 'untrusted'];

/**
 * Bundles the in-host test runner and every file of the suite folders (run in name order at run time) into
 * `out` (index.js runs them for tests/e2e/run.mjs, mocha.js for @vscode/test-cli); `vscode` stays external
 * (the extension host provides it). Returns the runner's path.
 */
export async function compileHostTests(root, out) {
  const { build } = await import('esbuild');
  const e2e = path.join(root, 'tests', 'e2e');
  fs.rmSync(out, { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline',
    external: ['vscode', 'bufferutil', 'utf-8-validate', 'chromium-bidi/*'], logLevel: 'warning' };
  await build({ ...common, entryPoints: { index: path.join(e2e, 'host', 'index.ts'), mocha: path.join(e2e, 'host', 'mocha.ts') }, outdir: out });
  for (const folder of SUITE_FOLDERS) {
    const suiteDir = path.join(e2e, folder);
    const files = fs.readdirSync(suiteDir).filter(f => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'));
    await build({ ...common, entryPoints: Object.fromEntries(files.map(f => [f.replace(/\.(ts|js|mjs)$/, ''), path.join(suiteDir, f)])),
      outdir: path.join(out, folder) });
  }
  return path.join(out, 'index.js');
}

/**
 * Copies the fixture workspace into `dest` and adds what it must not commit: GSAP from node_modules
 * (compositions load it locally, never from a CDN).
 */
export function copyWorkspace(root, dest) {
  fs.cpSync(path.join(root, 'tests', 'e2e', 'workspace'), dest, { recursive: true });
  fs.mkdirSync(path.join(dest, 'vendor'), { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules', 'gsap', 'dist', 'gsap.min.js'), path.join(dest, 'vendor', 'gsap.min.js'));
  return dest;
}
