// Finds the language server bundle the client starts. It ships inside the extension (dist/server.js, built by
// esbuild.mjs); $HYPERFRAMES_LIVE_SERVER points at another build (a server under development).
import fs from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';

export class ServerBundleNotFoundError extends Error {
  constructor(readonly serverPath: string, origin: string) {
    super(`The HyperFrames Live language server was not found at ${serverPath} (${origin}). ` +
      'If you run the extension from a checkout, build it first: `npm run build`.');
    this.name = 'ServerBundleNotFoundError';
  }
}

export interface ServerBundle {
  /** Absolute path of the server's JavaScript entry. */
  module: string;
  origin: 'bundled' | 'env';
}

export function findServerBundle(context: vscode.ExtensionContext, env: NodeJS.ProcessEnv = process.env): ServerBundle {
  const fromEnv = env.HYPERFRAMES_LIVE_SERVER?.trim();
  const candidate: ServerBundle = fromEnv
    ? { module: path.resolve(fromEnv), origin: 'env' }
    : { module: context.asAbsolutePath(path.join('dist', 'server.js')), origin: 'bundled' };
  if (!fs.existsSync(candidate.module)) {
    throw new ServerBundleNotFoundError(candidate.module,
      candidate.origin === 'env' ? 'from $HYPERFRAMES_LIVE_SERVER' : 'inside the extension');
  }
  return candidate;
}
