// hyperframes-live: the command-line face of the engine.
//   hyperframes-live check <entry> [...]
//   hyperframes-live render <entry> [...]
// (cli/usage.ts says every option.)
// Each subcommand lives in its own module under cli/ and exports `run(argv): Promise<number>` (exit code).
import { run as runCheck } from './cli/check';
import { run as runRender } from './cli/render';
import { run as runPlan, runDistributedRender, wantsDistributedRender } from './cli/plan';
import { run as runFarm } from './cli/farm';
import { USAGE_EXIT_CODE } from './cli/args';
import { MAIN_USAGE, PROGRAM, reportUsageError } from './cli/usage';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'render':
      if (!wantsDistributedRender(rest)) return runRender(rest);
      return exitWhenDone(await runDistributedRender(rest));
    case 'plan':
      return runPlan(rest);
    case 'farm':
      return runFarm(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
      return reportUsageError(undefined, 'a command is missing (check or render).');
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${MAIN_USAGE}\n`);
      return 0;
    default:
      return reportUsageError(undefined, `unknown command "${command}" (check or render).`);
  }
}

/**
 * A distributed render has closed every connection, worker and file by the time it returns, but ioredis's reply
 * parser keeps a timer shrinking the buffer it grew for the multi-MB chunk segments, which held the process
 * open about 1.3 s after the video was written. Nothing else is pending, so the process ends as soon as
 * what it printed has drained.
 */
function exitWhenDone(code: number): Promise<number> {
  return new Promise(() => {
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}

// esbuild.mjs defines __VERSION__ from package.json; run from source (tsx) it is the word "dev".
declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  error => {
    process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = USAGE_EXIT_CODE;
  },
);
