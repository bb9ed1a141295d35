// Where a render from VS Code writes: `<outputFolder>/<name>.<ext>` beside the composition (the engine's
// naming rule: the entry's name, or its folder's for index.html), or the path the caller gave.
import path from 'node:path';
import { defaultOutputPath } from '../../server/engine/render/output';
import type { OutputFormat } from '../../server/engine/render/types';

/** The output's file (or PNG folder) name the engine would choose: "hello.mp4". */
function outputName(entryFile: string, format: OutputFormat): string {
  return path.basename(defaultOutputPath(entryFile, format));
}

/** The render's display name: "hello" for hello/index.html, "intro" for intro.html. */
export function compositionName(entryFile: string): string {
  return outputName(entryFile, 'png');
}

/**
 * `explicit` (absolute, or relative to the composition's folder) when given, else
 * `<composition folder>/<outputFolder>/<name>.<ext>` (outputFolder may be absolute too).
 */
export function outputPathFor(entryFile: string, format: OutputFormat, outputFolder: string, explicit?: string): string {
  const compositionFolder = path.dirname(path.resolve(entryFile));
  if (explicit) return path.resolve(compositionFolder, explicit);
  return path.join(path.resolve(compositionFolder, outputFolder), outputName(entryFile, format));
}
