// Messages between a render worker process (dist/render-worker.js) and whoever forked it (the CLI's
// callers, the language server, the extension). Declared once; both sides import it.
import type { EngineDiagnostic } from '../model';
import type { StageName } from '../errors';
import type { RenderProgress } from './events';
import type { RenderOptions, RenderResult } from './types';
import type { OwnedResourceEvent } from './ownedResources';

/**
 * A render farm to submit the render to instead of rendering it here (server/farm/submit.ts): its Redis, and
 * optionally a folder every farm worker mounts for plans and chunks (default: Redis itself holds them).
 */
export interface FarmTarget {
  redisUrl: string;
  storageDir?: string;
}

/** Parent → worker. */
export type RenderWorkerRequest =
  | { type: 'render'; options: RenderOptions; farm?: FarmTarget }
  | { type: 'cancel' };

/** A failure, flattened for IPC; the client rebuilds StageError / RenderCancelledError from it. */
export interface RenderWorkerError {
  name: 'StageError' | 'RenderCancelledError' | 'Error';
  message: string;
  stage?: StageName | 'queued';
  code?: string;
  /** A StageError's diagnostics (what blocked the render), kept across the process boundary. */
  diagnostics?: EngineDiagnostic[];
}

/** Worker → parent. */
export type RenderWorkerEvent =
  | { type: 'progress'; progress: RenderProgress }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'result'; result: RenderResult }
  /**
   * A process the worker started or a temporary path it made, appearing or going away (ownedResources.ts):
   * the client kills and removes what is still listed when the worker dies without cleaning up.
   */
  | { type: 'resource'; event: OwnedResourceEvent }
  | { type: 'error'; error: RenderWorkerError };
