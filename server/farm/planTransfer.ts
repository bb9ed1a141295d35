// A plan through farm storage: its manifest and each blob as objects under plans/<planHash>/, and back
// into a local folder that verifyPlan then checks against the plan hash the job names.
import fs from 'node:fs';
import path from 'node:path';
import { verifyPlan, planBlobPath, planBlobs } from '../engine/plan/verify';
import { PLAN_BLOBS_FOLDER, PLAN_MANIFEST_FILE, type RenderPlan } from '../engine/plan/types';
import { PlanError } from '../engine/plan/errors';
import { FarmError } from './errors';
import type { FarmStorage, StoredObject } from './storage';

export function planPrefix(planHash: string): string {
  return `plans/${planHash}/`;
}

/** Uploads every blob, then the manifest (whose stored object the chunk jobs carry). */
export async function uploadPlan(storage: FarmStorage, plan: RenderPlan, planDir: string): Promise<StoredObject> {
  const prefix = planPrefix(plan.planHash);
  // The blobs at once (a plan holds a few files; each put is one copy or one Redis SET), the manifest last:
  // a worker that can read the manifest finds every blob.
  await Promise.all(planBlobs(plan).map(blob => storage.put(`${prefix}${PLAN_BLOBS_FOLDER}/${blob.sha256}`, planBlobPath(planDir, blob))));
  return storage.put(`${prefix}${PLAN_MANIFEST_FILE}`, path.join(planDir, PLAN_MANIFEST_FILE));
}

/** Downloads a plan into `planDir` and verifies it against `planHash` (plan-hash-mismatch otherwise). */
export async function downloadPlan(storage: FarmStorage, manifest: StoredObject, planHash: string, planDir: string): Promise<RenderPlan> {
  try {
    return await fetchPlan(storage, manifest, planHash, planDir);
  } catch (error) {
    // A plan object changed in storage is a plan that does not verify: one code for both ways of finding out.
    if (error instanceof FarmError && error.farmCode === 'farm-storage-hash-mismatch') throw new PlanError('plan-hash-mismatch', `Plan ${planHash.slice(0, 12)} does not verify: ${error.message}`, { cause: error });
    throw error;
  }
}

async function fetchPlan(storage: FarmStorage, manifest: StoredObject, planHash: string, planDir: string): Promise<RenderPlan> {
  await fs.promises.mkdir(path.join(planDir, PLAN_BLOBS_FOLDER), { recursive: true });
  const manifestFile = path.join(planDir, PLAN_MANIFEST_FILE);
  await storage.get(manifest, manifestFile);
  const unverified = JSON.parse(await fs.promises.readFile(manifestFile, 'utf8')) as RenderPlan;
  const prefix = planPrefix(planHash);
  await Promise.all(planBlobs(unverified).map(blob => storage.get({ key: `${prefix}${PLAN_BLOBS_FOLDER}/${blob.sha256}`, sha256: blob.sha256, bytes: blob.bytes }, planBlobPath(planDir, blob))));
  return verifyPlan(planDir, planHash);
}
