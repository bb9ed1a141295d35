// Where a render from VS Code writes: `<outputFolder>/<name>.<ext>` beside the composition (the engine's
// naming rule: the entry's name, or its folder's for index.html; `<name>-<start>s-<end>s.<ext>` for a time
// range), or the path the caller gave.
import path from 'node:path';
import { defaultOutputPath } from '../../server/engine/render/output';
import type { OutputFormat, RenderRange } from '../../server/engine/render/types';

/** The output's file (or PNG folder) name the engine would choose: "hello.mp4", "hello-1s-2.5s.mp4". */
function outputName(entryFile: string, format: OutputFormat, range?: RenderRange): string {
  return path.basename(defaultOutputPath(entryFile, format, range));
}

/** The render's display name: "hello" for hello/index.html, "intro" for intro.html. */
export function compositionName(entryFile: string): string {
  return outputName(entryFile, 'png');
}

/**
 * `explicit` (absolute, or relative to the composition's folder) when given, else
 * `<composition folder>/<outputFolder>/<name>.<ext>` (outputFolder may be absolute too), with the range in
 * the name when only part of the composition is rendered.
 */
export function outputPathFor(entryFile: string, format: OutputFormat, outputFolder: string, explicit?: string, range?: RenderRange): string {
  const compositionFolder = path.dirname(path.resolve(entryFile));
  if (explicit) return path.resolve(compositionFolder, explicit);
  return path.join(path.resolve(compositionFolder, outputFolder), outputName(entryFile, format, range));
}

/** The formats the VS Code UI offers (the quick pick, the settings' enum, Render As…'s filters). */
export const FORMATS = ['mp4', 'webm', 'mov', 'gif', 'hls', 'png'] as const satisfies readonly OutputFormat[];
export type UiFormat = (typeof FORMATS)[number];

/**
 * The file extension a save dialog's answer ends with, per format (a PNG sequence and an HLS stream are
 * folders: "<name>.png" / "<name>.m3u8" name them).
 */
export const SAVED_FILE_EXTENSIONS: Record<UiFormat, string> = { mp4: '.mp4', webm: '.webm', mov: '.mov', gif: '.gif', hls: '.m3u8', png: '.png' };
const FOLDER_FORMATS: readonly UiFormat[] = ['png', 'hls'];

/**
 * What "Render As…" renders for the file chosen in its save dialog: the extension picks the format; a
 * `.png` answer is the PNG sequence's folder without the extension. undefined: an extension we cannot write.
 */
export function outputForSavedFile(file: string): { format: UiFormat; output: string } | undefined {
  const extension = path.extname(file).toLowerCase();
  const format = FORMATS.find(f => SAVED_FILE_EXTENSIONS[f] === extension);
  if (!format) return undefined;
  return { format, output: FOLDER_FORMATS.includes(format) ? file.slice(0, -extension.length) : file };
}

/** The save dialog's default file for an output path (a PNG folder gets its ".png"). */
export function savedFileFor(outputPath: string, format: OutputFormat): string {
  const folder = FOLDER_FORMATS.find(f => f === format);
  return folder && path.extname(outputPath).toLowerCase() !== SAVED_FILE_EXTENSIONS[folder] ? `${outputPath}${SAVED_FILE_EXTENSIONS[folder]}` : outputPath;
}

const FILTER_NAME: Record<UiFormat, string> = {
  mp4: 'MP4 video (H.264)',
  webm: 'WebM video (VP9)',
  mov: 'MOV video (ProRes 4444)',
  gif: 'Animated GIF',
  hls: 'HLS stream (a folder: index.m3u8 and segments)',
  png: 'PNG sequence (a folder of frames)',
};

/** The dialog's filters, the remembered format's first (the dialog preselects the first). */
export function saveDialogFilters(first: OutputFormat): Record<string, string[]> {
  const ordered = [...FORMATS.filter(f => f === first), ...FORMATS.filter(f => f !== first)];
  return Object.fromEntries(ordered.map(format => [FILTER_NAME[format], [SAVED_FILE_EXTENSIONS[format].slice(1)]]));
}
