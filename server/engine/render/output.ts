// Where a render writes: the default output path, a staging path beside the target (same filesystem, so
// the final rename is atomic), and the rename that publishes it. The target never holds a partial file.
import fs from 'node:fs';
import path from 'node:path';
import type { OutputFormat } from '../encode';
import type { RenderRange } from './range';

/**
 * renders/<name>.<ext> beside the composition; <name> is the entry's name, or its folder's for index.html,
 * followed by the range when there is one: `intro-1.5s-3s.mp4` (`intro-2s-end.mp4` for a range to the end).
 */
export function defaultOutputPath(entryFile: string, format: OutputFormat, range?: RenderRange): string {
  const entry = path.resolve(entryFile);
  const base = path.basename(entry, path.extname(entry));
  const name = (base === 'index' ? path.basename(path.dirname(entry)) : base) + rangeSuffix(range);
  return path.join(path.dirname(entry), 'renders', format === 'png' ? name : `${name}.${format}`);
}

/** Seconds as a file name shows them: at most 3 decimals, no trailing zeros ("1.5", "2"). */
function secondsLabel(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

/** "-1.5s-3s" for a range, "" without one. */
export function rangeSuffix(range: RenderRange | undefined): string {
  if (!range) return '';
  return `-${secondsLabel(range.start)}s-${Number.isFinite(range.end) ? `${secondsLabel(range.end)}s` : 'end'}`;
}

/** `.name.mp4.partial-<pid>` in the target's folder. */
export function stagingPath(outputPath: string): string {
  return path.join(path.dirname(outputPath), `.${path.basename(outputPath)}.partial-${process.pid}`);
}

const PNG_FRAME_FILE = /^frame-\d+\.png$/;

/**
 * Moves the staged output into place. A PNG sequence replaces an earlier sequence in the same folder, but
 * never a folder holding anything else.
 */
export async function publishOutput(staged: string, outputPath: string, format: OutputFormat): Promise<void> {
  if (format === 'png' && fs.existsSync(outputPath)) {
    const stat = fs.statSync(outputPath);
    const entries = stat.isDirectory() ? fs.readdirSync(outputPath) : [];
    if (!stat.isDirectory() || entries.some(entry => !PNG_FRAME_FILE.test(entry))) {
      throw new Error(`${outputPath} exists and is not an earlier PNG sequence; choose another output folder.`);
    }
    await fs.promises.rm(outputPath, { recursive: true, force: true });
  }
  await fs.promises.rename(staged, outputPath);
}

/** Size of a file, or the sum of a folder's files. */
export function outputSize(outputPath: string): number {
  const stat = fs.statSync(outputPath);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(outputPath).reduce((sum, entry) => sum + fs.statSync(path.join(outputPath, entry)).size, 0);
}
