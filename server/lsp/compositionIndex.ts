// Which files each checked composition reads, learned from compile and probe results, so that a change to one
// of them re-checks the compositions using it:
// - sub-composition files: a sub-composition document is checked through the composition(s) that include it
//   (one opened on its own with no known includer is compiled standalone);
// - dependencies: every file compile read or looked for (entry, sub-compositions, stylesheets, scripts, media,
//   including the missing ones, so that creating them re-checks);
// - requested: local files the last probe's page asked for and did not get (a CSS url(), a script's fetch).
import path from 'node:path';
import type { Composition } from '../engine/model';
import { isInside } from '../engine/project';
import type { ProbeResult } from '../engine/probe/types';

/** A many-to-many relation between entries and files, replaced per entry. */
class EntryFiles {
  private readonly byFile = new Map<string, Set<string>>();
  private readonly byEntry = new Map<string, Set<string>>();

  set(entry: string, files: Iterable<string>): void {
    this.forget(entry);
    const set = new Set(files);
    this.byEntry.set(entry, set);
    for (const file of set) {
      const entries = this.byFile.get(file) ?? new Set<string>();
      entries.add(entry);
      this.byFile.set(file, entries);
    }
  }

  forget(entry: string): void {
    for (const file of this.byEntry.get(entry) ?? []) {
      const entries = this.byFile.get(file);
      entries?.delete(entry);
      if (entries?.size === 0) this.byFile.delete(file);
    }
    this.byEntry.delete(entry);
  }

  entriesOf(file: string): string[] {
    return [...(this.byFile.get(file) ?? [])];
  }

  filesOf(entry: string): string[] {
    return [...(this.byEntry.get(entry) ?? [])];
  }
}

/**
 * The project file a failed request of the probe's page asked for. The page is served from a loopback origin
 * whose port changes every probe, so only the path counts; anything not on the loopback server is remote.
 */
export function requestedProjectFile(projectRoot: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  const file = path.resolve(projectRoot, '.' + decoded);
  return isInside(projectRoot, file) ? file : undefined;
}

export class CompositionIndex {
  private readonly subCompositions = new EntryFiles();
  private readonly dependencies = new EntryFiles();
  private readonly requested = new EntryFiles();

  /** Records what an entry's latest compile included and read (replacing what the previous compile said). */
  record(entry: string, composition: Composition): void {
    const subs = composition.subCompositions.flatMap(sub => (sub.file && sub.file !== entry ? [sub.file] : []));
    this.subCompositions.set(entry, subs);
    this.dependencies.set(entry, [...composition.dependencies, ...subs]);
  }

  /** Records what an entry's latest probe asked for: the recompiled composition's files and the failed requests. */
  recordProbe(entry: string, result: ProbeResult): void {
    const { projectRoot, dependencies } = result.composition;
    const failed = result.failedRequests.flatMap(request => requestedProjectFile(projectRoot, request.url) ?? []);
    this.requested.set(entry, [...dependencies, ...failed]);
  }

  forget(entry: string): void {
    this.subCompositions.forget(entry);
    this.dependencies.forget(entry);
    this.requested.forget(entry);
  }

  /** Entries whose last compile included `file` as a sub-composition. */
  includersOf(file: string): string[] {
    return this.subCompositions.entriesOf(file);
  }

  /** Files an entry's compile read as sub-compositions. */
  subCompositionsOf(entry: string): string[] {
    return this.subCompositions.filesOf(entry);
  }

  /** Entries whose last compile or probe read, looked for or requested `file` (the entry's own file included). */
  dependentsOf(file: string): string[] {
    return [...new Set([...this.dependencies.entriesOf(file), ...this.requested.entriesOf(file)])];
  }
}
