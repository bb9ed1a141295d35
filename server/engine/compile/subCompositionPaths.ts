// Relative URLs written in a sub-composition file, once its markup is inlined into the entry page.
// The browser resolves every URL of the compiled page against the entry, so a sub-composition in
// `compositions/` that writes `../media/a.mp4` (what opening the file on its own would load) must be
// rewritten to `media/a.mp4`. A plain relative path is ambiguous: a sibling of the sub-composition
// (`_shared.css` beside it) or a project-root asset (`assets/logo.png`, the convention of installed blocks);
// the reference tells them apart on disk — the sibling when it exists, else the path as written — and so
// do we. Values stay as written when nothing needs to change, so the compiled page stays the author's.
import fs from 'node:fs';
import path from 'node:path';
import { isLocalReference } from '../project';

/** Attributes whose value is one URL, on any element of a sub-composition. */
export const URL_ATTRIBUTES = ['src', 'href', 'poster', 'xlink:href', 'data-src'] as const;

function splitSuffix(reference: string): [string, string] {
  const marker = reference.search(/[?#]/);
  return marker < 0 ? [reference, ''] : [reference.slice(0, marker), reference.slice(marker)];
}

function toUrlPath(relative: string): string {
  return relative.split(path.sep).map(segment => encodeURI(segment).replace(/#/g, '%23').replace(/\?/g, '%3F')).join('/');
}

function decodeOrSelf(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The reference as the entry page must write it, for `reference` written in `subFile`; undefined when it
 * stays as written (remote, data:, root-relative, fragment-only, already right, or ambiguous without a sibling).
 */
export function rebaseSubCompositionUrl(entryFile: string, subFile: string, reference: string): string | undefined {
  const written = reference.trim();
  if (!written || !isLocalReference(written) || written.startsWith('/') || written.startsWith('#')) return undefined;
  const subDir = path.dirname(subFile);
  const entryDir = path.dirname(entryFile);
  if (subDir === entryDir) return undefined;
  const [filePart, suffix] = splitSuffix(written);
  if (!filePart) return undefined;
  const target = path.resolve(subDir, decodeOrSelf(filePart));
  const traverses = filePart === '..' || filePart.startsWith('../');
  if (!traverses && !fs.existsSync(target)) return undefined;
  const rebased = toUrlPath(path.relative(entryDir, target)) + suffix;
  return rebased === written ? undefined : rebased;
}

// url(...) with or without quotes, and @import "…" (url() imports are covered by the first form).
const CSS_URL = /url\(\s*(["']?)([^"')]*?)\1\s*\)|@import\s+(["'])([^"']+)\3/gi;

/** Rewrites the URLs of a stylesheet (or a style attribute) with `map`; never adds or removes a line. */
export function rewriteCssUrls(css: string, map: (url: string) => string | undefined): string {
  return css.replace(CSS_URL, (whole, quote: string, url: string | undefined, importQuote: string | undefined, importUrl: string | undefined) => {
    if (importUrl !== undefined) {
      const rebased = map(importUrl);
      return rebased === undefined ? whole : `@import ${importQuote}${rebased}${importQuote}`;
    }
    if (url === undefined || /[\r\n]/.test(url)) return whole;
    const rebased = map(url);
    return rebased === undefined ? whole : `url(${quote}${rebased}${quote})`;
  });
}

/** A value as it can be written back inside double quotes in HTML. */
export function htmlAttributeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
