// An LSP client for tests: starts the real language server (dist/server.js --stdio, built by `npm run build`)
// and speaks to it over stdio with vscode-jsonrpc's node client, through the protocol's typed messages only
// (vscode-languageserver-protocol's request and notification types, and ours from server/protocol/lsp.ts),
// so a renamed method or a changed parameter shape fails the type-check instead of a test's timeout.
// Records every publishDiagnostics and notification so tests can wait for exactly the one they expect.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, type RequestParam } from 'vscode-jsonrpc/node';
import {
  DidChangeConfigurationNotification, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DidSaveTextDocumentNotification, ExitNotification,
  FileChangeType, InitializedNotification, InitializeRequest, LogMessageNotification, PublishDiagnosticsNotification,
  ShutdownRequest, type NotificationType, type PublishDiagnosticsParams, type RequestType,
} from 'vscode-languageserver-protocol';
import { PageConsoleNotification, SETTINGS_SECTION, type ServerSettings } from '../../server/protocol/lsp';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist/server.js');

/** Generous: two cores shared with other browser-heavy suites. */
export const WAIT_MS = 60_000;

export interface Published extends PublishDiagnosticsParams {
  /** Order of arrival over all publishes. */
  sequence: number;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
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

  private constructor(readonly process: ChildProcess, private readonly connection: MessageConnection) {
    this.exited = new Promise(resolve => process.once('exit', code => resolve(code)));
    connection.onNotification(PublishDiagnosticsNotification.type, params => {
      this.published.push({ ...params, sequence: this.sequence++ });
      this.emit();
    });
    connection.onNotification(LogMessageNotification.type, params => {
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
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** A request by its typed message: LSP's (HoverRequest.type …) or ours (CompositionInfoRequest.type …). */
  request<P, R, E>(type: RequestType<P, R, E>, params: P): Promise<R> {
    // RequestParam<P> is a conditional type TypeScript does not resolve for a generic P; P is what it accepts.
    return this.connection.sendRequest(type, params as RequestParam<P>);
  }

  /** A notification by its typed message. */
  notify<P>(type: NotificationType<P>, params: P): Promise<void> {
    return this.connection.sendNotification(type, params as RequestParam<P>);
  }

  /** workspace/didChangeConfiguration as the client sends it (`settings: { hyperframesLive: … }`), or any payload. */
  configure(settings: Record<string, unknown> | unknown): Promise<void> {
    return this.notify(DidChangeConfigurationNotification.type, { settings });
  }

  /** Shorthand for configure({ hyperframesLive: section }). */
  configureSection(section: Record<string, unknown>): Promise<void> {
    return this.configure({ [SETTINGS_SECTION]: section });
  }

  /** The params of every notification of `type` received so far, in order. */
  notificationsOf<P>(type: NotificationType<P>): P[] {
    return this.notifications.filter(n => n.method === type.method).map(n => n.params as P);
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
    void this.notify(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'html', version: 1, text } });
    return uri;
  }

  /** Replaces the whole text (one full-range change); returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.notify(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Writes the text to disk (as the editor does) and sends didSave. */
  save(uri: string, file: string, text: string): void {
    fs.writeFileSync(file, text);
    void this.notify(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
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
    const type = text === undefined ? FileChangeType.Deleted : existed ? FileChangeType.Changed : FileChangeType.Created;
    void this.notify(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(file), type }] });
  }

  close(uri: string): void {
    void this.notify(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** shutdown + exit, then waits for the process; returns its exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill('SIGKILL');
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}

/** The page-console notification of a probe of `uri` at `version` (sent after its diagnostics). */
export type PageConsoleParams = PageConsoleNotification.Params;

export function probeFinished(client: LspTestClient, uri: string, version: number): Promise<PageConsoleParams> {
  return client.waitFor(`the probe of ${uri} v${version}`,
    () => client.notificationsOf(PageConsoleNotification.type).find(n => n.uri === uri && n.version === version));
}

/** How many probes of `uri` have finished so far (page-console notifications): a re-check keeps the version. */
export function probeCount(client: LspTestClient, uri: string): number {
  return client.notificationsOf(PageConsoleNotification.type).filter(n => n.uri === uri).length;
}

/** The next probe of `uri` to finish after `count` had (see probeCount). */
export function probeAfter(client: LspTestClient, uri: string, count: number): Promise<PageConsoleParams> {
  return client.waitFor(`probe #${count + 1} of ${uri}`,
    () => client.notificationsOf(PageConsoleNotification.type).filter(n => n.uri === uri)[count]);
}

/** The last publish for `uri` so far. */
export function lastPublish(client: LspTestClient, uri: string): Published | undefined {
  return client.published.filter(p => p.uri === uri).at(-1);
}
