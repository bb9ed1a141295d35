// What `<entry>` names on the command line: an .html file, or a project folder (`render .`), whose entry
// is hyperframes.json's "entry" (relative to the folder), else index.html. The same answer, and the same
// message for a missing file, for every subcommand.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_MARKER } from '../engine/project';
import { UsageError } from './args';

/** The project folder's entry when hyperframes.json names none. */
export const DEFAULT_PROJECT_ENTRY = 'index.html';

export interface ResolvedEntry {
  entryFile: string;
  /** hyperframes.json's "name" when the argument was a project folder that gives one. */
  projectName?: string;
}

interface ProjectFile {
  entry?: string;
  name?: string;
}

/** hyperframes.json's entry and name fields; a file that does not parse is a usage error (the user wrote it). */
function readProjectFile(folder: string): ProjectFile {
  const file = path.join(folder, PROJECT_MARKER);
  if (!fs.existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof json !== 'object' || json === null) return {};
  const { entry, name } = json as Record<string, unknown>;
  return {
    ...(typeof entry === 'string' && entry.trim() ? { entry: entry.trim() } : {}),
    ...(typeof name === 'string' && name.trim() ? { name: name.trim() } : {}),
  };
}

/** Throws UsageError when the argument names nothing that can be rendered. */
export function resolveEntry(argument: string, cwd = process.cwd()): ResolvedEntry {
  const target = path.resolve(cwd, argument);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${argument}: no such file or folder.`);
  if (stat.isFile()) return { entryFile: target };
  if (!stat.isDirectory()) throw new UsageError(`${argument}: not a file or a folder.`);
  const project = readProjectFile(target);
  const entryFile = path.resolve(target, project.entry ?? DEFAULT_PROJECT_ENTRY);
  if (!fs.statSync(entryFile, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(project.entry
      ? `${argument}: hyperframes.json's entry "${project.entry}" is no file.`
      : `${argument}: a folder without ${DEFAULT_PROJECT_ENTRY} (or a hyperframes.json "entry").`);
  }
  return { entryFile, ...(project.name ? { projectName: project.name } : {}) };
}
