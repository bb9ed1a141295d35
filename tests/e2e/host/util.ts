// Helpers the suite files share: the fixture workspace, the extension's test API, waiting for diagnostics.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HyperframesLiveApi } from '../../../extension/main';

export const EXTENSION_ID = 'hyperframes-live.hyperframes-live';
const POLL_MS = 100;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a fixture workspace folder');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), relativePath);
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension's exports, activating it if VS Code has not yet. */
export async function extensionApi(): Promise<HyperframesLiveApi> {
  const extension = vscode.extensions.getExtension<HyperframesLiveApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(api, 'the extension activated without an error');
  return api;
}

/** Thrown inside a waitFor probe when waiting longer cannot help (the language server is down). */
export class WaitAbortedError extends Error {
  override name = 'WaitAbortedError';
}

/** Polls `probe` until it returns a value that is not undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof WaitAbortedError) throw error;
      last = error; // e.g. an assertion inside probe: report the last one on timeout
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}

export function hyperframesDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(d => d.source === 'hyperframes');
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Fails the wait at once when no language server runs or will run (not started, or given up on). */
export async function assertServerUp(): Promise<void> {
  const phase = (await extensionApi()).serverPhase;
  if (phase === 'stopped' || phase === 'not-started') throw new WaitAbortedError(`the language server is ${phase}`);
}

/** Waits until the file's hyperframes diagnostics include one with `code`; returns it. */
export function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs?: number): Promise<vscode.Diagnostic> {
  return waitFor(`a "${code}" diagnostic on ${vscode.workspace.asRelativePath(uri)}`, async () => {
    const found = hyperframesDiagnostics(uri).find(d => codeOf(d) === code);
    if (!found) await assertServerUp();
    return found;
  }, timeoutMs).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (have: ${describe(uri)})`);
  });
}

/** Waits until the file has no hyperframes diagnostic with `code` (or none at all when code is omitted). */
export function waitForNoDiagnostic(uri: vscode.Uri, code?: string, timeoutMs?: number): Promise<true> {
  return waitFor(`no ${code ? `"${code}" ` : ''}diagnostics on ${vscode.workspace.asRelativePath(uri)}`, async () => {
    await assertServerUp();
    return hyperframesDiagnostics(uri).some(d => code === undefined || codeOf(d) === code) ? undefined : true;
  }, timeoutMs);
}

export function describe(uri: vscode.Uri): string {
  const list = hyperframesDiagnostics(uri).map(d => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
  return list.length ? list.join(', ') : 'none';
}

/** Replaces the whole text of a document and saves it (the edit a person makes, then Ctrl+S). */
export async function replaceAndSave(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
  assert.ok(await document.save(), 'the document saves');
}
