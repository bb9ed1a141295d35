// The loopback file server: project containment (403 + recorded), Range requests, MIME types, no caching,
// and the entry served from the compiled HTML with the runtime first in <head> on the same line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { injectRuntimeScript, RUNTIME_URL_PATH, startFileServer, type FileServerHandle } from '../../server/engine/fileServer';
import type { RuntimeManifest } from '../../server/engine/runtime/manifest';
import { runtimeBundle } from './probeSupport';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent byte for byte (no client-side normalisation of "..", unlike a browser). */
function rawGet(origin: string, rawPath: string, headers: http.OutgoingHttpHeaders = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET', headers, agent: false }, response => {
      const chunks: Uint8Array[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(new Uint8Array(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

const ENTRY_HTML = '<!doctype html>\n<html>\n<head>\n<title>t</title>\n</head>\n<body><div id="root"></div>\n<script>boom()</script>\n</body>\n</html>\n';
const MANIFEST: RuntimeManifest = { rootId: 'root', staticDuration: 2, clips: [], hosts: [] };

describe('file server', () => {
  let project: string;
  let outside: string;
  let server: FileServerHandle;

  before(async () => {
    project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hf-fileserver-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hf-outside-')));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(project, 'index.html'), 'ON DISK, NOT SERVED');
    fs.mkdirSync(path.join(project, 'assets'));
    fs.writeFileSync(path.join(project, 'assets', 'digits.txt'), '0123456789');
    fs.writeFileSync(path.join(project, 'assets', 'clip.mp4'), new Uint8Array(64).fill(7));
    fs.symlinkSync(outside, path.join(project, 'escape'));
    fs.symlinkSync('/etc', path.join(project, 'etc-link'));
    server = await startFileServer({ projectRoot: project, entryFile: path.join(project, 'index.html'), entryHtml: ENTRY_HTML, manifest: MANIFEST, runtimePath: runtimeBundle() });
  });

  after(async () => {
    await server.close();
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('serves the compiled entry with the runtime first in <head>, on the same line', async () => {
    assert.equal(server.entryUrl, `${server.origin}/index.html`);
    const response = await rawGet(server.origin, '/index.html');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-store');
    const served = response.body.toString('utf8');
    const lines = served.split('\n');
    assert.equal(lines.length, ENTRY_HTML.split('\n').length);
    assert.equal(lines[2], `<head><script src="${RUNTIME_URL_PATH}"></script>`);
    assert.equal(lines[6], '<script>boom()</script>');
  });

  it('serves the runtime with the clip table before it', async () => {
    const response = await rawGet(server.origin, RUNTIME_URL_PATH);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/javascript/);
    const body = response.body.toString('utf8');
    assert.ok(body.startsWith(`window.__hfManifest = ${JSON.stringify(MANIFEST)};\n`));
    assert.ok(body.length > 1000);
  });

  it('replaces the entry document and the clip table with setEntryHtml', async () => {
    const manifest: RuntimeManifest = { ...MANIFEST, staticDuration: 7 };
    server.setEntryHtml('<html><head></head><body>v2</body></html>', manifest);
    assert.equal((await rawGet(server.origin, '/index.html')).body.toString(), `<html><head><script src="${RUNTIME_URL_PATH}"></script></head><body>v2</body></html>`);
    assert.match((await rawGet(server.origin, RUNTIME_URL_PATH)).body.toString(), /"staticDuration":7/);
    server.setEntryHtml(ENTRY_HTML, MANIFEST);
  });

  it('serves project files with MIME types and answers Range requests with 206', async () => {
    const whole = await rawGet(server.origin, '/assets/digits.txt');
    assert.equal(whole.status, 200);
    assert.equal(whole.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.body.toString(), '0123456789');
    const middle = await rawGet(server.origin, '/assets/digits.txt', { Range: 'bytes=2-5' });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers['content-range'], 'bytes 2-5/10');
    assert.equal(middle.body.toString(), '2345');
    const tail = await rawGet(server.origin, '/assets/digits.txt', { Range: 'bytes=-3' });
    assert.equal(tail.status, 206);
    assert.equal(tail.body.toString(), '789');
    const open = await rawGet(server.origin, '/assets/digits.txt', { Range: 'bytes=8-' });
    assert.equal(open.body.toString(), '89');
    const beyond = await rawGet(server.origin, '/assets/digits.txt', { Range: 'bytes=50-' });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers['content-range'], 'bytes */10');
    const video = await rawGet(server.origin, '/assets/clip.mp4', { Range: 'bytes=0-1' });
    assert.equal(video.status, 206);
    assert.equal(video.headers['content-type'], 'video/mp4');
    assert.equal((await rawGet(server.origin, '/assets/nope.png')).status, 404);
    assert.equal((await rawGet(server.origin, '/assets')).status, 404);
  });

  it('follows symlinks the project contains, wherever they lead (monorepo asset folders)', async () => {
    const linked = await rawGet(server.origin, '/escape/secret.txt');
    assert.equal(linked.status, 200);
    assert.match(linked.body.toString(), /secret$/);
  });

  it('refuses every way out of the project with 403 and records each refusal', async () => {
    const before = server.refusedRequests.length;
    const attempts = ['/../x', '/%2e%2e/x', '/assets/%2E%2E%2Fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\x'];
    for (const attempt of attempts) {
      const response = await rawGet(server.origin, attempt);
      assert.equal(response.status, 403, attempt);
      assert.doesNotMatch(response.body.toString(), /secret$/);
    }
    const refused = server.refusedRequests.slice(before);
    assert.deepEqual(refused.map(r => r.url), attempts.map(a => `${server.origin}${a}`));
    assert.deepEqual(refused.map(r => r.reason), [
      'outside-project', 'encoded-separator', 'encoded-separator', 'encoded-separator', 'encoded-separator',
    ]);
  });

  it('closes: the port stops accepting connections', async () => {
    const other = await startFileServer({ projectRoot: project, entryFile: path.join(project, 'index.html'), entryHtml: ENTRY_HTML, manifest: MANIFEST, runtimePath: runtimeBundle() });
    assert.equal((await rawGet(other.origin, '/assets/digits.txt')).status, 200);
    await other.close();
    await assert.rejects(rawGet(other.origin, '/assets/digits.txt'), /ECONNREFUSED/);
  });

  it('injects after <html> or at the start when the document has no <head>', () => {
    const tag = `<script src="${RUNTIME_URL_PATH}"></script>`;
    assert.equal(injectRuntimeScript('<html lang="en">\n<body></body></html>'), `<html lang="en">${tag}\n<body></body></html>`);
    assert.equal(injectRuntimeScript('<div>x</div>'), `${tag}<div>x</div>`);
    assert.equal(injectRuntimeScript('<HEAD data-x="1">'), `<HEAD data-x="1">${tag}`);
  });
});
