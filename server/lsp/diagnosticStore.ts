// Diagnostics are computed per composition entry (static from compile, probe from the browser) but published
// per file: a sub-composition's problem lands in the sub-composition's own file. This store keeps, per entry,
// the diagnostics by file and part, and publishes each touched file as the union over every entry and part.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { EngineDiagnostic } from '../engine/model';
import { probeFindingsBeyond } from '../engine/probe/check';
import type { ProblemCount } from '../protocol/lsp';
import { toLspDiagnostic } from './convert';

export type DiagnosticPart = 'static' | 'probe';

type ByFile = Map<string, EngineDiagnostic[]>;

interface EntryDiagnostics {
  static: ByFile;
  probe: ByFile;
}

export type PublishDiagnostics = (file: string, diagnostics: Diagnostic[], version: number | undefined) => void;

function groupByFile(diagnostics: readonly EngineDiagnostic[]): ByFile {
  const byFile: ByFile = new Map();
  for (const diagnostic of diagnostics) {
    const list = byFile.get(diagnostic.file);
    if (list) list.push(diagnostic);
    else byFile.set(diagnostic.file, [diagnostic]);
  }
  return byFile;
}

/** One entry's diagnostics for one file: static, then the probe's that do not restate a static one. */
function fileDiagnostics(state: EntryDiagnostics, file: string): EngineDiagnostic[] {
  const fromStatic = state.static.get(file) ?? [];
  return [...fromStatic, ...probeFindingsBeyond(fromStatic, state.probe.get(file) ?? [])];
}

function identity(d: EngineDiagnostic): string {
  const { start, end } = d.range;
  return `${d.code}:${start.line}:${start.character}:${end.line}:${end.character}:${d.message}`;
}

export class DiagnosticStore {
  private readonly entries = new Map<string, EntryDiagnostics>();
  /** Files whose last publish was non-empty: they need an explicit [] when their last diagnostic goes. */
  private readonly nonEmpty = new Set<string>();

  constructor(private readonly publish: PublishDiagnostics) {}

  /**
   * Replaces one part of an entry's diagnostics and republishes every file it touched before or touches now.
   * `versions` gives, per file, the document version the diagnostics were computed for.
   */
  set(entry: string, part: DiagnosticPart, diagnostics: readonly EngineDiagnostic[], versions: ReadonlyMap<string, number>): void {
    const state = this.entries.get(entry) ?? { static: new Map(), probe: new Map() };
    this.entries.set(entry, state);
    const touched = new Set<string>(state[part].keys());
    state[part] = groupByFile(diagnostics);
    for (const file of state[part].keys()) touched.add(file);
    // The entry itself is always published, even clean: the client (and a benchmark) sees that the check ran.
    touched.add(entry);
    for (const file of touched) this.publishFile(file, versions.get(file), file === entry);
  }

  /** Forgets an entry (closed, or now known to be a sub-composition of another) and republishes its files. */
  removeEntry(entry: string, versions: ReadonlyMap<string, number>): void {
    const state = this.entries.get(entry);
    if (!state) return;
    this.entries.delete(entry);
    const touched = new Set<string>([...state.static.keys(), ...state.probe.keys()]);
    for (const file of touched) this.publishFile(file, versions.get(file), false);
  }

  hasEntry(entry: string): boolean {
    return this.entries.has(entry);
  }

  /** Every diagnostic currently held for one entry (static + probe), over all files. */
  entryDiagnostics(entry: string): EngineDiagnostic[] {
    const state = this.entries.get(entry);
    if (!state) return [];
    return [...new Set([...state.static.keys(), ...state.probe.keys()])].flatMap(file => fileDiagnostics(state, file));
  }

  problemCount(): ProblemCount {
    const count: ProblemCount = { errors: 0, warnings: 0 };
    const seen = new Set<string>();
    for (const state of this.entries.values()) {
      for (const file of new Set([...state.static.keys(), ...state.probe.keys()])) {
        for (const d of fileDiagnostics(state, file)) {
          const key = `${file}|${identity(d)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (d.severity === 'error') count.errors++;
          else if (d.severity === 'warning') count.warnings++;
        }
      }
    }
    return count;
  }

  private publishFile(file: string, version: number | undefined, force: boolean): void {
    const union: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const state of this.entries.values()) {
      for (const d of fileDiagnostics(state, file)) {
        // Two entries including the same sub-composition report its problems twice.
        const key = identity(d);
        if (seen.has(key)) continue;
        seen.add(key);
        union.push(toLspDiagnostic(d));
      }
    }
    if (union.length === 0 && !this.nonEmpty.has(file) && !force) return;
    if (union.length > 0) this.nonEmpty.add(file);
    else this.nonEmpty.delete(file);
    this.publish(file, union, version);
  }
}
