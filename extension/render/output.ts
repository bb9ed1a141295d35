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
