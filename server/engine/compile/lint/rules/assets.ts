// Asset rules: a relative path that climbs above the project folder (resolved from the folder of the file
// that holds it, as the bundler, the producer and the runtime resolve it), and media inlined as base64.
// Each finding sits on the path or data URL as written.
import path from 'node:path';
import type { LintFile, LintReporter } from '../context';

/** Absolute URLs (a scheme), root-relative and fragment references do not climb. */
const NOT_RELATIVE = /^(?:[a-z][a-z0-9+.-]*:|[\\/#])/i;
const CSS_URL = /url\(\s*(["']?)([^"')]*)\1\s*\)/gi;
const BASE64_MEDIA = /^data:(?:audio|video)\/[^;]+;base64,([A-Za-z0-9+/=]{20,})/i;

/** Whether `written`, resolved from a folder `depth` levels below the project root, leaves the project. */
export function climbsAboveRoot(depth: number, written: string): boolean {
  const trimmed = written.trim();
  if (!trimmed || NOT_RELATIVE.test(trimmed)) return false;
  const plain = (trimmed.split(/[?#]/, 1)[0] ?? '').replace(/\\|%2f/gi, '/').replace(/%2e/gi, '.');
  let level = depth;
  for (const segment of plain.split('/')) {
    if (segment === '' || segment === '.') continue;
    level += segment === '..' ? -1 : 1;
    if (level < 0) return true;
  }
  return false;
}

export interface TraversalFinding {
  start: number;
  end: number;
  written: string;
}

/** Every asset path of the file that leaves the project: src/href values and CSS url()s (style attributes and <style>). */
export function traversals(lint: LintFile, projectRoot: string): TraversalFinding[] {
  const depth = path.relative(projectRoot, path.dirname(lint.file.path)).split(path.sep).filter(Boolean).length;
  const found: TraversalFinding[] = [];
  const consider = (written: string, start: number) => {
    if (climbsAboveRoot(depth, written)) found.push({ start, end: start + written.length, written });
  };
  const urls = (css: string, offset: number) => {
    if (!css.includes('url(')) return;
    for (const match of css.matchAll(CSS_URL)) consider(match[2], offset + match.index + match[0].indexOf(match[2], 4));
  };
  for (const element of lint.elements) {
    for (const name of ['src', 'href']) {
      const attr = element.attrs.get(name);
      if (attr) consider(lint.file.text.slice(attr.valueStart, attr.valueEnd), attr.valueStart);
    }
    const style = element.attrs.get('style');
    if (style) urls(lint.file.text.slice(style.valueStart, style.valueEnd), style.valueStart);
  }
  for (const style of lint.styles) {
    const end = style.element.endTagStart ?? style.element.end;
    urls(lint.file.text.slice(style.element.startTagEnd, end), style.element.startTagEnd);
  }
  return found;
}

export function lintAssets(report: LintReporter, lint: LintFile, projectRoot: string): TraversalFinding[] {
  const found = traversals(lint, projectRoot);
  for (const { start, end, written } of found) {
    report.atOffsets(start, end, 'invalid_parent_traversal_in_asset_path',
      `"${written}" traverses above the project root with "../", resolved from the folder of the file that holds it. Render and preview clamp it to the project root or resolve it outside, so it loads a different file than written, or none.`,
      'Point the path at a file inside the project: from compositions/scene.html, "../assets/x.png" reaches the project\'s assets folder.',
      { path: written });
  }
  for (const element of lint.elements) {
    const src = element.attrs.get('src');
    const base64 = src ? BASE64_MEDIA.exec(src.value) : null;
    if (!src || !base64) continue;
    const kib = Math.round((base64[1].length * 3) / 4 / 1024);
    report.atValue(src, 'base64_media_prohibited',
      `Inline base64 audio/video detected (${kib} KB). Base64 media is prohibited: it bloats the file and breaks rendering.`,
      'Use a relative path (assets/music.mp3) or an HTTPS URL for the audio/video src. Never embed media as base64.');
  }
  return found;
}
