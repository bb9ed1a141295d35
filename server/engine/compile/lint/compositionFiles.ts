// The files the reference's `lint` checks besides the entry: every HTML file under the project's
// compositions/ folder, each on its own as a sub-composition, whether or not the entry includes it (a scene
// nobody mounts yet is still the author's work). `check` and the language server use the same selection.
import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../../project';

export const COMPOSITIONS_FOLDER = 'compositions';
/** compositions/components/ holds snippets pasted into other files, not compositions (the reference skips it too). */
const SNIPPET_FOLDER = 'components';
const HTML_FILE = /\.html$/i;

/** A snippet file marks its first element with data-hf-snippet: it is pasted, never compiled on its own. */
function isSnippet(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return true;
  }
  const firstTag = /<[a-zA-Z][^>]*>/.exec(text);
  return firstTag !== null && /\bdata-hf-snippet\b/.test(firstTag[0]);
}

/** Absolute paths of the composition files under `projectRoot`/compositions/, sorted, snippets left out. */
export function compositionFiles(projectRoot: string): string[] {
  const root = path.join(projectRoot, COMPOSITIONS_FOLDER);
  const out: string[] = [];
  const visit = (dir: string, topLevel: boolean) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(topLevel && entry.name === SNIPPET_FOLDER)) visit(full, false);
      } else if (entry.isFile() && HTML_FILE.test(entry.name) && !entry.name.startsWith('._') && !isSnippet(full)) {
        out.push(full);
      }
    }
  };
  visit(root, true);
  return out.sort();
}

/** Whether `file` sits under its project's compositions/ folder (checked alone, it is a sub-composition). */
export function isUnderCompositionsFolder(file: string): boolean {
  const relative = path.relative(path.join(findProjectRoot(file), COMPOSITIONS_FOLDER), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
