// "HyperFrames: Render Batch" on a rows file in the Explorer (`render --batch` from VS Code): finds the
// composition the rows are for (the one in the file's folder, else hyperframes.json's "entry", else the user
// picks), then runs the CLI's batch module (server/cli/batch.ts: row parsing, outputs, variables merge,
// concurrency) with each row rendered as one job of the render queue, so every row has its notification and
// its line in the Renders view. The end is one toast: how many rendered, which rows failed and why.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { batchOutputs, readBatchFile, runBatch, type BatchDocument, type BatchRow } from '../../server/cli/batchRows';
import { isCompositionDocument } from '../../server/engine/compile';
import { RenderCancelledError, StageError } from '../../server/engine/errors';
import { PROJECT_MARKER } from '../../server/engine/project';
import type { RenderOptions, RenderResult } from '../../server/engine/render/types';
import type { RenderJob, RenderJobRequest, ResolvedRenderOptions } from './queue';
import { compositionName } from './output';
import { buildRequest, type FormatChoice, type RenderCommandOptions } from './request';
import { readRenderSettings } from './settings';

/** The command's options (its second argument after the file; the end-to-end tests pass them). */
export interface BatchCommandOptions {
  /** The composition the rows are for; asked for when it cannot be inferred. */
  composition?: vscode.Uri | string;
  format?: RenderCommandOptions['format'];
  quality?: RenderCommandOptions['quality'];
  /** Ask nothing: the settings decide the format (the composition must be inferable or given). */
  noPrompt?: boolean;
}

export interface BatchDeps {
  log: vscode.LogOutputChannel;
  /** Queues one row's render (its notification included) and gives the job. */
  enqueueRow: (request: RenderJobRequest) => RenderJob;
  /** The format and quality (the render command's quick pick, or the options); undefined: dismissed. */
  chooseFormat: (uri: vscode.Uri, options: RenderCommandOptions) => Promise<FormatChoice | undefined>;
}

/** Failing rows named in the summary toast (every one is in the log). */
const FAILED_ROWS_NAMED = 3;
/** At most this many HTML files are read to offer the compositions of the workspace. */
const COMPOSITION_SEARCH_LIMIT = 200;

const SHOW_LOG = 'Show Log';
const REVEAL = 'Reveal Outputs';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The compositions beside the rows file (HTML files with a composition root or template). */
function compositionsBeside(file: string): string[] {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter(name => /\.html?$/i.test(name)).map(name => path.join(dir, name))
    .filter(candidate => isCompositionDocument(readText(candidate) ?? '')).sort();
}

/** hyperframes.json's "entry" in the rows file's folder or above (inside the workspace folder). */
function projectEntry(file: string): string | undefined {
  const top = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const text = readText(path.join(dir, PROJECT_MARKER));
    if (text !== undefined) {
      try {
        const entry = (JSON.parse(text) as { entry?: unknown }).entry;
        if (typeof entry === 'string' && entry.trim()) return path.resolve(dir, entry);
      } catch {
        // A broken project file names no entry; the user is asked.
      }
      return undefined;
    }
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}

/** The composition the rows are for: inferred when only one fits, else picked (undefined: dismissed). */
async function chooseComposition(file: string, options: BatchCommandOptions): Promise<string | undefined> {
  if (options.composition) return typeof options.composition === 'string' ? path.resolve(path.dirname(file), options.composition) : options.composition.fsPath;
  const beside = compositionsBeside(file);
  if (beside.length === 1) return beside[0];
  const entry = projectEntry(file);
  if (entry && fs.existsSync(entry)) return entry;
  if (options.noPrompt) return undefined;
  const candidates = beside.length > 0 ? beside : (await vscode.workspace.findFiles('**/*.{html,htm}', '**/node_modules/**', COMPOSITION_SEARCH_LIMIT))
    .map(uri => uri.fsPath).filter(candidate => isCompositionDocument(readText(candidate) ?? '')).sort();
  if (candidates.length === 0) {
    void vscode.window.showWarningMessage('No HyperFrames composition was found to render this batch with: add one beside the file, or name it in hyperframes.json\'s "entry".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map(candidate => ({ label: vscode.workspace.asRelativePath(candidate), candidate })),
    { title: `Render Batch ${path.basename(file)}`, placeHolder: 'Which composition are these rows for?', ignoreFocusOut: true },
  );
  return picked?.candidate;
}

/** A finished row job as renderJob would have ended: its result, or the error runBatch records for the row. */
async function rowResult(job: RenderJob, signal: AbortSignal): Promise<RenderResult> {
  const onAbort = () => job.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await job.finished;
    if (outcome.status === 'done') return outcome.result;
    if (outcome.status === 'cancelled') throw new RenderCancelledError('queued');
    const { failure } = outcome;
    throw failure.stage ? new StageError(failure.stage, failure.message, failure.code, failure.diagnostics) : new Error(failure.message);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The summary toast's text: how many rendered, and the first failing rows with their reasons. */
export function batchSummary(document: BatchDocument): string {
  const name = path.basename(document.file);
  const failed = document.rows.filter(row => row.status === 'failed');
  const head = `Batch ${name}: ${document.rendered} of ${document.total} rendered`;
  const skipped = document.skipped > 0 ? `, ${document.skipped} not rendered` : '';
  if (failed.length === 0) return `${head}${skipped}.`;
  const named = failed.slice(0, FAILED_ROWS_NAMED).map(row => `row ${row.index}: ${row.status === 'failed' ? row.error.message : ''}`);
  const more = failed.length > named.length ? ` and ${failed.length - named.length} more` : '';
  return `${head}${skipped}; ${failed.length} failed (${named.join('; ')}${more}).`;
}

/**
 * The command: (rows file from the Explorer, options). Resolves to the batch's document (each row's output
 * or error), or undefined when nothing ran (dismissed, or a file that is not a batch).
 */
export async function renderBatch(deps: BatchDeps, target: unknown, options: BatchCommandOptions = {}): Promise<BatchDocument | undefined> {
  const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.file(target) : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Choose a batch file (a .json of rows of variable values) in the Explorer to render it.');
    return undefined;
  }
  const file = uri.fsPath;
  let rows: BatchRow[];
  try {
    // A row's "output" is relative to the rows file (the CLI's, to the working directory: where the file is named from).
    rows = readBatchFile(file).map(row => (row.output === undefined ? row : { ...row, output: path.resolve(path.dirname(file), row.output) }));
  } catch (error) {
    void vscode.window.showErrorMessage(`HyperFrames: ${path.basename(file)} is not a batch file: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const entryFile = await chooseComposition(file, options);
  if (!entryFile) return undefined;
  const entryUri = vscode.Uri.file(entryFile);
  const choice = await deps.chooseFormat(entryUri, { format: options.format, quality: options.quality, noPrompt: options.noPrompt });
  if (!choice) return undefined;
  const settings = readRenderSettings(entryUri);
  const base = buildRequest(entryUri, choice, {}, settings);
  const name = compositionName(entryFile);
  deps.log.info(`batch ${file}: ${rows.length} rows of ${entryFile} as ${choice.format} (${choice.quality})`);

  const controller = new AbortController();
  // runBatch gives each row its output (batchOutputs): that names the row in the queue.
  let rowByOutput = new Map<string, number>();
  const render = (rowOptions: RenderOptions, callbacks?: { signal?: AbortSignal }): Promise<RenderResult> => {
    const resolved: ResolvedRenderOptions = { ...base.options, ...rowOptions, outputPath: rowOptions.outputPath ?? base.options.outputPath };
    const index = rowByOutput.get(resolved.outputPath);
    const job = deps.enqueueRow({ name: `${name} · ${path.basename(file)} row ${index ?? '?'}`, uri: base.uri, options: resolved });
    return rowResult(job, callbacks?.signal ?? controller.signal);
  };
  let document: BatchDocument;
  try {
    rowByOutput = new Map(batchOutputs(rows, base.options).map((output, i) => [output, rows[i].index]));
    document = await runBatch(
      { batch: { file, concurrency: settings.maxConcurrent, failFast: false }, options: base.options, strictVariables: false, json: false, verbose: false },
      rows,
      {
        signal: controller.signal,
        render,
        onRow: (outcome, total) => {
          const line = `batch ${path.basename(file)} row ${outcome.index} (${outcome.index + 1}/${total}): ${outcome.status}`;
          if (outcome.status === 'failed') deps.log.error(`${line}: ${outcome.error.message}`);
          else deps.log.info(`${line} → ${outcome.output}`);
          for (const warning of outcome.warnings) deps.log.warn(`batch ${path.basename(file)} row ${outcome.index}: ${warning}`);
        },
      },
    );
  } catch (error) {
    // Outputs that collide, or a composition that cannot be read: nothing was rendered.
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`batch ${file}: ${message}`);
    void vscode.window.showErrorMessage(`HyperFrames: the batch ${path.basename(file)} did not start: ${message}`, SHOW_LOG)
      .then(answer => { if (answer === SHOW_LOG) deps.log.show(); });
    return undefined;
  }
  const summary = batchSummary(document);
  deps.log.info(summary);
  const firstOutput = document.rows.find(row => row.status === 'rendered')?.output;
  const actions = document.failed > 0 ? [SHOW_LOG, ...(firstOutput ? [REVEAL] : [])] : firstOutput ? [REVEAL] : [];
  const show = document.failed > 0 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  void show(summary, ...actions).then(answer => {
    if (answer === SHOW_LOG) deps.log.show();
    else if (answer === REVEAL && firstOutput) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(firstOutput));
  });
  return document;
}
