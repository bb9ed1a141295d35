// Messages between a render worker process (dist/render-worker.js) and whoever forked it (the CLI's
// callers, the language server, the extension). Declared once; both sides import it.
import type { RenderProgress, StageName } from '../stages';
import type { RenderOptions, RenderResult } from './types';

/** Parent → worker. */
export type RenderWorkerRequest =
  | { type: 'render'; options: RenderOptions }
  | { type: 'cancel' };

/** A failure, flattened for IPC; the client rebuilds StageError / RenderCancelledError from it. */
export interface RenderWorkerError {
  name: 'StageError' | 'RenderCancelledError' | 'Error';
  message: string;
  stage?: StageName | 'queued';
  code?: string;
}

/** Worker → parent. */
export type RenderWorkerEvent =
  | { type: 'progress'; progress: RenderProgress }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'result'; result: RenderResult }
  | { type: 'error'; error: RenderWorkerError };
