// The "Get started with HyperFrames Live" walkthrough's moving parts (its steps are in package.json's
// contributes.walkthroughs): "Open Example Composition" copies the bundled example (examples/hello, shipped
// in the VSIX) to the extension's global storage, a folder the user may write renders into, and opens it;
// the "see a diagnostic" step completes when any HyperFrames diagnostic appears (a context key). The preview
// and render steps' buttons act on the composition editor in view (else the example): a button pressed on the
// walkthrough page leaves no active text editor for the plain commands to take.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from './commands';
import { isComposition } from './ctx';

export const WALKTHROUGH_ID = 'hyperframesLive.gettingStarted';
/** True for a moment whenever a document newly shows a HyperFrames diagnostic: the walkthrough's `onContext` completion. */
export const SAW_DIAGNOSTIC_CONTEXT_KEY = 'hyperframesLive.sawDiagnostic';
/** The bundled example, relative to the extension's folder. */
const EXAMPLE_FOLDER = 'examples/hello';
const EXAMPLE_ENTRY = 'index.html';
/** Diagnostics the language server publishes carry this source (server/lsp/convert.ts DIAGNOSTIC_SOURCE). */
const DIAGNOSTIC_SOURCE = 'hyperframes';

export const WalkthroughCommands = {
  openExample: CommandIds.openExample,
  previewExample: CommandIds.walkthroughPreview,
  renderExample: CommandIds.walkthroughRender,
} as const;

/** The composition a walkthrough button means: the active editor's, else one in view, else undefined. */
function compositionInView(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isComposition(active)) return active.uri;
  return vscode.window.visibleTextEditors.map(editor => editor.document).find(isComposition)?.uri;
}

/**
 * The example's working copy: the bundled folder copied once to global storage (renders are written beside
 * it, and the extension's own folder is replaced on update). Returns the entry file.
 */
export function exampleCopy(extensionPath: string, storage: string): string {
  const target = path.join(storage, 'examples', path.basename(EXAMPLE_FOLDER));
  const entry = path.join(target, EXAMPLE_ENTRY);
  if (!fs.existsSync(entry)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(path.join(extensionPath, EXAMPLE_FOLDER), target, { recursive: true, filter: source => path.basename(source) !== 'renders' });
  }
  return entry;
}

export function registerWalkthrough(context: vscode.ExtensionContext): vscode.Disposable {
  // VS Code's walkthrough hears an onContext event once per window, and a key already true when it registers
  // the walkthrough (it may do so only when its page first opens) counts as heard without ticking the step.
  // So the key is a signal, true for a moment each time a document newly shows a HyperFrames diagnostic:
  // false whenever the walkthrough registers, and the next diagnostic after that ticks the step.
  const withDiagnostics = new Set<string>();
  const announce = async (): Promise<void> => {
    await vscode.commands.executeCommand('setContext', SAW_DIAGNOSTIC_CONTEXT_KEY, true);
    await vscode.commands.executeCommand('setContext', SAW_DIAGNOSTIC_CONTEXT_KEY, false);
  };
  const watchDiagnostics = vscode.languages.onDidChangeDiagnostics(event => {
    let appeared = false;
    for (const uri of event.uris) {
      const key = uri.toString();
      const shown = vscode.languages.getDiagnostics(uri).some(d => d.source === DIAGNOSTIC_SOURCE);
      if (shown && !withDiagnostics.has(key)) {
        withDiagnostics.add(key);
        appeared = true;
      } else if (!shown) {
        withDiagnostics.delete(key);
      }
    }
    if (appeared) void announce();
  });
  const openExampleEditor = async (): Promise<vscode.TextEditor | undefined> => {
    try {
      const entry = exampleCopy(context.extensionPath, context.globalStorageUri.fsPath);
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(entry));
      return await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
    } catch (error) {
      void vscode.window.showErrorMessage(`HyperFrames: the example could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const target = async (): Promise<vscode.Uri | undefined> => compositionInView() ?? (await openExampleEditor())?.document.uri;
  return vscode.Disposable.from(
    watchDiagnostics,
    vscode.commands.registerCommand(WalkthroughCommands.openExample, openExampleEditor),
    vscode.commands.registerCommand(WalkthroughCommands.previewExample, async () => {
      const uri = await target();
      if (uri) await vscode.commands.executeCommand(CommandIds.openPreviewToSide, uri);
    }),
    vscode.commands.registerCommand(WalkthroughCommands.renderExample, async () => {
      const uri = await target();
      return uri ? vscode.commands.executeCommand(CommandIds.render, uri) : undefined;
    }),
  );
}
