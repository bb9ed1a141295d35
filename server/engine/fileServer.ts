// The loopback file server: serves the project folder only (no "..", encoded dots or separators or absolute
// paths out of it; symlinks the project contains are followed), with Range requests for media seeking and no caching. The entry document
// is served from the compiled HTML, not the disk, with the in-page runtime as the first script in <head>.
// The probe, the renderer and the preview webview all load compositions through it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { bundledFontFile } from './compile/fonts/catalog';
import { isInside } from './project';
import type { Composition } from './model';
import { buildRuntimeManifest, type RuntimeManifest } from './runtime/manifest';
import type { Closable } from './closable';
import { type Logger, silentLogger } from './logger';

/** Where the runtime is served; the entry's <head> loads it from here. */
export const RUNTIME_URL_PATH = '/__hf/runtime.js';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.ogv': 'video/ogg',
  '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.aac': 'audio/aac', '.wav': 'audio/wav', '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg', '.flac': 'audio/flac', '.opus': 'audio/ogg', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.otf': 'font/otf', '.wasm': 'application/wasm', '.lottie': 'application/zip',
};

/**
 * The file server could not start. Its own error, not a stage's: the probe, the render and the preview all
 * start one, and each says in its own terms where it failed.
 */
export class FileServerError extends Error {
  constructor(message: string, readonly code: 'runtime-missing', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileServerError';
  }
}

export interface RefusedRequest {
  /** The full URL the page asked for (origin + path as sent). */
  url: string;
  reason: 'outside-project' | 'encoded-separator';
}

export interface FileServerOptions {
  projectRoot: string;
  entryFile: string;
  /** The compiled entry document (sub-compositions inlined). */
  entryHtml: string;
  manifest: RuntimeManifest;
  /** dist/runtime.js; by default found beside the running bundle (or in dist/ when running from source). */
  runtimePath?: string;
  logger?: Logger;
}

/** A compiled composition's server options: its project, its entry page and the runtime manifest built from it. */
export function compositionServerOptions(composition: Composition, options: Pick<FileServerOptions, 'runtimePath' | 'logger'>): FileServerOptions {
  return {
    projectRoot: composition.projectRoot, entryFile: composition.entryFile, entryHtml: composition.compiledHtml,
    manifest: buildRuntimeManifest(composition), ...options,
  };
}

export interface FileServerHandle extends Closable {
  origin: string;
  entryUrl: string;
  /**
   * Requests refused for leaving the project, in order, each URL once (a render's capture pages load while its
   * probe's does, and ask for the same files); the probe reports each one.
   */
  readonly refusedRequests: RefusedRequest[];
  /** Replaces the served entry document (the preview after a recompile, the probe after resolving durations). */
  setEntryHtml(html: string, manifest?: RuntimeManifest): void;
  /**
   * Serves files from outside the project under `prefix` (which starts with /__hf/): `resolve` maps the rest of
   * the path to a file, or undefined for a 404. Only what `resolve` names is served (capture/videoFrameUrls.ts).
   */
  addRoute(prefix: string, resolve: (name: string) => string | undefined): void;
}

export function defaultRuntimePath(): string {
  const candidates = [path.join(__dirname, 'runtime.js'), path.resolve(__dirname, '../../dist/runtime.js')];
  return candidates.find(candidate => fs.existsSync(candidate)) ?? candidates[0];
}

/** Inserts the runtime <script> right after the <head> tag, on the same line, so line numbers do not move. */
export function injectRuntimeScript(html: string): string {
  const tag = `<script src="${RUNTIME_URL_PATH}"></script>`;
  const anchor = /<head(?:\s[^>]*)?>/i.exec(html) ?? /<html(?:\s[^>]*)?>/i.exec(html);
  if (!anchor) return tag + html;
  const at = anchor.index + anchor[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

type Resolution = { ok: true; file: string } | { ok: false; reason: RefusedRequest['reason'] };

/** Maps a request path to a file inside the project, refusing anything that could leave it. */
function resolveRequestPath(projectRoot: string, rawPath: string): Resolution {
  // Encoded dots and separators are refused outright: decoding them could smuggle a ".." past the checks.
  if (/%2e|%2f|%5c|%00/i.test(rawPath) || rawPath.includes('\\')) return { ok: false, reason: 'encoded-separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'encoded-separator' };
  }
  if (decoded.split('/').some(segment => segment === '..')) return { ok: false, reason: 'outside-project' };
  const file = path.resolve(projectRoot, '.' + decoded);
  if (!isInside(projectRoot, file)) return { ok: false, reason: 'outside-project' };
  // A symlink the project contains is followed wherever it leads (compile warns about one that leaves it).
  return { ok: true, file };
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    // "bytes=-N": the last N bytes.
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

export async function startFileServer(options: FileServerOptions): Promise<FileServerHandle> {
  const logger = options.logger ?? silentLogger;
  const projectRoot = path.resolve(options.projectRoot);
  const runtimePath = options.runtimePath ?? defaultRuntimePath();
  let runtimeSource: string;
  try {
    runtimeSource = fs.readFileSync(runtimePath, 'utf8');
  } catch (error) {
    throw new FileServerError(`The in-page runtime was not found at ${runtimePath}. Build it with \`npm run build\`.`, 'runtime-missing', { cause: error });
  }
  const entryPath = '/' + path.relative(projectRoot, path.resolve(options.entryFile)).split(path.sep).map(encodeURIComponent).join('/');
  let entryDocument = injectRuntimeScript(options.entryHtml);
  let manifest = options.manifest;
  const refusedRequests: RefusedRequest[] = [];
  const routes = new Map<string, (name: string) => string | undefined>();

  const server = http.createServer((request, response) => {
    const rawPath = (request.url ?? '/').replace(/[?#].*$/, '');
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'text/plain', 'Method not allowed');
    if (rawPath === entryPath) return send(200, MIME_TYPES['.html'], entryDocument);
    if (rawPath === '/') {
      response.writeHead(302, { Location: entryPath, 'Cache-Control': 'no-store' });
      return response.end();
    }
    if (rawPath === RUNTIME_URL_PATH) {
      return send(200, MIME_TYPES['.js'], `window.__hfManifest = ${JSON.stringify(manifest)};\n${runtimeSource}`);
    }
    for (const [prefix, resolve] of routes) {
      if (!rawPath.startsWith(prefix)) continue;
      const file = resolve(rawPath.slice(prefix.length));
      return file ? serveFile(file, request, response, send) : send(404, 'text/plain', 'Not found');
    }
    // The bundled font faces the compiled page's @font-face rules name (compile/fonts): extension assets.
    const bundledFont = bundledFontFile(rawPath);
    if (bundledFont) return serveFile(bundledFont, request, response, send);
    const resolution = resolveRequestPath(projectRoot, rawPath);
    if (!resolution.ok) {
      const url = `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? ''}`;
      if (!refusedRequests.some(refused => refused.url === url)) refusedRequests.push({ url, reason: resolution.reason });
      logger.warn(`file server: refused ${url} (${resolution.reason})`);
      return send(403, 'text/plain', 'Forbidden: outside the project folder');
    }
    serveFile(resolution.file, request, response, send);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;
  logger.debug(`file server: ${origin} serving ${projectRoot}`);

  return {
    origin,
    entryUrl: origin + entryPath,
    refusedRequests,
    setEntryHtml(html, nextManifest) {
      entryDocument = injectRuntimeScript(html);
      if (nextManifest) manifest = nextManifest;
    },
    addRoute(prefix, resolve) {
      routes.set(prefix, resolve);
    },
    close() {
      closed ??= new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function serveFile(file: string, request: http.IncomingMessage, response: http.ServerResponse,
  send: (status: number, type: string, body: string) => void): void {
  fs.stat(file, (error, stats) => {
    if (error || !stats.isFile()) return send(404, 'text/plain', 'Not found');
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = parseRange(request.headers.range, stats.size);
    if (range === 'invalid') {
      response.writeHead(416, { 'Content-Range': `bytes */${stats.size}`, 'Cache-Control': 'no-store' });
      return response.end();
    }
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
    const { start, end } = range ?? { start: 0, end: stats.size - 1 };
    headers['Content-Length'] = Math.max(0, end - start + 1);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${stats.size}`;
    response.writeHead(range ? 206 : 200, headers);
    if (request.method === 'HEAD' || stats.size === 0) return response.end();
    const stream = fs.createReadStream(file, { start, end });
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  });
}
