// Reading a plan back: the manifest's hash must verify and every blob must hash to its name
// (plan-hash-mismatch), and this machine's Chromium and ffmpeg must have the plan's major versions
// (tool-version-mismatch), so every chunk of a video is rendered from the same bytes by the same software.
// Then the project is laid out again in a work folder for the chunk's render.
import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../project';
import { computePlanHash, sha256File } from './hash';
import { PlanError } from './errors';
import { PLAN_BLOBS_FOLDER, PLAN_FORMAT_VERSION, PLAN_MANIFEST_FILE, type PlanBlob, type PlanTools, type RenderPlan } from './types';

export function planBlobPath(planDir: string, blob: PlanBlob): string {
  return path.join(planDir, PLAN_BLOBS_FOLDER, blob.sha256);
}

/** Every blob a plan names, each once. */
export function planBlobs(plan: RenderPlan): PlanBlob[] {
  const all = [...plan.files, plan.compiledPage, ...(plan.audio ? [plan.audio] : [])];
  return [...new Map(all.map(blob => [blob.sha256, { sha256: blob.sha256, bytes: blob.bytes }])).values()];
}

/** The manifest, its hash verified (not yet the blobs: verifyPlan). */
export function readPlanManifest(planDir: string, expectedHash?: string): RenderPlan {
  const file = path.join(planDir, PLAN_MANIFEST_FILE);
  let plan: RenderPlan;
  try {
    plan = JSON.parse(fs.readFileSync(file, 'utf8')) as RenderPlan;
  } catch (error) {
    throw new PlanError('plan-invalid', `${file} is not a render plan: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) throw new PlanError('plan-invalid', `${file} is a plan of format ${String(plan.formatVersion)}; this version reads format ${PLAN_FORMAT_VERSION}.`);
  const actual = computePlanHash(plan);
  if (actual !== plan.planHash) throw new PlanError('plan-hash-mismatch', `The plan in ${planDir} was changed after it was made: its hash is ${actual}, not ${plan.planHash}.`);
  if (expectedHash !== undefined && plan.planHash !== expectedHash) throw new PlanError('plan-hash-mismatch', `The plan in ${planDir} is ${plan.planHash}, not the expected ${expectedHash}.`);
  return plan;
}

/** The manifest and every blob verified; the plan, if all of it is as it was made. */
export async function verifyPlan(planDir: string, expectedHash?: string): Promise<RenderPlan> {
  const plan = readPlanManifest(planDir, expectedHash);
  for (const blob of planBlobs(plan)) {
    const file = planBlobPath(planDir, blob);
    if (!fs.existsSync(file)) throw new PlanError('plan-hash-mismatch', `The plan in ${planDir} lacks the blob ${blob.sha256}.`);
    const actual = await sha256File(file);
    if (actual !== blob.sha256) throw new PlanError('plan-hash-mismatch', `A file of the plan in ${planDir} was changed: blob ${blob.sha256} now hashes to ${actual}.`);
  }
  return plan;
}

/** Throws tool-version-mismatch when this machine's Chromium or ffmpeg major version is not the plan's. */
export function checkPlanTools(plan: RenderPlan, here: PlanTools): void {
  const differences: string[] = [];
  if (here.chromiumMajor !== plan.tools.chromiumMajor) differences.push(`Chromium ${here.chromiumMajor} here, ${plan.tools.chromiumMajor} in the plan (${plan.tools.chromium})`);
  if (here.ffmpegMajor !== plan.tools.ffmpegMajor) differences.push(`ffmpeg ${here.ffmpegMajor} here, ${plan.tools.ffmpegMajor} in the plan (${plan.tools.ffmpeg})`);
  if (differences.length) throw new PlanError('tool-version-mismatch', `This machine cannot render chunks of plan ${plan.planHash.slice(0, 12)}: ${differences.join('; ')}. Every chunk of a video is rendered by the same software.`);
}

/** Lays the plan's project files out under `projectDir` (hard links where possible); returns the entry's path. */
export async function materializePlan(plan: RenderPlan, planDir: string, projectDir: string): Promise<string> {
  for (const file of plan.files) {
    const target = path.resolve(projectDir, file.path);
    if (!isInside(projectDir, target)) throw new PlanError('plan-invalid', `The plan names a file outside its project: ${file.path}.`);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(planBlobPath(planDir, file), target);
  }
  return path.join(projectDir, plan.entry);
}
