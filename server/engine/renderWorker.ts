// The render worker: a child process (bundled to dist/render-worker.js) that runs one render job, so a
// render never blocks the event loop of the language server or the extension host. It receives a
// RenderOptions over IPC, streams progress and logs back, and answers with the result or the error. A
// 'cancel' message or the parent going away aborts the job; the job's own cleanup closes the browsers and
// ffmpeg and removes partial files before the process exits. A request that names a render farm is submitted
// there (server/farm/submit.ts) with the same progress, result and cancel.
import { WORKER_CANCEL_GRACE_MS } from './limits';
import { onOwnedResource } from './render/ownedResources';
import { renderJob } from './render/renderJob';
import type { RenderCallbacks, RenderResult } from './render/types';
import { asRenderResult } from './chunks/renderChunked';
import { renderOnFarm, whyNotOnFarm } from '../farm/submit';
import type { RenderWorkerError, RenderWorkerEvent, RenderWorkerRequest } from './render/workerProtocol';
import { RenderCancelledError, StageError } from './errors';
import type { Logger } from './logger';

const controller = new AbortController();
let started = false;

function send(event: RenderWorkerEvent): void {
  if (process.connected) process.send?.(event);
}

function toWorkerError(error: unknown): RenderWorkerError {
  if (error instanceof StageError) return { name: 'StageError', message: error.message, stage: error.stage, code: error.code, diagnostics: error.diagnostics };
  if (error instanceof RenderCancelledError) return { name: 'RenderCancelledError', message: error.message, stage: error.stage };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

const logger: Logger = {
  trace() {},
  debug: message => send({ type: 'log', level: 'debug', message }),
  info: message => send({ type: 'log', level: 'info', message }),
  warn: message => send({ type: 'log', level: 'warn', message }),
  error: message => send({ type: 'log', level: 'error', message }),
};

// Every browser and ffmpeg started and every temporary path made is reported before anything else can
// happen to it, so the parent can clean up after a crash of this process.
onOwnedResource(event => send({ type: 'resource', event }));

/**
 * The render the request asks for: on the farm when it names one and the farm can render it as asked (else
 * here, saying why), or here.
 */
async function run(request: Extract<RenderWorkerRequest, { type: 'render' }>, callbacks: RenderCallbacks): Promise<RenderResult> {
  const farm = request.farm;
  if (farm) {
    const refusal = whyNotOnFarm(request.options);
    if (refusal === undefined) {
      logger.info(`rendering on the farm at ${farm.redisUrl}`);
      return asRenderResult(await renderOnFarm({ render: request.options, redisUrl: farm.redisUrl, storageDir: farm.storageDir }, callbacks));
    }
    logger.info(`rendering on this machine, not on the farm at ${farm.redisUrl}: ${refusal}`);
  }
  return renderJob(request.options, callbacks);
}

async function render(request: Extract<RenderWorkerRequest, { type: 'render' }>): Promise<void> {
  try {
    const result = await run(request, {
      signal: controller.signal,
      logger,
      onProgress: progress => send({ type: 'progress', progress }),
    });
    send({ type: 'result', result });
    process.exitCode = 0;
  } catch (error) {
    send({ type: 'error', error: toWorkerError(error) });
    process.exitCode = error instanceof RenderCancelledError ? 130 : 1;
  } finally {
    if (process.connected) process.disconnect();
    // After a farm render every connection is closed, but ioredis's reply parser keeps a buffer-shrinking
    // timer alive for about 1.3 s, and the parent reports the render done when this process exits.
    if (request.farm) setImmediate(() => process.exit());
  }
}

process.on('message', (message: RenderWorkerRequest) => {
  if (message.type === 'cancel') return controller.abort();
  if (message.type === 'render' && !started) {
    started = true;
    void render(message);
  }
});
/**
 * Stops the job; if its cleanup has not let the process end after the grace period, exits anyway: the
 * exit hook (ownedResources.ts) then kills the browsers and ffmpeg and removes the temporary paths.
 */
function stop(): void {
  controller.abort();
  setTimeout(() => process.exit(process.exitCode ?? 130), WORKER_CANCEL_GRACE_MS).unref();
}

// The parent died or let go: nobody wants the video any more.
process.on('disconnect', stop);
process.on('SIGTERM', stop);
