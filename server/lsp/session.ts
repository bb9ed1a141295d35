// The language server's model of the open compositions: which entries to check for which open documents,
// debounced static compiles as you type, probes on save with supersession, re-checks when a file a composition
// reads changes on disk (the client's file watcher), and publishing per file.
//
// Which files get diagnostics: every file of a composition checked for an open document (a sub-composition's
// problems land in its own file even when only its host is open, and the other way round). A file's
// diagnostics clear when no checked composition reports on it any more, so closing a file clears it unless a
// composition still checked for another open document covers it; that one is re-read from disk and kept.
import fs from 'node:fs';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { compile, isCompositionDocument } from '../engine/compile';
import { withToolSetting } from '../protocol/toolSettings';
import { WATCHED_FILES_DEBOUNCE_MS } from '../engine/limits';
import type { Composition } from '../engine/model';
import type { CompileInput, CompileResult } from '../engine/compile/types';
import { isUnderCompositionsFolder } from '../engine/compile/lint/compositionFiles';
import type { Logger } from '../engine/logger';
import type { PageConsoleNotification, ProbeStatusNotification, ServerSettings } from '../protocol/lsp';
import { CompositionIndex } from './compositionIndex';
import { DiagnosticStore, type PublishDiagnostics } from './diagnosticStore';
import { fragmentDiagnostics, isTemplateFragment, unwrapTemplate } from './fragment';
import { pageConsoleLines } from './pageConsole';
import { ProbeRunner } from './probeRunner';
import { canProbe, mergeSettings } from './settings';

/** A file the client's watcher saw created, changed or deleted on disk. */
export interface WatchedFileChange {
  file: string;
  kind: 'created' | 'changed' | 'deleted';
}

export interface SessionHost {
  publishDiagnostics: PublishDiagnostics;
  sendProbeStatus(params: ProbeStatusNotification.Params): void;
  sendPageConsole(params: PageConsoleNotification.Params): void;
  /** The open document for an absolute path, if any. */
  openDocument(file: string): TextDocument | undefined;
  /** Absolute paths of every open document. */
  openFiles(): string[];
  uriOf(file: string): string;
  logger: Logger;
  compileDebounceMs: number;
}

interface CompiledSnapshot {
  result: CompileResult;
  input: CompileInput;
  /** Open documents' versions the compile read. */
  versions: Map<string, number>;
}

interface EntryState {
  file: string;
  compileTimer: NodeJS.Timeout | undefined;
  compileGeneration: number;
  compiled: CompiledSnapshot | undefined;
  probeGeneration: number;
  probeController: AbortController | undefined;
  /** The composition the last probe saw (with the browser's duration when it was not static). */
  probedComposition: Composition | undefined;
  probedOnce: boolean;
}

function sameVersions(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, version] of a) if (b.get(file) !== version) return false;
  return true;
}

export class CompositionSession {
  private settings: ServerSettings;
  private readonly store: DiagnosticStore;
  private readonly index = new CompositionIndex();
  private readonly entries = new Map<string, EntryState>();
  private readonly probing = new Set<string>();
  private readonly probes: ProbeRunner;
  /** Why the browser cannot be used, until a probe succeeds or the Chromium path changes. */
  private browserProblem: string | undefined;
  private lastStatus = '';
  /** Open documents changed since they were opened or last saved: closing one discards what the checks saw. */
  private readonly dirty = new Set<string>();
  /** Files changed on disk, waiting for the watcher debounce. */
  private readonly pendingDiskChanges = new Set<string>();
  /** Open documents changed on disk, checked against what the browser saw once the debounce is over. */
  private readonly pendingOpenDiskChanges = new Set<string>();
  /** Document version of each open file at its last probe. */
  private readonly probedVersions = new Map<string, number>();
  private diskChangeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: SessionHost, settings: ServerSettings) {
    this.settings = settings;
    this.store = new DiagnosticStore(host.publishDiagnostics);
    this.probes = new ProbeRunner(settings.chromiumPath, host.logger);
  }

  get currentSettings(): ServerSettings {
    return this.settings;
  }

  isBrowserRunning(): boolean {
    return this.probes.isBrowserRunning();
  }

  // ── document events ──────────────────────────────────────────────────────────────────────────────

  async opened(file: string): Promise<void> {
    this.dirty.delete(file);
    const entries = this.entriesFor(file);
    await Promise.all(entries.map(async entry => {
      const state = this.ensureEntry(entry);
      await this.compileEntry(entry);
      if (!state.probedOnce) await this.probeEntry(entry);
    }));
    if (entries.length === 0) this.reconcile();
  }

  changed(file: string): void {
    this.dirty.add(file);
    const entries = this.entriesFor(file);
    for (const entry of entries) {
      const state = this.ensureEntry(entry);
      clearTimeout(state.compileTimer);
      state.compileTimer = setTimeout(() => {
        state.compileTimer = undefined;
        this.compileEntry(entry).catch(error => this.host.logger.error(`compile ${entry}: ${String(error)}`));
      }, this.host.compileDebounceMs);
    }
    // The document may have stopped (or started) being a composition.
    this.reconcile();
  }

  async saved(file: string): Promise<void> {
    this.dirty.delete(file);
    const dependents = this.index.dependentsOf(file).filter(entry => this.entries.has(entry));
    const entries = new Set([...this.entriesFor(file), ...dependents]);
    await Promise.all([...entries].map(entry => this.recheck(entry)));
  }

  async closed(file: string): Promise<void> {
    this.probedVersions.delete(file);
    const discarded = this.dirty.delete(file);
    this.reconcile();
    // Compositions still checked for another open document keep reporting on this file, now as it is on disk;
    // the browser saw the discarded text too, so it looks again.
    const still = this.index.dependentsOf(file).filter(entry => this.entries.has(entry));
    await Promise.all(still.map(entry => (discarded ? this.recheck(entry) : this.compileEntry(entry).then(() => undefined))));
    this.reportStatus();
  }

  /**
   * Files changed on disk (workspace/didChangeWatchedFiles): after a short debounce, the compositions that read,
   * looked for or requested them are recompiled and re-probed. An open document changed on disk counts when the
   * browser has not seen its text yet: a file reverted by git or another tool (the editor reloads it as a
   * didChange, with no save), not the echo of the editor's own save, which its didSave already probed. The
   * check runs after the debounce, by when the editor's reload has arrived whatever the order.
   */
  diskChanged(changes: readonly WatchedFileChange[]): void {
    for (const { file, kind } of changes) {
      if (kind === 'changed' && this.host.openDocument(file)) this.pendingOpenDiskChanges.add(file);
      else this.pendingDiskChanges.add(file);
    }
    if (this.pendingDiskChanges.size === 0 && this.pendingOpenDiskChanges.size === 0) return;
    clearTimeout(this.diskChangeTimer);
    this.diskChangeTimer = setTimeout(() => {
      this.diskChangeTimer = undefined;
      for (const file of this.pendingOpenDiskChanges) {
        const document = this.host.openDocument(file);
        if (!document || this.probedVersions.get(file) !== document.version) this.pendingDiskChanges.add(file);
      }
      this.pendingOpenDiskChanges.clear();
      const files = [...this.pendingDiskChanges];
      this.pendingDiskChanges.clear();
      const entries = new Set(files.flatMap(file => this.index.dependentsOf(file)).filter(entry => this.entries.has(entry)));
      if (entries.size > 0) this.host.logger.debug(`watched files changed: ${files.join(', ')} → re-checking ${[...entries].join(', ')}`);
      for (const entry of entries) {
        this.recheck(entry).catch(error => this.host.logger.error(`re-check ${entry}: ${String(error)}`));
      }
    }, WATCHED_FILES_DEBOUNCE_MS);
  }

  // ── settings ─────────────────────────────────────────────────────────────────────────────────────

  async updateSettings(payload: unknown): Promise<void> {
    const before = this.settings;
    this.settings = mergeSettings(before, payload);
    if (this.settings.ffmpegPath !== before.ffmpegPath) {
      // Media measured with the old ffprobe may read differently with the new one.
      await Promise.all([...this.entries.keys()].map(entry => this.recheck(entry)));
    } else if (JSON.stringify(this.settings.lintRules) !== JSON.stringify(before.lintRules)) {
      // Rule severities apply at compile: republish every composition's static diagnostics.
      await Promise.all([...this.entries.keys()].map(entry => this.compileEntry(entry)));
    }
    const chromiumChanged = this.settings.chromiumPath !== before.chromiumPath;
    if (chromiumChanged) {
      // A probe running in the browser about to be closed would only report that it was closed.
      for (const state of this.entries.values()) state.probeController?.abort();
      this.browserProblem = undefined;
      await this.probes.setChromiumPath(this.settings.chromiumPath);
    }
    if (!canProbe(this.settings)) {
      // Untrusted or switched off: nothing the browser said stays, and no browser stays running.
      for (const [entry, state] of this.entries) {
        state.probeController?.abort();
        this.store.set(entry, 'probe', [], this.versions());
      }
      await this.probes.close();
    } else if (chromiumChanged || !canProbe(before)) {
      await Promise.all([...this.entries.keys()].map(entry => this.probeEntry(entry)));
    }
    this.reportStatus();
  }

  // ── queries for the features ─────────────────────────────────────────────────────────────────────

  /** The composition a file belongs to (its own, or the first that includes it), compiling it if needed. */
  async compositionFor(file: string): Promise<Composition | undefined> {
    const entry = this.entriesFor(file)[0];
    if (!entry) return undefined;
    const state = this.ensureEntry(entry);
    const compiled = state.compiled ?? await this.compileEntry(entry);
    const composition = compiled?.result.composition;
    const probed = state.probedComposition;
    // A duration only the browser knows (no data-duration, no clip ends) comes from the last probe.
    if (composition && composition.durationSource === 'none' && probed && probed.durationSource === 'browser') {
      return { ...composition, duration: probed.duration, durationSource: 'browser', frameCount: probed.frameCount };
    }
    return composition;
  }

  entryOf(file: string): string | undefined {
    return this.entriesFor(file)[0];
  }

  /**
   * The compile the preview serves for `file` (PreviewCompositionRequest): the compile of the current text when
   * `reuse` and no edit is waiting on the debounce, else a new one (which also publishes). A file no editor has
   * open is compiled from disk without being checked; undefined when it is not a composition.
   */
  async previewCompile(file: string, reuse: boolean): Promise<CompileResult | undefined> {
    const entry = this.entryOf(file);
    if (entry) {
      const state = this.ensureEntry(entry);
      const current = reuse && state.compiled && state.compileTimer === undefined && sameVersions(state.compiled.versions, this.versions())
        ? state.compiled : await this.compileEntry(entry);
      return current?.result;
    }
    if (this.host.openDocument(file)) return undefined;
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    return isCompositionDocument(text) ? compile(this.compileInput(file)) : undefined;
  }

  errorCount(entry: string): number {
    return this.store.entryDiagnostics(entry).filter(d => d.severity === 'error').length;
  }

  versionOf(file: string): number | null {
    return this.host.openDocument(file)?.version ?? null;
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.diskChangeTimer);
    for (const state of this.entries.values()) {
      clearTimeout(state.compileTimer);
      state.probeController?.abort();
    }
    await this.probes.close();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────

  private isComposition(file: string): boolean {
    const document = this.host.openDocument(file);
    return document !== undefined && isCompositionDocument(document.getText());
  }

  /** The entries to check for a file: the compositions including it, else itself when it is a composition. */
  private entriesFor(file: string): string[] {
    const includers = this.index.includersOf(file);
    if (includers.length > 0) return includers;
    return this.isComposition(file) ? [file] : [];
  }

  /** Compile then probe, as on save; a newer re-check supersedes this one's probe. */
  private async recheck(entry: string): Promise<void> {
    this.ensureEntry(entry);
    await this.compileEntry(entry);
    await this.probeEntry(entry);
  }

  private ensureEntry(entry: string): EntryState {
    let state = this.entries.get(entry);
    if (!state) {
      state = {
        file: entry, compileTimer: undefined, compileGeneration: 0, compiled: undefined,
        probeGeneration: 0, probeController: undefined, probedComposition: undefined, probedOnce: false,
      };
      this.entries.set(entry, state);
    }
    return state;
  }

  /** Drops entries no open document needs any more (closed, or now checked through an includer). */
  private reconcile(): void {
    const needed = new Set(this.host.openFiles().flatMap(file => this.entriesFor(file)));
    for (const [entry, state] of this.entries) {
      if (needed.has(entry)) continue;
      clearTimeout(state.compileTimer);
      state.probeController?.abort();
      this.probing.delete(entry);
      this.entries.delete(entry);
      this.index.forget(entry);
      this.store.removeEntry(entry, this.versions());
    }
  }

  private versions(): Map<string, number> {
    const versions = new Map<string, number>();
    for (const file of this.host.openFiles()) {
      const document = this.host.openDocument(file);
      if (document) versions.set(file, document.version);
    }
    return versions;
  }

  /** An entry that is a sub-composition's own file, checked alone because nothing known includes it. */
  private isFragment(entry: string): boolean {
    const text = this.host.openDocument(entry)?.getText();
    return text !== undefined && this.index.includersOf(entry).length === 0 && isTemplateFragment(text);
  }

  private compileInput(entry: string, signal?: AbortSignal): CompileInput {
    const fragment = this.isFragment(entry);
    return {
      entryFile: entry,
      readOverlay: file => {
        const text = this.host.openDocument(file)?.getText();
        return fragment && file === entry && text !== undefined ? unwrapTemplate(text) : text;
      },
      ffmpegPath: this.settings.ffmpegPath || undefined,
      lintRules: this.settings.lintRules,
      // Checked alone, a fragment or a file under compositions/ is linted as the sub-composition it is (as `check` does).
      asSubComposition: fragment || (this.index.includersOf(entry).length === 0 && isUnderCompositionsFolder(entry)),
      logger: this.host.logger,
      signal,
    };
  }

  private async compileEntry(entry: string): Promise<CompiledSnapshot | undefined> {
    const state = this.entries.get(entry);
    if (!state) return undefined;
    clearTimeout(state.compileTimer);
    state.compileTimer = undefined;
    const generation = ++state.compileGeneration;
    const versions = this.versions();
    const input = this.compileInput(entry);
    const compiled = await compile(input);
    const result = this.isFragment(entry) ? { ...compiled, diagnostics: fragmentDiagnostics(compiled.diagnostics) } : compiled;
    // A newer compile started meanwhile (or the entry went away): its result is the one to publish.
    if (this.entries.get(entry) !== state || generation !== state.compileGeneration) return state.compiled;
    state.compiled = { result, input, versions };
    this.index.record(entry, result.composition);
    this.store.set(entry, 'static', result.diagnostics, versions);
    this.reconcile();
    this.reportStatus();
    return state.compiled;
  }

  private async probeEntry(entry: string): Promise<void> {
    const state = this.entries.get(entry);
    if (!state || !canProbe(this.settings)) return;
    if (this.isFragment(entry)) {
      this.host.logger.debug(`probe: ${entry} is a sub-composition no open composition includes; checked statically only`);
      return;
    }
    state.probedOnce = true;
    // The text each open file had when the browser looked (a later disk change of the same text needs no probe).
    for (const [file, version] of this.versions()) this.probedVersions.set(file, version);
    // A newer save supersedes the probe in flight: abort it; its results, if any arrive, are dropped.
    state.probeController?.abort();
    const controller = new AbortController();
    state.probeController = controller;
    const generation = ++state.probeGeneration;
    const stale = () => controller.signal.aborted || state.probeGeneration !== generation || this.entries.get(entry) !== state;
    this.probing.add(entry);
    this.reportStatus();
    try {
      const versions = this.versions();
      const fresh = state.compiled && sameVersions(state.compiled.versions, versions) ? state.compiled : undefined;
      const input = fresh?.input ?? this.compileInput(entry, controller.signal);
      const compiled = fresh?.result ?? await compile(input);
      if (stale()) return;
      const outcome = await this.probes.run(compiled, input, this.settings.probeTimeoutMs, controller.signal);
      if (stale() || outcome.kind === 'cancelled') return;
      if (outcome.kind === 'done') {
        this.browserProblem = undefined;
        state.probedComposition = outcome.result.composition;
        this.index.recordProbe(entry, outcome.result);
        this.store.set(entry, 'probe', outcome.result.diagnostics, versions);
        this.host.sendPageConsole({ uri: this.host.uriOf(entry), version: versions.get(entry) ?? null, lines: pageConsoleLines(outcome.result) });
      } else {
        // The engine's message names no setting; in the editor, a missing Chromium names the one that fixes it.
        const hinted = outcome.kind === 'browser-unavailable' && outcome.toolMissing;
        const diagnostic = hinted ? { ...outcome.diagnostic, message: withToolSetting('chromium', outcome.diagnostic.message) } : outcome.diagnostic;
        if (outcome.kind === 'browser-unavailable') this.browserProblem = hinted ? withToolSetting('chromium', outcome.message) : outcome.message;
        this.store.set(entry, 'probe', [diagnostic], versions);
      }
    } finally {
      if (state.probeController === controller) {
        state.probeController = undefined;
        this.probing.delete(entry);
      }
      this.reportStatus();
    }
  }

  private reportStatus(): void {
    const params: ProbeStatusNotification.Params = {
      state: !this.settings.trusted ? 'untrusted'
        : !this.settings.probeOnSave ? 'disabled'
        : this.probing.size > 0 ? 'probing'
        : this.browserProblem ? 'browser-unavailable' : 'idle',
      uris: [...this.probing].map(file => this.host.uriOf(file)),
      problems: this.store.problemCount(),
    };
    if (params.state === 'browser-unavailable') params.message = this.browserProblem;
    if (params.state === 'untrusted') params.message = 'Workspace not trusted: static checks only (probing runs the composition\'s scripts).';
    const key = JSON.stringify(params);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.host.sendProbeStatus(params);
  }
}
