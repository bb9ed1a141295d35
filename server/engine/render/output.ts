// Where a render writes: the default output path, a staging path beside the target (same filesystem, so
// the final rename is atomic), and the rename that publishes it. The target never holds a partial file.
import fs from 'node:fs';
import path from 'node:path';
import type { OutputFormat } from '../encode';
import { HLS_PLAYLIST_FILE, HLS_SEGMENT_FILE } from '../encode/hls';
import type { RenderRange } from './range';

/**
 * renders/<name>.<ext> beside the composition; <name> is the entry's name, or its folder's for index.html,
 * followed by the range when there is one: `intro-1.5s-3s.mp4` (`intro-2s-end.mp4` for a range to the end).
 * Folders: `intro` for PNG frames, `intro-hls` for an HLS playlist and its segments.
 */
export function defaultOutputPath(entryFile: string, format: OutputFormat, range?: RenderRange): string {
  const entry = path.resolve(entryFile);
  const base = path.basename(entry, path.extname(entry));
  const name = (base === 'index' ? path.basename(path.dirname(entry)) : base) + rangeSuffix(range);
  return path.join(path.dirname(entry), 'renders', outputName(name, format));
}

/** The file (or folder) name of an output called `name`. */
export function outputName(name: string, format: OutputFormat): string {
  return format === 'png' ? name : format === 'hls' ? `${name}-hls` : `${name}.${format}`;
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

/** What a folder output of each kind holds: an earlier one may be replaced, a folder holding anything else never. */
const FOLDER_OUTPUT_ENTRY: Partial<Record<OutputFormat, { test(entry: string): boolean; what: string }>> = {
  png: { test: entry => PNG_FRAME_FILE.test(entry), what: 'PNG sequence' },
  hls: { test: entry => entry === HLS_PLAYLIST_FILE || HLS_SEGMENT_FILE.test(entry), what: 'HLS output' },
};

/**
 * Moves the staged output into place. A PNG sequence (an HLS folder) replaces an earlier one in the same
 * folder, but never a folder holding anything else.
 */
export async function publishOutput(staged: string, outputPath: string, format: OutputFormat): Promise<void> {
  const folderEntry = FOLDER_OUTPUT_ENTRY[format];
  if (folderEntry && fs.existsSync(outputPath)) {
    const stat = fs.statSync(outputPath);
    const entries = stat.isDirectory() ? fs.readdirSync(outputPath) : [];
    if (!stat.isDirectory() || entries.some(entry => !folderEntry.test(entry))) {
      throw new Error(`${outputPath} exists and is not an earlier ${folderEntry.what}; choose another output folder.`);
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
