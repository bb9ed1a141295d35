// The farm's BullMQ vocabulary, declared once for the submitting side and the workers: the queue names,
// what a chunk job carries and returns, and the options every chunk job gets (retries, backoff).
import type { JobsOptions } from 'bullmq';
import { FARM_CHUNK_ATTEMPTS, FARM_RETRY_BACKOFF_MS } from '../engine/limits';
import type { PlanChunk } from '../engine/plan/types';
import type { CaptureMode } from '../engine/capture/browserSession';
import type { StorageDescriptor, StoredObject } from './storage';

/** Every worker takes chunks from this queue. */
export const CHUNK_QUEUE = 'hyperframes-chunks';
/** One render's assemble job (the flow's parent) waits in a queue of its own, processed by its submitter. */
export function assembleQueueName(renderId: string): string {
  return `hyperframes-assemble-${renderId}`;
}
/** Set when a render is cancelled: its chunks' workers stop them. */
export function cancelKey(renderId: string): string {
  return `hf:cancel:${renderId}`;
}
/** One render's jobs, named so that anyone holding its renderId finds them (farm/abandoned.ts removes them so). */
export function chunkJobId(renderId: string, index: number): string {
  return `${renderId}.chunk-${index}`;
}
export function assembleJobId(renderId: string): string {
  return `${renderId}.assemble`;
}
/** Stored segments of one render. */
export function segmentsPrefix(renderId: string): string {
  return `renders/${renderId}/`;
}

export interface ChunkJobData {
  renderId: string;
  planHash: string;
  manifest: StoredObject;
  storage: StorageDescriptor;
  chunk: PlanChunk;
  /** Where the worker stores the segment. */
  segmentKey: string;
  allowErrors: boolean;
  strict: boolean;
}

export interface ChunkJobResult {
  index: number;
  segment: StoredObject;
  frames: number;
  /** Wall time of the chunk on its worker, plan download included. */
  wallMs: number;
  renderMs: number;
  worker: string;
  captureMode: CaptureMode;
}

/** Progress a chunk job reports (job.updateProgress). */
export interface ChunkJobProgress {
  frame: number;
  totalFrames: number;
}

export const CHUNK_JOB_OPTIONS: JobsOptions = {
  attempts: FARM_CHUNK_ATTEMPTS,
  backoff: { type: 'exponential', delay: FARM_RETRY_BACKOFF_MS },
  // The parent fails with the chunk's error once its retries are spent.
  failParentOnFailure: true,
};
