// The batch itself, without the engine: a rows file read and checked, each row's output, and the rows run
// `concurrency` at a time through a render function the caller gives (the CLI: the engine's renderJob in this
// process, cli/batch.ts; VS Code: one render-queue job per row, extension/render/batch.ts). Kept apart from
// renderJob so the extension's bundle does not carry the browser and encoder.
import fs from 'node:fs';
import path from 'node:path';
import { RenderCancelledError, StageError } from '../engine/errors';
import type { Logger } from '../engine/logger';
import { defaultOutputPath } from '../engine/render/output';
import type { renderJob } from '../engine/render/renderJob';
import type { OutputFormat, RenderOptions, RenderResult } from '../engine/render/types';
import { UsageError } from './args';
import { displayPath } from './format';
import { loadDeclarations, variableProblems, VariablesRejectedError } from './variables';

export interface BatchRow {
  /** 0-based position in the file (the {index} placeholder, the JSON document's "index"). */
  index: number;
  variables: Record<string, unknown>;
  /** The row's own output (resolved from the working directory), if it names one. */
  output: string | undefined;
}

export interface BatchRequest {
  file: string;
  concurrency: number;
  failFast: boolean;
}

export interface BatchCommand {
  batch: BatchRequest;
  /** The render every row starts from (the command line's options, its variables included). */
  options: RenderOptions;
  strictVariables: boolean;
  json: boolean;
  verbose: boolean;
}

export type BatchRowOutcome =
  | { index: number; status: 'rendered'; output: string; variables: Record<string, unknown>; warnings: string[]; result: Pick<RenderResult, 'frames' | 'duration' | 'sizeBytes' | 'wallMs'> }
  | { index: number; status: 'failed'; output: string; variables: Record<string, unknown>; warnings: string[]; error: { code: string | undefined; stage: string | undefined; message: string } }
  | { index: number; status: 'skipped' | 'cancelled'; output: string; variables: Record<string, unknown>; warnings: string[] };

export interface BatchDocument {
  event: 'batch';
  file: string;
  total: number;
  rendered: number;
  failed: number;
  skipped: number;
  rows: BatchRowOutcome[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rows of a batch file; anything else is a usage error saying which row and why. */
export function parseBatchRows(text: string, source: string): BatchRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--batch ${source} is not valid JSON (${(error as Error).message}).`);
  }
  const rows = Array.isArray(parsed) ? parsed : isRecord(parsed) ? parsed.rows : undefined;
  if (!Array.isArray(rows)) throw new UsageError(`--batch ${source} must be a JSON array of rows, or {"rows": [...]}.`);
  if (rows.length === 0) throw new UsageError(`--batch ${source} has no rows.`);
  return rows.map((row, index): BatchRow => {
    if (!isRecord(row)) throw new UsageError(`Row ${index} of --batch ${source} must be an object: {"variables": {...}, "output": "name.mp4"}.`);
    if (!('variables' in row)) return { index, variables: row, output: undefined };
    const { variables, output } = row;
    if (!isRecord(variables)) throw new UsageError(`Row ${index} of --batch ${source}: "variables" must be an object of values by variable id.`);
    if (output !== undefined && (typeof output !== 'string' || !output.trim())) throw new UsageError(`Row ${index} of --batch ${source}: "output" must be a file name.`);
    return { index, variables, output: output === undefined ? undefined : output };
  });
}

export function readBatchFile(file: string): BatchRow[] {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new UsageError(`--batch ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return parseBatchRows(text, file);
}

const PLACEHOLDER = /\{([A-Za-z0-9_.-]+)\}/g;

/** `<name>-<index>` before the format's extension (a folder output, PNG frames, gets it at the end). */
function withIndex(output: string, index: number, format: OutputFormat): string {
  const extension = path.extname(output) === `.${format}` ? path.extname(output) : '';
  return `${output.slice(0, output.length - extension.length)}-${index}${extension}`;
}

/**
 * Where each row is written: its own "output"; else --output with {index} and {variable} placeholders filled
 * from the row; else the single render's output with "-<index>". Two rows writing one file is a usage error.
 */
export function batchOutputs(rows: readonly BatchRow[], options: RenderOptions): string[] {
  const format = options.format ?? 'mp4';
  const base = options.outputPath ?? defaultOutputPath(options.entryFile, format, options.range);
  const outputs = rows.map(row => {
    if (row.output !== undefined) return path.resolve(row.output);
    if (!base.match(PLACEHOLDER)) return withIndex(base, row.index, format);
    return base.replace(PLACEHOLDER, (_, key: string) => {
      if (key === 'index') return String(row.index);
      const value = row.variables[key];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new UsageError(`--output's {${key}} has no text value in row ${row.index} of the batch.`);
      }
      return String(value).replace(/[\\/:*?"<>|]+/g, '-');
    });
  });
  const seen = new Map<string, number>();
  outputs.forEach((output, i) => {
    const first = seen.get(output);
    if (first !== undefined) throw new UsageError(`Rows ${first} and ${rows[i].index} of the batch both write ${displayPath(output)}: give each row its own "output", or use {index} in --output.`);
    seen.set(output, rows[i].index);
  });
  return outputs;
}

function rowLogger(index: number, verbose: boolean, json: boolean): Logger {
  const write = (line: string) => process.stderr.write(`row ${index}: ${line}\n`);
  return {
    trace() {},
    debug: message => { if (verbose) write(`debug: ${message}`); },
    info: message => { if (verbose) write(message); },
    warn: message => { if (!json || verbose) write(`warning: ${message}`); },
    error: message => write(`error: ${message}`),
  };
}

function errorFacts(error: unknown): { code: string | undefined; stage: string | undefined; message: string } {
  const stage = error instanceof StageError || error instanceof RenderCancelledError ? error.stage : undefined;
  return { code: error instanceof StageError ? error.code : undefined, stage, message: error instanceof Error ? error.message : String(error) };
}

export interface BatchRunOptions {
  signal: AbortSignal;
  /** Renders one row: the engine's renderJob (the CLI), a render-queue job (VS Code); a test may count or fail rows. */
  render: typeof renderJob;
  /** Called as each row ends (the CLI prints a line). */
  onRow?: (outcome: BatchRowOutcome, total: number) => void;
}

/** Renders every row, `concurrency` at a time, and says what became of each. */
export async function runBatch(command: BatchCommand, rows: readonly BatchRow[], run: BatchRunOptions): Promise<BatchDocument> {
  const outputs = batchOutputs(rows, command.options);
  const declarations = await loadDeclarations(command.options.entryFile);
  const { render } = run;
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  run.signal.addEventListener('abort', onAbort, { once: true });
  const outcomes: BatchRowOutcome[] = new Array<BatchRowOutcome>(rows.length);
  let next = 0;

  const renderRow = async (row: BatchRow, output: string): Promise<BatchRowOutcome> => {
    // A row's values go over the command line's --variables, which go over the declared defaults.
    const variables = { ...command.options.variables, ...row.variables };
    const warnings = variableProblems(variables, declarations);
    const logger = rowLogger(row.index, command.verbose, command.json);
    if (stopAll.signal.aborted) return { index: row.index, status: run.signal.aborted ? 'cancelled' : 'skipped', output, variables, warnings };
    try {
      if (warnings.length > 0 && command.strictVariables) throw new VariablesRejectedError(warnings);
      for (const warning of warnings) logger.warn(warning);
      const result = await render({ ...command.options, variables, outputPath: output }, { signal: stopAll.signal, logger });
      return { index: row.index, status: 'rendered', output: result.outputPath, variables, warnings, result: { frames: result.frames, duration: result.duration, sizeBytes: result.sizeBytes, wallMs: result.wallMs } };
    } catch (error) {
      if (error instanceof RenderCancelledError && stopAll.signal.aborted) {
        return { index: row.index, status: run.signal.aborted ? 'cancelled' : 'skipped', output, variables, warnings };
      }
      if (command.batch.failFast) stopAll.abort();
      return { index: row.index, status: 'failed', output, variables, warnings, error: errorFacts(error) };
    }
  };

  const lane = async (): Promise<void> => {
    while (next < rows.length) {
      const i = next++;
      outcomes[i] = await renderRow(rows[i], outputs[i]);
      run.onRow?.(outcomes[i], rows.length);
    }
  };
  try {
    const lanes = Math.max(1, Math.min(command.batch.concurrency, rows.length));
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    run.signal.removeEventListener('abort', onAbort);
  }
  const count = (status: BatchRowOutcome['status']) => outcomes.filter(outcome => outcome.status === status).length;
  return {
    event: 'batch', file: path.resolve(command.batch.file), total: rows.length,
    rendered: count('rendered'), failed: count('failed'), skipped: count('skipped') + count('cancelled'), rows: outcomes,
  };
}
