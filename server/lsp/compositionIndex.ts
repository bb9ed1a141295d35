// Which entry compositions include which sub-composition files, learned from compile results. A sub-composition
// document is checked through the composition(s) that include it; one opened on its own with no known includer
// is compiled standalone.
import type { Composition } from '../engine/model';

export class CompositionIndex {
  /** Sub-composition file → entries whose last compile included it. */
  private readonly includers = new Map<string, Set<string>>();
  /** Entry → the sub-composition files its last compile included. */
  private readonly included = new Map<string, Set<string>>();

  /** Records what an entry's latest compile included (replacing what the previous compile said). */
  record(entry: string, composition: Composition): void {
    this.forget(entry);
    const files = new Set<string>();
    for (const sub of composition.subCompositions) {
      if (sub.file && sub.file !== entry) files.add(sub.file);
    }
    this.included.set(entry, files);
    for (const file of files) {
      const entries = this.includers.get(file) ?? new Set<string>();
      entries.add(entry);
      this.includers.set(file, entries);
    }
  }

  forget(entry: string): void {
    for (const file of this.included.get(entry) ?? []) {
      const entries = this.includers.get(file);
      entries?.delete(entry);
      if (entries?.size === 0) this.includers.delete(file);
    }
    this.included.delete(entry);
  }

  includersOf(file: string): string[] {
    return [...(this.includers.get(file) ?? [])];
  }

  /** Files an entry's compile read as sub-compositions. */
  subCompositionsOf(entry: string): string[] {
    return [...(this.included.get(entry) ?? [])];
  }
}
