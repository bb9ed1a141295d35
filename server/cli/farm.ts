// `hyperframes-live farm worker --redis redis://HOST:PORT [--concurrency N]`: a render farm worker (farm/worker.ts)
// that runs until Ctrl+C or SIGTERM (its running chunks go back to the queue for another worker). Exit: 0
// stopped, 1 Redis unreachable or lost, 2 usage.
import { startFarmWorker } from '../farm/worker';
import { parseArgs, UsageError, type FlagSpec } from './args';
import { FARM_USAGE, PROGRAM, reportUsageError } from './usage';

const FARM_WORKER_FLAGS = {
  redis: { kind: 'string' },
  concurrency: { kind: 'number', min: 1, integer: true },
  chromium: { kind: 'string' },
  ffmpeg: { kind: 'string' },
  verbose: { kind: 'boolean' },
  help: { kind: 'boolean', short: 'h' },
} as const satisfies Record<string, FlagSpec>;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    if (sub === undefined) return reportUsageError('farm', 'a farm command is missing (worker).');
    process.stdout.write(`${FARM_USAGE}\n`);
    return 0;
  }
  if (sub !== 'worker') return reportUsageError('farm', `unknown farm command "${sub}" (worker).`);
  let flags: ReturnType<typeof parseArgs<typeof FARM_WORKER_FLAGS>>['flags'];
  try {
    const parsed = parseArgs(rest, FARM_WORKER_FLAGS);
    flags = parsed.flags;
    if (flags.help) { process.stdout.write(`${FARM_USAGE}\n`); return 0; }
    if (parsed.positionals.length) throw new UsageError(`unexpected argument "${parsed.positionals[0]}".`);
    if (!flags.redis) throw new UsageError('--redis redis://HOST:PORT is missing.');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError('farm worker', error.message);
  }
  const verbose = flags.verbose ?? false;
  const line = (text: string) => process.stderr.write(`${text}\n`);
  try {
    const worker = await startFarmWorker({
      redisUrl: flags.redis, concurrency: flags.concurrency, local: { chromiumPath: flags.chromium, ffmpegPath: flags.ffmpeg },
      logger: {
        trace() {}, debug: m => { if (verbose) line(`debug: ${m}`); }, info: m => line(m), warn: m => line(`warning: ${m}`), error: m => line(`error: ${m}`),
      },
    });
    const onSignal = () => { line('farm worker: stopping'); void worker.stop(); };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    await worker.done;
    return 0;
  } catch (error) {
    line(`${PROGRAM} farm worker: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
