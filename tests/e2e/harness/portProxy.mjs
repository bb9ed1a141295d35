// code-server's /proxy/<port>/ route, which its own wrapper serves and the bare VS Code server the harness runs
// does not: asExternalUri turns a loopback URL (a webview's iframe of a local file server) into
// <this proxy>/proxy/<port>/…, and this forwards it, WebSocket upgrades included, to 127.0.0.1:<port>. It binds
// on loopback and forwards to loopback only.
import http from 'node:http';
import net from 'node:net';

const ROUTE = /^\/proxy\/(\d{1,5})(\/.*)?$/;

function target(url) {
  const match = ROUTE.exec(url ?? '');
  if (!match) return undefined;
  const port = Number(match[1]);
  return port > 0 && port < 65536 ? { port, path: match[2] ?? '/' } : undefined;
}

export async function startPortProxy() {
  const sockets = new Set();
  const server = http.createServer((request, response) => {
    const to = target(request.url);
    if (process.env.E2E_PROXY_DEBUG) console.log('[proxy]', request.method, request.url, request.headers.origin ?? '');
    if (!to) {
      response.writeHead(404).end();
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: to.port, path: to.path, method: request.method,
      headers: { ...request.headers, host: `127.0.0.1:${to.port}` } }, answer => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', error => { if (!response.headersSent) response.writeHead(502); response.end(String(error.message)); });
    request.pipe(upstream);
  });
  server.on('upgrade', (request, socket, head) => {
    const to = target(request.url);
    if (!to) return socket.destroy();
    const upstream = net.connect(to.port, '127.0.0.1', () => {
      const headers = Object.entries({ ...request.headers, host: `127.0.0.1:${to.port}` }).map(([k, v]) => `${k}: ${v}`).join('\r\n');
      upstream.write(`${request.method} ${to.path} HTTP/1.1\r\n${headers}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    for (const end of [upstream, socket]) {
      sockets.add(end);
      end.on('close', () => sockets.delete(end));
      end.on('error', () => { upstream.destroy(); socket.destroy(); });
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    /** The proxyEndpointTemplate VS Code's server takes from $VSCODE_PROXY_URI. */
    template: `http://127.0.0.1:${server.address().port}/proxy/{{port}}/`,
    close: () => new Promise(resolve => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
