// One preview panel: owns the webview and the composition's PreviewSession (the language server's compile +
// the file server), answers
// the webview's messages, and queues what it sends while the panel is hidden (a hidden webview may be
// discarded; it asks again with 'ready' when it comes back).
import * as vscode from 'vscode';
import type { Clip } from '../../server/engine/model';
import { isInside } from '../../server/engine/project';
import type {
  ExtensionToWebviewMessage,
  PreviewComposition,
  VariableOverrides,
  WebviewToExtensionMessage,
} from '../../server/protocol/webview';
import { clipAtOffset, clipExtents, type ClipExtent } from './clipLocator';
import { previewHtml } from './html';
import { describeForWebview, externalEntryUrl, NOT_A_COMPOSITION_MESSAGE, PreviewSession, type CompositionSource } from './session';
import { PREVIEW_READY_TIMEOUT_MS } from './limits';
import { ReadyWatchdog } from './readyWatchdog';
import { readPreviewSettings } from './settings';

export const PREVIEW_VIEW_TYPE = 'hyperframesLive.preview';
export const RENDER_COMMAND = 'hyperframesLive.render';

export interface PreviewPanelContext {
  distUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The compiled composition, from the language server (PreviewCompositionRequest). */
  compositionSource: CompositionSource;
}

/** What the end-to-end tests read through the internal inspect command. */
export interface PreviewPanelStatus {
  uri: string;
  visible: boolean;
  /** Completed reloads (compile + entry swap), the first load included. */
  reloads: number;
  /** The last thing the iframe reported. */
  frame: { status: 'loaded'; duration: number; loadMs: number } | { status: 'failed'; message: string } | undefined;
  /** Frame reports so far: a reload that reached the screen increments it. */
  frameReports: number;
  /** Times the webview's HTML was set (a page that did not start is loaded again: readyWatchdog.ts). */
  webviewLoads: number;
}

export class PreviewPanel implements vscode.Disposable {
  private readonly session: PreviewSession;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Messages waiting for the webview to be visible and listening. */
  private queue: ExtensionToWebviewMessage[] = [];
  private webviewReady = false;
  private composition: PreviewComposition | undefined;
  private frameOrigin: string | undefined;
  private externalEntryUrl: string | undefined;
  private reloading = false;
  /** A reload asked for while one runs: whether it may reuse the server's compile (only editor text changed). */
  private pendingReload: { reuse: boolean } | undefined;
  private typingTimer: NodeJS.Timeout | undefined;
  private highlighted: string | undefined;
  private extents: { uri: string; version: number; extents: ClipExtent[] } | undefined;
  private readonly status: PreviewPanelStatus;
  private readonly readyWatchdog: ReadyWatchdog;

  constructor(readonly panel: vscode.WebviewPanel, readonly uri: vscode.Uri, private readonly context: PreviewPanelContext) {
    this.session = new PreviewSession({
      entryFile: uri.fsPath,
      compositionSource: context.compositionSource,
      bridgeScriptPath: vscode.Uri.joinPath(context.distUri, 'preview-bridge.js').fsPath,
      runtimePath: vscode.Uri.joinPath(context.distUri, 'runtime.js').fsPath,
      logger: context.log,
    });
    this.status = { uri: uri.toString(), visible: panel.visible, reloads: 0, frame: undefined, frameReports: 0, webviewLoads: 0 };
    this.readyWatchdog = new ReadyWatchdog({
      shouldWait: () => this.panel.visible && !this.webviewReady,
      reload: attempt => {
        context.log.warn(`preview: ${uri.fsPath}: the preview page did not start within ${PREVIEW_READY_TIMEOUT_MS} ms; loading it again (attempt ${attempt})`);
        this.setHtml();
      },
      giveUp: attempts => {
        context.log.error(`preview: ${uri.fsPath}: the preview page did not start, loaded ${attempts + 1} times`);
        void vscode.window.showErrorMessage('The HyperFrames preview did not start. Close the preview and open it again; the log (HyperFrames Live) has the details.');
      },
    });
    panel.webview.options = { enableScripts: true, localResourceRoots: [context.distUri] };
    panel.title = `Preview ${vscode.workspace.asRelativePath(uri, false)}`;
    this.setHtml();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: WebviewToExtensionMessage) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        this.status.visible = panel.visible;
        // A webview whose content was discarded while hidden reloads and sends 'ready' again.
        if (panel.visible) {
          this.flush();
          if (!this.webviewReady) this.readyWatchdog.arm();
        } else this.webviewReady = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
    );
    void this.reload();
  }

  get statusSnapshot(): PreviewPanelStatus {
    return { ...this.status };
  }

  /** Files whose save reloads this preview: the composition's dependencies and the project's css/js/html. */
  dependsOn(file: string): boolean {
    const composition = this.session.snapshot?.composition;
    if (!composition) return file === this.uri.fsPath;
    if (file === composition.entryFile || composition.dependencies.includes(file)) return true;
    return isInside(composition.projectRoot, file) && /\.(css|m?js|html?)$/i.test(file);
  }

  /** Files the composition is compiled from (entry and sub-compositions): unsaved text of these can be previewed. */
  compilesFrom(file: string): boolean {
    const composition = this.session.snapshot?.composition;
    if (!composition) return file === this.uri.fsPath;
    return file === composition.entryFile || composition.subCompositions.some(sub => sub.file === file);
  }

  /**
   * Gets the composition again (compiled by the language server, from the editor's text) and reloads the iframe
   * at the current time. `reuse`: only editor text changed, the server's compile of it will do.
   */
  async reload(reuse = false): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.post({ type: 'problems', problems: [{ severity: 'warning', message: 'The preview runs the composition\'s scripts: trust this workspace to preview it.' }] });
      return;
    }
    if (this.reloading) {
      // A queued reload that must compile again stays so when a typing one joins it.
      this.pendingReload = { reuse: reuse && (this.pendingReload?.reuse ?? true) };
      return;
    }
    this.reloading = true;
    try {
      let next: typeof this.pendingReload = { reuse };
      while (next) {
        this.pendingReload = undefined;
        await this.reloadOnce(next.reuse);
        next = this.pendingReload;
      }
    } finally {
      this.reloading = false;
    }
  }

  /** The typing debounce: called on every change of a file the composition compiles from. */
  scheduleReloadFromText(): void {
    const settings = readPreviewSettings();
    if (!settings.reloadOnType) return;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => void this.reload(true), settings.reloadOnTypeDelayMs);
  }

  /** Editor sync: highlights the clip whose element holds the cursor (and seeks there if the user asked). */
  async onCursor(document: vscode.TextDocument, position: vscode.Position): Promise<void> {
    const clips = this.session.snapshot?.composition.clips;
    if (!clips || !this.compilesFrom(document.uri.fsPath)) return;
    const extents = await this.extentsFor(document, clips);
    const clipId = clipAtOffset(extents, document.offsetAt(position));
    if (clipId === this.highlighted) return;
    this.highlighted = clipId;
    this.post({ type: 'highlightClip', clipId, seek: clipId !== undefined && readPreviewSettings().seekOnCursor });
  }

  /** Shows the panel in the column it is in. */
  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    clearTimeout(this.typingTimer);
    this.readyWatchdog.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.session.close().catch(error => this.context.log.warn(`preview: closing the file server failed: ${String(error)}`));
    this.disposed.fire();
    this.disposed.dispose();
  }

  private async reloadOnce(reuse: boolean): Promise<void> {
    const started = Date.now();
    try {
      const snapshot = await this.session.refresh(reuse);
      if (!snapshot) {
        this.composition = undefined;
        this.post({ type: 'problems', problems: [{ severity: 'error', message: NOT_A_COMPOSITION_MESSAGE }] });
        return;
      }
      const entryUrl = this.session.entryUrl;
      const origin = this.session.origin;
      if (!entryUrl || !origin) return;
      if (!this.externalEntryUrl) {
        const external = await vscode.env.asExternalUri(vscode.Uri.parse(origin + '/'));
        this.externalEntryUrl = externalEntryUrl(external.toString(true), entryUrl);
        this.frameOrigin = `${external.scheme}://${external.authority}`;
        this.context.log.info(`preview: ${this.uri.fsPath} is served at ${entryUrl} (the webview loads ${this.externalEntryUrl})`);
        this.setHtml();
      }
      this.composition = describeForWebview(snapshot, this.externalEntryUrl, this.uri.toString(), this.session.variableOverrides);
      this.extents = undefined;
      this.status.reloads++;
      this.context.log.debug(`preview: compiled ${this.uri.fsPath} in ${snapshot.compileMs} ms (reload ${Date.now() - started} ms)`);
      this.post({ type: 'composition', composition: this.composition, keepTime: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.context.log.error(`preview: ${this.uri.fsPath} could not be compiled: ${message}`);
      this.post({ type: 'problems', problems: [{ severity: 'error', message: `The composition could not be compiled: ${message}` }] });
    }
  }

  /** The Variables panel's values: the same compile served again with them; the webview keeps its time. */
  private applyVariables(values: VariableOverrides): void {
    this.session.setVariables(values);
    const snapshot = this.session.snapshot;
    if (!snapshot || !this.externalEntryUrl) return;
    this.composition = describeForWebview(snapshot, this.externalEntryUrl, this.uri.toString(), this.session.variableOverrides);
    this.context.log.debug(`preview: variables ${JSON.stringify(this.composition.variableOverrides)} over the defaults`);
    this.post({ type: 'composition', composition: this.composition, keepTime: true });
  }

  private setHtml(): void {
    this.webviewReady = false;
    this.status.webviewLoads++;
    this.panel.webview.html = previewHtml(this.panel.webview, this.context.distUri, this.frameOrigin);
    this.readyWatchdog.arm();
  }

  private onMessage(message: WebviewToExtensionMessage): void {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.readyWatchdog.ready();
        // A fresh page knows nothing: drop older compositions from the queue and send the current one.
        this.queue = this.queue.filter(m => m.type !== 'composition');
        if (this.composition) this.queue.unshift({ type: 'composition', composition: this.composition, keepTime: true });
        this.flush();
        break;
      case 'revealClip':
        void this.revealClip(message.clipId);
        break;
      case 'renderRange':
        void vscode.commands.executeCommand(RENDER_COMMAND, { uri: this.uri, range: message.range }).then(undefined, error => {
          void vscode.window.showErrorMessage(`Render Range failed: ${error instanceof Error ? error.message : String(error)}`);
        });
        break;
      case 'setVariables':
        this.applyVariables(message.values);
        break;
      case 'renderWithVariables':
        // A normal render (queue, notification, Copy CLI Command) given the panel's values, as --variables.
        void vscode.commands.executeCommand(RENDER_COMMAND, { uri: this.uri, variables: message.values }).then(undefined, error => {
          void vscode.window.showErrorMessage(`Render with These Values failed: ${error instanceof Error ? error.message : String(error)}`);
        });
        break;
      case 'frameStatus':
        this.status.frame = message.status === 'loaded'
          ? { status: 'loaded', duration: message.duration, loadMs: message.loadMs }
          : { status: 'failed', message: message.message };
        this.status.frameReports++;
        if (message.status === 'failed') this.context.log.warn(`preview: ${this.uri.fsPath}: ${message.message}`);
        else this.context.log.debug(`preview: frame shown after ${Math.round(message.loadMs)} ms (duration ${message.duration} s)`);
        break;
    }
  }

  private post(message: ExtensionToWebviewMessage): void {
    // Only the newest composition matters: a queue of reloads would replay every one of them.
    if (message.type === 'composition') this.queue = this.queue.filter(m => m.type !== 'composition');
    if (message.type === 'problems') this.queue = this.queue.filter(m => m.type !== 'problems');
    this.queue.push(message);
    this.flush();
  }

  private flush(): void {
    if (!this.panel.visible || !this.webviewReady) return;
    for (const message of this.queue.splice(0)) void this.panel.webview.postMessage(message);
  }

  private async extentsFor(document: vscode.TextDocument, clips: readonly Clip[]): Promise<ClipExtent[]> {
    const uri = document.uri.toString();
    if (this.extents?.uri !== uri || this.extents.version !== document.version) {
      this.extents = { uri, version: document.version, extents: await clipExtents(document.uri.fsPath, document.getText(), clips) };
    }
    return this.extents.extents;
  }

  private async revealClip(clipId: string): Promise<void> {
    const clips = this.session.snapshot?.composition.clips ?? [];
    const clip = clips.find(c => c.id === clipId);
    if (!clip) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(clip.file));
    // The element may have moved since the last compile (unsaved edits): find it in the current text.
    const extent = (await this.extentsFor(document, clips)).find(e => e.clipId === clipId);
    const start = extent ? document.positionAt(extent.start) : new vscode.Position(clip.tagRange.start.line, clip.tagRange.start.character);
    const shown = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === document.uri.toString());
    const column = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    // The preview keeps the keyboard: the next J/K/L must drive the transport, not type into the HTML.
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Range(start, start), preserveFocus: true });
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
