// "HyperFrames: Render As…" (Marp's export): a save dialog with one filter per format, opened on the
// composition's last output (else the default output of the remembered format); the extension of the chosen
// file picks the format (a `.png` answer names the PNG sequence's folder).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RenderRange } from '../../server/engine/render/types';
import { compositionName, FORMATS, outputForSavedFile, outputPathFor, SAVED_FILE_EXTENSIONS, saveDialogFilters, savedFileFor, type UiFormat } from './output';
import type { FormatChoice } from './request';

export interface RenderAsDefaults {
  remembered: FormatChoice;
  /** This composition's last output as a file name with its format's extension (savedFileFor), if it was rendered before. */
  lastOutput: string | undefined;
  outputFolder: string;
  range: RenderRange | undefined;
}

/** The file the dialog starts on: in its folder when that exists, else beside the composition. */
function defaultFile(entryFile: string, { remembered, lastOutput, outputFolder, range }: RenderAsDefaults): string {
  const file = lastOutput ?? savedFileFor(outputPathFor(entryFile, remembered.format, outputFolder, undefined, range), remembered.format);
  return fs.existsSync(path.dirname(file)) ? file : path.join(path.dirname(entryFile), path.basename(file));
}

/** Asks where to render; undefined: dismissed, or a file whose extension names no format (the user is told). */
export async function askRenderAs(entryFile: string, defaults: RenderAsDefaults): Promise<{ format: UiFormat; output: string } | undefined> {
  const chosen = await vscode.window.showSaveDialog({
    title: `Render ${compositionName(entryFile)} As`,
    saveLabel: 'Render',
    defaultUri: vscode.Uri.file(defaultFile(entryFile, defaults)),
    filters: saveDialogFilters(defaults.remembered.format),
  });
  if (!chosen) return undefined;
  const picked = outputForSavedFile(chosen.fsPath);
  if (!picked) {
    const known = FORMATS.map(f => SAVED_FILE_EXTENSIONS[f]).join(', ');
    void vscode.window.showErrorMessage(`HyperFrames renders ${known}: "${path.basename(chosen.fsPath)}" names none of them, so nothing was rendered.`);
  }
  return picked;
}
