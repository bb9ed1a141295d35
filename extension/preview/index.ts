// The preview's entry point in the extension: the Open Preview commands, one panel per composition, the
// serializer that restores panels after a reload, and the editor events a preview follows (saves and file
// changes reload it, typing may reload it, the cursor highlights the clip it is in).
import { CommandIds } from '../commands';
import * as vscode from 'vscode';
import type { PreviewWebviewState } from '../../server/protocol/webview';
import { PREVIEW_VIEW_TYPE, PreviewPanel, type PreviewPanelStatus } from './panel';
import type { CompositionSource } from './session';

/** The preview commands (ids from the one table, extension/commands.ts). */
export const PreviewCommands = {
  open: CommandIds.openPreview,
  openToSide: CommandIds.openPreviewToSide,
  inspect: CommandIds.inspectPreviews,
} as const;

/** A save of a file echoes as a watcher event shortly after; one reload is enough. */
const SAVE_ECHO_WINDOW_MS = 2_000;

export interface PreviewDeps {
  log: vscode.LogOutputChannel;
  /** The compiled composition, from the language server. */
  compositionSource: CompositionSource;
}

class PreviewManager implements vscode.Disposable {
  private readonly panels = new Map<string, PreviewPanel>();
  private readonly recentSaves = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly distUri: vscode.Uri;

  constructor(context: vscode.ExtensionContext, private readonly deps: PreviewDeps) {
    this.distUri = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{html,htm,css,js,mjs}');
    this.disposables.push(
      watcher,
      watcher.onDidChange(uri => this.onFileChanged(uri)),
      watcher.onDidCreate(uri => this.onFileChanged(uri)),
      vscode.workspace.onDidSaveTextDocument(document => this.onSaved(document)),
      vscode.workspace.onDidChangeTextDocument(event => this.onEdited(event)),
      vscode.window.onDidChangeTextEditorSelection(event => this.onSelection(event)),
    );
  }

  open(uri: vscode.Uri | undefined, toSide: boolean): void {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') {
      void vscode.window.showWarningMessage('Open a HyperFrames composition (an .html file) to preview it.');
      return;
    }
    const column = toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const existing = this.panels.get(target.toString());
    if (existing) {
      // Where the user put it: moving it onto the editor would hide the code it previews.
      existing.reveal(toSide);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview', { viewColumn: column, preserveFocus: toSide },
      { enableScripts: true, localResourceRoots: [this.distUri] });
    this.adopt(panel, target);
  }

  /** The serializer's half: a panel VS Code recreated after a window reload. */
  restore(panel: vscode.WebviewPanel, state: PreviewWebviewState | undefined): void {
    if (!state?.uri) {
      this.deps.log.warn('preview: a panel restored after a reload names no composition; closing it');
      panel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(state.uri);
    if (this.panels.has(uri.toString())) {
      panel.dispose();
      return;
    }
    this.deps.log.info(`preview: restored the panel of ${uri.fsPath} at ${state.time} s`);
    this.adopt(panel, uri);
  }

  statuses(): PreviewPanelStatus[] {
    return [...this.panels.values()].map(panel => panel.statusSnapshot);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, uri: vscode.Uri): void {
    const panel = new PreviewPanel(webviewPanel, uri, { distUri: this.distUri, log: this.deps.log, compositionSource: this.deps.compositionSource });
    const key = uri.toString();
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  private onSaved(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file') return;
    const file = document.uri.fsPath;
    this.recentSaves.set(file, Date.now());
    for (const panel of this.panels.values()) if (panel.dependsOn(file)) void panel.reload();
  }

  /** Changes made outside the editor (git checkout, a build writing a stylesheet). */
  private onFileChanged(uri: vscode.Uri): void {
    const file = uri.fsPath;
    const savedAt = this.recentSaves.get(file);
    if (savedAt !== undefined && Date.now() - savedAt < SAVE_ECHO_WINDOW_MS) return;
    for (const panel of this.panels.values()) if (panel.dependsOn(file)) void panel.reload();
  }

  private onEdited(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0 || event.document.uri.scheme !== 'file') return;
    for (const panel of this.panels.values()) if (panel.compilesFrom(event.document.uri.fsPath)) panel.scheduleReloadFromText();
  }

  private onSelection(event: vscode.TextEditorSelectionChangeEvent): void {
    const document = event.textEditor.document;
    if (document.uri.scheme !== 'file') return;
    const position = event.selections[0]?.active;
    if (!position) return;
    for (const panel of this.panels.values()) {
      void panel.onCursor(document, position).catch(error => this.deps.log.warn(`preview: editor sync failed: ${String(error)}`));
    }
  }
}

/** Called once from activate(): registers the commands and the serializer; disposed with the extension. */
export function registerPreview(context: vscode.ExtensionContext, deps: PreviewDeps): vscode.Disposable {
  const manager = new PreviewManager(context, deps);
  const registrations = vscode.Disposable.from(
    manager,
    vscode.commands.registerCommand(PreviewCommands.open, (uri?: vscode.Uri) => manager.open(uri, false)),
    vscode.commands.registerCommand(PreviewCommands.openToSide, (uri?: vscode.Uri) => manager.open(uri, true)),
    vscode.commands.registerCommand(PreviewCommands.inspect, () => manager.statuses()),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        manager.restore(panel, state as PreviewWebviewState | undefined);
      },
    }),
  );
  context.subscriptions.push(registrations);
  return registrations;
}
