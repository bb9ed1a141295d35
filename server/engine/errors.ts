// The pipeline's typed errors: every failure names its stage, and a cancel is told apart from a failure.
import type { EngineDiagnostic } from './model';

export type StageName = 'compile' | 'probe' | 'capture' | 'encode' | 'audio' | 'mux';

/** Every pipeline failure names its stage; `code` is stable for callers that branch on it. */
export class StageError extends Error {
  constructor(
    readonly stage: StageName,
    message: string,
    readonly code: string = 'stage-failed',
    readonly diagnostics: EngineDiagnostic[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StageError';
  }
}

/** Thrown by any stage when its AbortSignal fires. */
export class RenderCancelledError extends Error {
  constructor(readonly stage: StageName | 'queued') {
    super(`Render cancelled during ${stage}.`);
    this.name = 'RenderCancelledError';
  }
}
