// `render --batch rows.json`: one render per row of variable values (one video per customer, per
// language). The file is `{"rows": [...]}` or an array; a row is `{"variables": {...}, "output": "a.mp4"}`,
// or (the reference's shape) the variables object itself. Rows render `--batch-concurrency` at a time; a
// failing row (a render error, or its variables rejected under --strict-variables) does not stop the others
// unless --batch-fail-fast. With --json, stdout carries one document at the end listing each row's output or
// error. Exit: 0 when every row rendered, 1 when one failed, 130 when cancelled.
import { DEFAULT_BATCH_CONCURRENCY, WORKER_CANCEL_GRACE_MS } from '../engine/limits';
import { renderJob } from '../engine/render/renderJob';
import { UsageError } from './args';
import { displayPath } from './format';
import { batchOutputs, readBatchFile, runBatch, type BatchCommand, type BatchRequest, type BatchRowOutcome } from './batchRows';

// The rows, outputs and runner live in batchRows.ts (the extension runs them too, without renderJob).
export * from './batchRows';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_CANCELLED = 130;

/** --batch FILE, --batch-concurrency N, --batch-fail-fast (undefined: not a batch). */
export function batchRequest(file: string | undefined, concurrency: number | undefined, failFast: boolean | undefined): BatchRequest | undefined {
  if (file === undefined) {
    if (concurrency !== undefined || failFast) throw new UsageError('--batch-concurrency and --batch-fail-fast apply to --batch only.');
    return undefined;
  }
  return { file, concurrency: concurrency ?? DEFAULT_BATCH_CONCURRENCY, failFast: failFast ?? false };
}

function rowLine(outcome: BatchRowOutcome, total: number): string {
  const head = `[${outcome.index + 1}/${total}]`;
  switch (outcome.status) {
    case 'rendered': return `${head} rendered ${displayPath(outcome.output)} (${outcome.result.frames} frames, ${(outcome.result.wallMs / 1000).toFixed(1)} s)`;
    case 'failed': return `${head} failed${outcome.error.stage ? ` in ${outcome.error.stage}` : ''}: ${outcome.error.message}`;
    default: return `${head} ${outcome.status}: ${displayPath(outcome.output)}`;
  }
}

/** The CLI face of a batch: reads the file, renders, reports, and answers the exit code. */
export async function runBatchCommand(command: BatchCommand): Promise<number> {
  const rows = readBatchFile(command.batch.file);
  // Checked before anything renders, so a collision is a usage error rather than a half-done batch.
  batchOutputs(rows, command.options);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    controller.abort();
    setTimeout(() => process.exit(EXIT_CANCELLED), WORKER_CANCEL_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const onRow = command.json ? undefined : (outcome: BatchRowOutcome, total: number) => {
      (outcome.status === 'rendered' ? process.stdout : process.stderr).write(`${rowLine(outcome, total)}\n`);
    };
    const document = await runBatch(command, rows, { signal: controller.signal, onRow, render: renderJob });
    if (command.json) process.stdout.write(`${JSON.stringify(document)}\n`);
    else process.stdout.write(`Batch ${displayPath(document.file)}: ${document.rendered} of ${document.total} rendered${document.failed ? `, ${document.failed} failed` : ''}${document.skipped ? `, ${document.skipped} not rendered` : ''}\n`);
    if (controller.signal.aborted) return EXIT_CANCELLED;
    return document.failed > 0 || document.skipped > 0 ? EXIT_FAILED : EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
