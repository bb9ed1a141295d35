// Starts a render in a child process (dist/render-worker.js) and speaks its protocol: the language
// server and the extension call this so a render never blocks their event loops. Cancel asks the worker
// to stop (it cleans up after itself) and, if it has not exited after a grace period, kills its process
// group. Whenever the worker exits, whatever it reported still running or lying around (its browsers lead
// groups of their own; the staged output; temporary folders) is killed and removed before `done` settles.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WORKER_CANCEL_GRACE_MS } from '../limits';
import { RenderCancelledError, StageError } from '../errors';
import type { RenderProgress } from './events';
import type { RenderOptions, RenderResult } from './types';
import type { FarmTarget, RenderWorkerError, RenderWorkerEvent, RenderWorkerRequest } from './workerProtocol';
import { WorkerLeftovers } from './workerLeftovers';

export interface RenderWorkerCallbacks {
  onProgress?: (progress: RenderProgress) => void;
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** dist/render-worker.js; found beside the running bundle (or in dist/ from source) by default. */
  workerPath?: string;
  /** Submit to this render farm instead of rendering here (the worker falls back to a local render for what a farm cannot render). */
  farm?: FarmTarget;
}

export interface RenderWorkerHandle {
  /** The worker's process id. */
  readonly pid: number | undefined;
  cancel(): void;
  /** The result, or a StageError / RenderCancelledError. */
  done: Promise<RenderResult>;
}

export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'render-worker.js'), path.resolve(__dirname, '../../../dist/render-worker.js')];
  return candidates.find(candidate => fs.existsSync(candidate)) ?? candidates[0];
}

function fromWorkerError(error: RenderWorkerError): Error {
  if (error.name === 'StageError' && error.stage && error.stage !== 'queued') return new StageError(error.stage, error.message, error.code, error.diagnostics ?? []);
  if (error.name === 'RenderCancelledError') return new RenderCancelledError(error.stage ?? 'queued');
  return new Error(error.message);
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export function startRenderWorker(options: RenderOptions, callbacks: RenderWorkerCallbacks = {}): RenderWorkerHandle {
  const workerPath = callbacks.workerPath ?? defaultWorkerPath();
  // detached: the worker leads its own process group, so killing -pid reaches Chromium and ffmpeg too.
  const child = fork(workerPath, [], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  let cancelled = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const leftovers = new WorkerLeftovers();

  const done = new Promise<RenderResult>((resolve, reject) => {
    let outcome: { result: RenderResult } | { error: Error } | undefined;
    child.on('message', (event: RenderWorkerEvent) => {
      if (event.type === 'resource') leftovers.record(event.event);
      else if (event.type === 'progress') callbacks.onProgress?.(event.progress);
      else if (event.type === 'log') callbacks.onLog?.(event.level, event.message);
      else if (event.type === 'result') outcome = { result: event.result };
      else if (event.type === 'error') outcome = { error: fromWorkerError(event.error) };
    });
    child.once('error', error => reject(error));
    const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (outcome && 'result' in outcome) return resolve(outcome.result);
      if (outcome) return reject(outcome.error);
      if (cancelled) return reject(new RenderCancelledError('queued'));
      reject(new Error(`The render worker exited (${code ?? signal}) without a result.${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    child.once('exit', (code, signal) => {
      if (graceTimer) clearTimeout(graceTimer);
      // Anything the worker left behind (it should have closed all) goes with its group, and what it
      // reported outside the group goes one by one.
      try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
      if (leftovers.empty) return settle(code, signal);
      callbacks.onLog?.('warn', `The render worker exited (${code ?? signal}) without cleaning up; removing what it left.`);
      // A clean-up that fails must not leave the render unsettled: it is logged, and the outcome stands.
      leftovers.cleanUp()
        .catch(error => callbacks.onLog?.('error', `Removing what the render worker left failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => settle(code, signal));
    });
  });
  done.catch(() => undefined);

  const request: RenderWorkerRequest = { type: 'render', options, ...(callbacks.farm ? { farm: callbacks.farm } : {}) };
  child.send(request);

  return {
    pid: child.pid,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      if (child.connected) child.send({ type: 'cancel' } satisfies RenderWorkerRequest);
      graceTimer = setTimeout(() => killTree(child), WORKER_CANCEL_GRACE_MS);
      graceTimer.unref();
    },
    done,
  };
}
