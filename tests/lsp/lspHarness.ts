// Test harness: starts the real language server (dist/server.js --stdio, built by `npm run build`) and speaks
// LSP to it over stdio with vscode-jsonrpc's node client. Records every publishDiagnostics and notification
// so tests can wait for exactly the one they expect.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { ServerSettings } from '../../server/protocol/lsp';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist/server.js');
const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/lsp');
const GSAP = path.join(REPO_ROOT, 'node_modules/gsap/dist/gsap.min.js');

/** Generous: two cores shared with other browser-heavy suites. */
export const WAIT_MS = 60_000;

export interface Published extends PublishDiagnosticsParams {
  /** Order of arrival over all publishes. */
  sequence: number;
}

/** Copies a fixture project into a fresh temp folder (with GSAP in vendor/) and returns its path. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hf-lsp-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'vendor'), { recursive: true });
  fs.copyFileSync(GSAP, path.join(dir, 'vendor/gsap.min.js'));
  return dir;
}

/** A `fixture(name)` that copies fixtures into temp folders, all removed after the test file's suites. */
export function fixtureCopies(): (name: string) => string {
  const folders: string[] = [];
  after(() => { for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true }); });
  return name => {
    const dir = copyFixture(name);
    folders.push(dir);
    return dir;
  };
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** Pids of every descendant of `pid` (from /proc), for checking nothing outlives the server. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // The process exited while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** True while a pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

type Listener = () => void;

export class LspTestClient {
  readonly published: Published[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly logs: string[] = [];
  private sequence = 0;
  private listeners = new Set<Listener>();
  private versions = new Map<string, number>();
  private exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection) {
    this.exited = new Promise(resolve => process.once('exit', code => resolve(code)));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push({ ...params, sequence: this.sequence++ });
      this.emit();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.emit();
    });
  }

  static async start(settings: Partial<ServerSettings> = {}): Promise<LspTestClient> {
    if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first.`);
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => { if (process.env.HF_LSP_DEBUG) process.stderr.write(chunk.toString()); });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first value `probe` returns (checked now and on every message), or fails after WAIT_MS. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; last publishes: ${JSON.stringify(this.published.slice(-4), null, 1)}\nlog:\n${this.logs.slice(-20).join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The first publish for `uri` after sequence `after` that satisfies `accept`. */
  waitForDiagnostics(uri: string, what: string, accept: (p: Published) => boolean, after = -1): Promise<Published> {
    return this.waitFor(what, () => this.published.find(p => p.uri === uri && p.sequence > after && accept(p)));
  }

  lastSequence(): number {
    return this.sequence - 1;
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'html', version: 1, text } });
    return uri;
  }

  /** Replaces the whole text (one full-range change); returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Writes the text to disk (as the editor does) and sends didSave. */
  save(uri: string, file: string, text: string): void {
    fs.writeFileSync(file, text);
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  /**
   * Writes (or deletes, with text undefined) a file on disk as another program would, and sends
   * workspace/didChangeWatchedFiles as the client's file watcher does.
   */
  changeOnDisk(file: string, text: string | undefined): void {
    const existed = fs.existsSync(file);
    if (text === undefined) fs.rmSync(file, { force: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    // FileChangeType: 1 created, 2 changed, 3 deleted.
    const type = text === undefined ? 3 : existed ? 2 : 1;
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type }] });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notificationsOf<P>(method: string): P[] {
    return this.notifications.filter(n => n.method === method).map(n => n.params as P);
  }

  /** shutdown + exit, then waits for the process; returns its exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill('SIGKILL');
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}

/** Only the fields the tests assert exactly: range, severity, code, source. */
export function shape(diagnostics: Diagnostic[]): { code: unknown; severity: unknown; range: string; source: unknown }[] {
  return diagnostics
    .map(d => ({ code: d.code, severity: d.severity, source: d.source,
      range: `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}` }))
    .sort((a, b) => a.range.localeCompare(b.range) || String(a.code).localeCompare(String(b.code)));
}

export function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(d => String(d.code)).sort();
}

/** The exact range of the `occurrence`-th appearance of `needle` in `text` (0-based lines/characters). */
export function rangeOf(text: string, needle: string, occurrence = 0): { start: { line: number; character: number }; end: { line: number; character: number } } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" (#${occurrence}) is not in the text`);
  }
  const at = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: at(offset), end: at(offset + needle.length) };
}

/** The page-console notification of a probe of `uri` at `version` (sent after its diagnostics). */
export type PageConsoleParams = { uri: string; version: number | null; lines: { level: string; text: string }[] };

export function probeFinished(client: LspTestClient, uri: string, version: number): Promise<PageConsoleParams> {
  return client.waitFor(`the probe of ${uri} v${version}`,
    () => client.notificationsOf<PageConsoleParams>('hyperframesLive/pageConsole').find(n => n.uri === uri && n.version === version));
}

/** How many probes of `uri` have finished so far (page-console notifications): a re-check keeps the version. */
export function probeCount(client: LspTestClient, uri: string): number {
  return client.notificationsOf<PageConsoleParams>('hyperframesLive/pageConsole').filter(n => n.uri === uri).length;
}

/** The next probe of `uri` to finish after `count` had (see probeCount). */
export function probeAfter(client: LspTestClient, uri: string, count: number): Promise<PageConsoleParams> {
  return client.waitFor(`probe #${count + 1} of ${uri}`,
    () => client.notificationsOf<PageConsoleParams>('hyperframesLive/pageConsole').filter(n => n.uri === uri)[count]);
}

/** The last publish for `uri` so far. */
export function lastPublish(client: LspTestClient, uri: string): Published | undefined {
  return client.published.filter(p => p.uri === uri).at(-1);
}

/** A diagnostic's message as text (LSP 3.18 allows markup). */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
