// dist/render-worker.js, the render worker a render forks (render/workerClient.ts): runs its bundle
// (dist/render-worker-main.js, from engine/renderWorker.ts) with V8's code cache (bundleLoader.ts), so each
// render's worker starts without compiling the bundle again.
import path from 'node:path';
import { runBundle } from './bundleLoader';

runBundle({ file: path.join(__dirname, 'render-worker-main.js'), keepsCache: true });
