// The project folder and containment: nothing the engine serves or reads may escape it (through "..",
// encoded dots, absolute paths or symlinks). The project is the nearest ancestor of the entry that holds
// hyperframes.json, else the entry's own folder.
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_MARKER = 'hyperframes.json';

export function findProjectRoot(entryFile: string): string {
  const entryDir = path.dirname(path.resolve(entryFile));
  for (let dir = entryDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, PROJECT_MARKER))) return dir;
    if (path.dirname(dir) === dir) return entryDir;
  }
}

/** True when `candidate` (absolute, normalised) is `root` or inside it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export type Containment =
  | { ok: true; path: string; /** Set when the path is a symlink inside the project whose target is outside it. */ linksOutside?: string }
  | { ok: false; reason: 'outside-project'; path: string };

/**
 * Resolves a reference written in `fromFile` (a src/href, already URL-decoded, without query or hash)
 * against the project: root-relative ("/x") resolves from the project root, others from the file's folder.
 * The path itself must stay inside the project; a symlink the project contains is followed wherever it
 * leads (monorepos share asset folders that way, and every dev server follows them), and one whose target
 * is outside is reported through `linksOutside` so the reference can carry a warning.
 * A missing file is "ok" (the caller reports it as missing), as long as its path stays inside.
 */
export function resolveInProject(projectRoot: string, fromFile: string, reference: string): Containment {
  const base = reference.startsWith('/') ? projectRoot : path.dirname(fromFile);
  const resolved = path.resolve(base, '.' + path.sep + reference.replace(/^\/+/, ''));
  if (!isInside(projectRoot, resolved)) return { ok: false, reason: 'outside-project', path: resolved };
  const real = realTarget(resolved);
  if (real === undefined || isInside(realProjectRoot(projectRoot), real)) return { ok: true, path: resolved };
  return { ok: true, path: resolved, linksOutside: real };
}

function realTarget(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function realProjectRoot(projectRoot: string): string {
  return realTarget(projectRoot) ?? projectRoot;
}

/** A local reference (not http(s):, data:, blob:, protocol-relative or another scheme). */
export function isLocalReference(reference: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(reference.trim());
}

/** Strips "?query" and "#hash" and decodes %-escapes; undefined when the escapes are malformed. */
export function referencePath(reference: string): string | undefined {
  const bare = reference.trim().replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    return undefined;
  }
}
