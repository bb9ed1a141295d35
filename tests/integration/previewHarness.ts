// Test harness of the preview: the built webview bundle (dist/webview.js) in headless Chromium, in a page
// that stands in for VS Code's webview (acquireVsCodeApi records messages and state), with a real
// composition compiled by the real language server (dist/server.js, asked with PreviewCompositionRequest as
// the panel asks it) and served by the real file server through PreviewSession — what the panel does.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type Frame, type Page } from 'puppeteer-core';
import { describeForWebview, externalEntryUrl, PreviewSession, type CompositionSource, type PreviewSnapshot } from '../../extension/preview/session';
import { PreviewCompositionRequest } from '../../server/protocol/lsp';
import { LspTestClient, uriOf } from '../support/lspClient';
import type {
  ExtensionToWebviewMessage,
  PreviewWebviewState,
  VariableOverrides,
  WebviewToExtensionMessage,
} from '../../server/protocol/webview';

export const repoRoot = path.resolve(__dirname, '..', '..');
const dist = path.join(repoRoot, 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Generous: several integration files may share 2 loaded cores. */
export const WAIT_MS = 30_000;

/** Copies tests/fixtures/preview/<name> into a temp project, with GSAP beside the entry. */
export function makeProject(name: string): { dir: string; entry: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hf-preview-${name}-`));
  fs.cpSync(path.join(repoRoot, 'tests', 'fixtures', 'preview', name), dir, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'node_modules', 'gsap', 'dist', 'gsap.min.js'), path.join(dir, 'gsap.min.js'));
  return { dir, entry: path.join(dir, 'index.html'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function testPage(initialState: PreviewWebviewState | undefined): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/dist/webview.css">
<script>
  window.__sent = [];
  window.__state = ${JSON.stringify(initialState ?? null)} ?? undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: message => window.__sent.push(message),
    getState: () => window.__state,
    setState: state => { window.__state = state; },
  });
</script></head><body><div id="app"></div><script src="/dist/webview.js"></script></body></html>`;
}

/** Serves the stand-in webview page and dist/ from its own origin (the webview is cross-origin to the frame). */
async function startPageServer(initialState: PreviewWebviewState | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      return response.end(testPage(initialState));
    }
    // The webview's bundle, its stylesheet and the codicon font the stylesheet loads (with a cache-busting query).
    const match = /^\/dist\/(webview\.(js|css)|codicons\/codicon\.(ttf))(\?.*)?$/.exec(url);
    if (!match) {
      response.writeHead(404);
      return response.end();
    }
    const type = match[2] === 'js' ? 'text/javascript' : match[2] === 'css' ? 'text/css' : 'font/ttf';
    response.writeHead(200, { 'Content-Type': type });
    response.end(fs.readFileSync(path.join(dist, match[1])));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>(resolve => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/**
 * A path-prefixed proxy like code-server's: <proxy>/proxy/<port>/x → 127.0.0.1:<port>/x. asExternalUri
 * returns such URLs in code-server, where root-absolute paths in the page leave the prefix.
 */
async function startPrefixProxy(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const match = /^\/proxy\/(\d+)(\/.*)?$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404);
      return response.end();
    }
    const upstream = http.request({ host: '127.0.0.1', port: Number(match[1]), path: match[2] ?? '/', method: request.method, headers: request.headers }, answer => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>(resolve => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** The panel's composition source: a language server of its own, asked as the panel asks it. */
export async function languageServerSource(): Promise<{ source: CompositionSource; stop(): Promise<void> }> {
  const client = await LspTestClient.start({ probeOnSave: false });
  return {
    source: (entryFile, reuse) => client.request(PreviewCompositionRequest.type, { uri: uriOf(entryFile), reuse }),
    stop: async () => { await client.stop(); },
  };
}

/** `session.refresh()` for a file that must be a composition. */
export async function refreshComposition(session: PreviewSession): Promise<PreviewSnapshot> {
  const snapshot = await session.refresh();
  if (!snapshot) throw new Error(`the language server says ${session.entryFile} is not a composition`);
  return snapshot;
}

export interface PreviewHarness {
  page: Page;
  session: PreviewSession;
  snapshot: PreviewSnapshot;
  /** Sends an extension → webview message. */
  send(message: ExtensionToWebviewMessage): Promise<void>;
  /** Recompiles from disk and sends the composition (what a save does). */
  reload(): Promise<void>;
  /** What the panel does with the webview's 'setVariables': the same compile served again with the values. */
  applyVariables(values: VariableOverrides): Promise<void>;
  sent(): Promise<WebviewToExtensionMessage[]>;
  /** Waits until the iframe shows the playhead's time; returns it. */
  settled(): Promise<number>;
  /** Waits for the n-th frame report (1 = first load). */
  frameReport(n: number): Promise<WebviewToExtensionMessage>;
  frame(): Promise<Frame>;
  iframe(): Promise<ElementHandle<HTMLIFrameElement>>;
  state(): Promise<PreviewWebviewState | undefined>;
  close(): Promise<void>;
}

export interface OpenPreviewOptions {
  initialState?: PreviewWebviewState;
  viewport?: { width: number; height: number };
  /** Load the page through a code-server-like /proxy/<port>/ prefix (what asExternalUri gives there). */
  behindPrefixProxy?: boolean;
}

export async function openPreview(entry: string, options: OpenPreviewOptions = {}): Promise<PreviewHarness> {
  const server = await languageServerSource();
  const session = new PreviewSession({
    entryFile: entry,
    compositionSource: server.source,
    bridgeScriptPath: path.join(dist, 'preview-bridge.js'),
    runtimePath: path.join(dist, 'runtime.js'),
  });
  let pageServer: Awaited<ReturnType<typeof startPageServer>> | undefined;
  let proxy: Awaited<ReturnType<typeof startPrefixProxy>> | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await pageServer?.close();
    await proxy?.close();
    await session.close();
    await server.stop();
  };
  try {
    const snapshot = await refreshComposition(session);
    pageServer = await startPageServer(options.initialState);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--font-render-hinting=none'],
    });
    const page = await browser.newPage();
    await page.setViewport(options.viewport ?? { width: 1280, height: 1000 });
    await page.goto(pageServer.url);
    const uri = pathToFileURL(entry).toString();
    if (options.behindPrefixProxy) proxy = await startPrefixProxy();
    // What asExternalUri answers for the origin: itself, or (code-server) the proxy's base for its port.
    const externalOrigin = proxy ? `${proxy.origin}/proxy/${new URL(session.origin!).port}/` : session.origin!;
    const entryUrl = externalEntryUrl(externalOrigin, session.entryUrl!);
    const harness: PreviewHarness = {
      page,
      session,
      snapshot,
      // Dispatched synchronously (a posted message would arrive after evaluate returns, racing the next check).
      send: message => page.evaluate(m => { window.dispatchEvent(new MessageEvent('message', { data: m })); }, message),
      async reload() {
        harness.snapshot = await refreshComposition(session);
        await harness.send({ type: 'composition', composition: describeForWebview(harness.snapshot, entryUrl, uri, session.variableOverrides), keepTime: true });
      },
      async applyVariables(values) {
        session.setVariables(values);
        await harness.send({ type: 'composition', composition: describeForWebview(harness.snapshot, entryUrl, uri, session.variableOverrides), keepTime: true });
      },
      sent: () => page.evaluate(() => (window as unknown as { __sent: WebviewToExtensionMessage[] }).__sent),
      async settled() {
        await page.waitForFunction(() => document.body.dataset.shownTime !== undefined
          && document.body.dataset.shownTime === document.body.dataset.time, { timeout: WAIT_MS });
        return Number(await page.evaluate(() => document.body.dataset.time));
      },
      async frameReport(n) {
        await page.waitForFunction(count => (window as unknown as { __sent: WebviewToExtensionMessage[] }).__sent
          .filter(m => m.type === 'frameStatus').length >= count, { timeout: WAIT_MS }, n);
        return (await harness.sent()).filter(m => m.type === 'frameStatus')[n - 1];
      },
      async frame() {
        const handle = await harness.iframe();
        const frame = await handle.contentFrame();
        if (!frame) throw new Error('the preview iframe has no frame');
        return frame;
      },
      async iframe() {
        const handle = await page.waitForSelector('iframe.frame:not(.loading)', { timeout: WAIT_MS });
        return handle as ElementHandle<HTMLIFrameElement>;
      },
      state: () => page.evaluate(() => (window as unknown as { __state: PreviewWebviewState | undefined }).__state),
      close,
    };
    await harness.send({ type: 'composition', composition: describeForWebview(snapshot, entryUrl, uri), keepTime: true });
    return harness;
  } catch (error) {
    await close();
    throw error;
  }
}
