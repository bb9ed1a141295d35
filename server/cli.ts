// hyperframes-live: the command-line face of the engine.
//   hyperframes-live check <entry.html> [--json]
//   hyperframes-live render <entry.html> [-o out.mp4] [...]
// Each subcommand lives in its own module under cli/ and exports `run(argv): Promise<number>` (exit code).
import { run as runCheck } from './cli/check';
import { run as runRender } from './cli/render';

const USAGE = `usage:
  hyperframes-live check <entry.html> [--json] [--chromium PATH] [--timeout MS]
  hyperframes-live render <entry.html> [-o out.mp4] [--fps N] [--quality draft|standard|high]
                          [--format mp4|webm|png] [--workers N] [--json] [--strict] [--allow-errors]
  hyperframes-live --version`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'render':
      return runRender(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`hyperframes-live: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  error => {
    process.stderr.write(`hyperframes-live: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
