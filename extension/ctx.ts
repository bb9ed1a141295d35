// Owns the language client's life: starts the server lazily, the first time a composition (an HTML document
// with a data-composition-id) is opened or shown; keeps the status item in step with the client's state;
// pushes settings and workspace trust to the server; reports crashes and restarts (the client's default
// error handler restarts a dead server up to 4 times in 3 minutes, then gives up and says so).
import * as vscode from 'vscode';
import {
  CloseAction, DidChangeConfigurationNotification, LanguageClient, RevealOutputChannelOn, State, TransportKind,
  type CloseHandlerResult, type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  PageConsoleNotification, PreviewCompositionRequest, ProbeStatusNotification, SETTINGS_SECTION,
  type ConfigurationSettings, type InitializationOptions,
} from '../server/protocol/lsp';
import { isCompositionDocument } from '../server/engine/compile';
import { findServerBundle } from './bootstrap';
import { affectsServer, readServerSettings } from './config';
import { appendPageConsole, type ExtensionLogs } from './log';
import type { LanguageStatus, ServerPhase } from './status';

export const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'HyperFrames Live';
/** Port of "Attach to Language Server" in .vscode/launch.json, used when the extension runs in debug mode. */
const SERVER_DEBUG_PORT = 6009;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'html' },
  { scheme: 'untitled', language: 'html' },
];

/**
 * A composition is an HTML document that names a composition somewhere (root, or a sub-composition's template):
 * the language server's own test, so the client's context key, the server start and the server agree.
 */
export function isComposition(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0 && isCompositionDocument(document.getText());
}

/** Set while the active editor holds a composition (editor/title's Render button, the palette's render commands). */
export const COMPOSITION_CONTEXT_KEY = 'hyperframesLive.isComposition';

/**
 * Keeps COMPOSITION_CONTEXT_KEY in step with the active editor (the one setter of it); `onComposition` runs
 * whenever the active editor holds a composition (the Renders view shows from then on).
 */
export function trackCompositionContext(onComposition: () => void): vscode.Disposable {
  let active: boolean | undefined;
  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const now = document !== undefined && isComposition(document);
    if (now) onComposition();
    if (now === active) return;
    active = now;
    void vscode.commands.executeCommand('setContext', COMPOSITION_CONTEXT_KEY, now);
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument(event => {
      if (event.document === vscode.window.activeTextEditor?.document) update();
    }),
  );
}

export class HyperframesLive implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private phase: ServerPhase = 'not-started';
  private starts = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly logs: ExtensionLogs,
    private readonly status: LanguageStatus,
  ) {}

  get serverPhase(): ServerPhase {
    return this.phase;
  }

  /** How many times a language server reached 'running' (restarts included). */
  get serverStarts(): number {
    return this.starts;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The client when the server is up, for requests that have a local fallback. */
  get runningClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /**
   * The preview's composition, compiled by the language server (started if needed) from the text it has;
   * null when the file is not a composition.
   */
  async previewComposition(entryFile: string, reuse: boolean): Promise<PreviewCompositionRequest.Result> {
    const client = await this.start();
    return client.sendRequest(PreviewCompositionRequest.type, { uri: client.code2ProtocolConverter.asUri(vscode.Uri.file(entryFile)), reuse });
  }

  /** Watches documents and settings; starts the server at once if a composition is already open. */
  watch(): void {
    const startIfComposition = (document: vscode.TextDocument): void => {
      // Only the first start is automatic: after a failed one, Restart retries (not every keystroke).
      if (this.phase === 'not-started' && !this.starting && isComposition(document)) {
        void this.start().catch(() => undefined /* reported by createAndStart */);
      }
    };
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument(startIfComposition),
      vscode.window.onDidChangeVisibleTextEditors(editors => editors.forEach(e => startIfComposition(e.document))),
      // An untitled or plain HTML file becomes a composition when its author types the attribute.
      vscode.workspace.onDidChangeTextDocument(event => startIfComposition(event.document)),
      vscode.workspace.onDidChangeConfiguration(event => {
        if (affectsServer(event)) this.pushSettings('settings changed');
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.status.setTrusted(true);
        this.pushSettings('workspace trust granted');
      }),
    );
    vscode.workspace.textDocuments.forEach(startIfComposition);
  }

  /** Starts the language server (once; concurrent callers share the start). */
  start(): Promise<LanguageClient> {
    if (this.client) return Promise.resolve(this.client);
    this.starting ??= this.createAndStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  async restart(): Promise<void> {
    if (!this.client) {
      await this.start();
      return;
    }
    this.logs.main.info('Restarting the language server on request');
    this.setPhase('restarting', 'restarting on request');
    await this.client.restart();
  }

  /** Sends the current settings (and trust) to the server, which applies them without a restart. */
  private pushSettings(reason: string): void {
    const client = this.runningClient;
    const settings = readServerSettings(this.trusted);
    this.logs.main.info(`Settings (${reason}): ${JSON.stringify(settings)}`);
    if (!client) return; // the next start sends them in initializationOptions
    const params: { settings: ConfigurationSettings } = { settings: { [SETTINGS_SECTION]: settings } };
    client.sendNotification(DidChangeConfigurationNotification.type, params).catch((error: unknown) => {
      this.logs.main.error(`Could not send the settings to the language server: ${String(error)}`);
    });
  }

  private async createAndStart(): Promise<LanguageClient> {
    this.setPhase('starting');
    let client: LanguageClient;
    try {
      const bundle = findServerBundle(this.context);
      this.logs.main.info(`Starting the language server: ${bundle.module} (${bundle.origin})`);
      client = this.createClient(bundle.module);
    } catch (error) {
      this.setPhase('stopped', error instanceof Error ? error.message : String(error));
      this.reportStartFailure(error);
      throw error;
    }
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      // initializationFailedHandler has already logged it; the client stays so Restart can retry it.
      this.setPhase('stopped', `the language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
      this.reportStartFailure(error);
      throw error;
    }
    return client;
  }

  private createClient(serverModule: string): LanguageClient {
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] } },
    };
    let defaultErrorHandler: ErrorHandler | undefined;
    const errorHandler: ErrorHandler = {
      error: (error, message, count) => defaultErrorHandler!.error(error, message, count),
      closed: async (): Promise<CloseHandlerResult> => {
        const result = await defaultErrorHandler!.closed();
        if (result.action === CloseAction.Restart) {
          this.logs.main.warn('The language server stopped unexpectedly; restarting it');
          this.setPhase('restarting', 'the language server stopped unexpectedly; restarting it');
        } else {
          this.logs.main.error(`The language server stopped and will not be restarted: ${result.message ?? ''}`);
          this.setPhase('stopped', result.message ?? 'the language server stopped');
        }
        return result;
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.logs.main,
      traceOutputChannel: this.logs.main,
      // The status item and notifications say what matters; the log opens on request.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function, so every (re)start sends the settings and trust as they are then.
      initializationOptions: (): InitializationOptions => ({ settings: readServerSettings(this.trusted) }),
      errorHandler,
      initializationFailedHandler: error => {
        this.logs.main.error(`The language server failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    defaultErrorHandler = client.createDefaultErrorHandler();
    this.subscriptions.push(
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) {
          this.starts++;
          this.setPhase('running');
        }
        // Starting after a crash stays 'restarting' until it runs; a first start is already 'starting'.
        else if (newState === State.Starting && this.phase !== 'restarting') this.setPhase('starting');
      }),
      client.onNotification(ProbeStatusNotification.type, params => this.status.setProbeStatus(params)),
      client.onNotification(PageConsoleNotification.type, params => appendPageConsole(this.logs.pageConsole, params)),
    );
    return client;
  }

  private setPhase(phase: ServerPhase, detail?: string): void {
    this.phase = phase;
    this.status.setPhase(phase, detail);
  }

  private reportStartFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.logs.main.error(`The language server could not start: ${message}`);
    void vscode.window.showErrorMessage(`HyperFrames Live: the language server could not start. ${message}`, 'Show Log')
      .then(choice => { if (choice) this.logs.main.show(); });
  }

  async dispose(): Promise<void> {
    this.subscriptions.forEach(s => s.dispose());
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) await client.stop();
  }
}
