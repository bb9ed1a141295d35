// dist/cli.js, the `hyperframes-live` executable: runs the CLI's bundle (dist/cli-main.js, from server/cli.ts)
// with V8's code cache (bundleLoader.ts). A command with arguments (`render <entry>`, `check <entry>`) runs
// enough of the bundle for its compiled code to be worth keeping; `--version` or `--help` does not.
import path from 'node:path';
import { runBundle } from './bundleLoader';

runBundle({ file: path.join(__dirname, 'cli-main.js'), keepsCache: process.argv.length > 3 });
