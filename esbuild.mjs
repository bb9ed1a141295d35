// Builds every bundle into dist/: the extension (client), the language server, the CLI, the render
// worker, the in-page runtime (an IIFE string the file server injects) and the preview webview.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `hyperframes-live --version` (and the VSIX's bundled CLI) prints the package's version.
const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;

/**
 * What puppeteer-core's @puppeteer/browsers needs only to download and unpack browsers, which the engine never
 * does (it launches a located executable: server/engine/tools.ts). Left in, they were a third of each Node
 * bundle (proxy-agent alone brings a JavaScript engine for PAC files), compiled or deserialized at every start.
 * Each stand-in throws if it is ever used.
 */
const DOWNLOAD_ONLY_MODULES = {
  'proxy-agent': 'export class ProxyAgent { constructor() { throw new Error("HyperFrames Live does not download browsers (proxy-agent is not bundled)."); } }',
  yargs: 'export default function yargs() { throw new Error("The @puppeteer/browsers CLI is not bundled."); }',
  'yargs/helpers': 'export function hideBin() { throw new Error("The @puppeteer/browsers CLI is not bundled."); }',
  'tar-fs': 'export function extract() { throw new Error("HyperFrames Live does not unpack browsers (tar-fs is not bundled)."); }',
  'extract-zip': 'export default function extractZip() { throw new Error("HyperFrames Live does not unpack browsers (extract-zip is not bundled)."); }',
};
const withoutDownloads = {
  name: 'without-browser-downloads',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(DOWNLOAD_ONLY_MODULES).map(name => name.replace(/[/-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, args => ({ path: args.path, namespace: 'download-only' }));
    build.onLoad({ filter: /.*/, namespace: 'download-only' }, args => ({ contents: DOWNLOAD_ONLY_MODULES[args.path], loader: 'js' }));
  },
};

const node = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production,
  minify: production, logLevel: 'info',
  // puppeteer-core pulls optional pieces it never uses with a path-given executable.
  external: ['vscode', 'bufferutil', 'utf-8-validate', 'chromium-bidi/*'],
  plugins: [withoutDownloads],
  define: { __VERSION__: JSON.stringify(version) },
};
const web = { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: false, minify: production, logLevel: 'info' };

const builds = [
  { ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { server: 'server/lsp/main.ts', 'cli-main': 'server/cli.ts', 'render-worker-main': 'server/engine/renderWorker.ts' }, outdir: 'dist',
    banner: { js: '' } },
  // The CLI and the render worker start through small loaders that run their bundles with V8's code cache
  // (server/bundleLoader.ts).
  { ...node, entryPoints: { cli: 'server/cliLoader.ts', 'render-worker': 'server/renderWorkerLoader.ts' }, outdir: 'dist', sourcemap: false },
  { ...web, entryPoints: { runtime: 'server/engine/runtime/index.ts' }, outdir: 'dist' },
  // The webview's stylesheet carries @vscode/codicons' (the transport's icons); its font lands in dist/codicons/.
  { ...web, entryPoints: { webview: 'webview/main.ts', 'preview-bridge': 'webview/bridge.ts' }, outdir: 'dist',
    loader: { '.ttf': 'file' }, assetNames: 'codicons/[name]' },
].filter(b => Object.values(b.entryPoints).every(p => fs.existsSync(p)));

fs.mkdirSync('dist', { recursive: true });
copyBundledFonts();
// The codicon font is CC BY 4.0: its licence travels with it.
fs.mkdirSync('dist/codicons', { recursive: true });
fs.copyFileSync('node_modules/@vscode/codicons/LICENSE', 'dist/codicons/LICENSE.txt');
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map(b => esbuild.build(b)));
  // The CLI is an executable (package.json "bin").
  if (fs.existsSync('dist/cli.js')) {
    const cli = fs.readFileSync('dist/cli.js', 'utf8');
    if (!cli.startsWith('#!')) fs.writeFileSync('dist/cli.js', '#!/usr/bin/env node\n' + cli);
    fs.chmodSync('dist/cli.js', 0o755);
  }
}

/**
 * The font faces compile/fonts names (bundledFonts.json) and their licences (OFL/Apache), copied from the
 * pinned @fontsource packages into dist/fonts/, so the VSIX carries them and the file server serves them.
 */
function copyBundledFonts() {
  const catalog = JSON.parse(fs.readFileSync('server/engine/compile/fonts/bundledFonts.json', 'utf8'));
  fs.mkdirSync('dist/fonts', { recursive: true });
  for (const [slug, family] of Object.entries(catalog.families)) {
    const files = `node_modules/${family.package}`;
    for (const weight of family.weights) {
      const name = `${slug}-${catalog.subset}-${weight}-normal.woff2`;
      fs.copyFileSync(`${files}/files/${name}`, `dist/fonts/${name}`);
    }
    fs.copyFileSync(`${files}/LICENSE`, `dist/fonts/${slug}-LICENSE.txt`);
  }
}
