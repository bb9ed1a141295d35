// The farm's typed errors: StageErrors under stable codes, so the CLI and the editor report them as they
// report any render failure. A chunk's failure travels through BullMQ as a string; `[code] message` keeps
// its code across machines (chunkFailure() reads it back).
import { StageError, type StageName } from '../engine/errors';

export type FarmErrorCode =
  | 'farm-redis-unavailable' | 'farm-storage-too-large' | 'farm-storage-hash-mismatch' | 'farm-format' | 'farm-chunk-failed' | 'farm-no-workers'
  | 'farm-render-abandoned' | 'farm-plan-locked';

export class FarmError extends StageError {
  constructor(stage: StageName, readonly farmCode: FarmErrorCode, message: string, options?: { cause?: unknown }) {
    super(stage, message, farmCode, [], options);
    this.name = 'FarmError';
  }
}

/** How a chunk's error is written into BullMQ's failedReason. */
export function encodeChunkFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof StageError ? `[${error.code}] ${message}` : message;
}

/** A chunk's failedReason as a StageError with the chunk's own code (farm-chunk-failed when it had none). */
export function chunkFailure(index: number, failedReason: string | undefined): StageError {
  const match = /^\[([a-z0-9-]+)\] ([\s\S]*)$/.exec(failedReason ?? '');
  const code = match?.[1] ?? 'farm-chunk-failed';
  const message = match?.[2] ?? failedReason ?? 'no reason given';
  return new StageError('capture', `Chunk ${index} failed: ${message}`, code);
}
