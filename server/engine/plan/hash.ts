// Content addresses and the plan hash: sha256 of a file (streamed), and of a manifest in canonical JSON
// (keys sorted at every level), so the same plan hashes the same on every machine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { RenderPlan } from './types';

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    hash.update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return hash.digest('hex');
}

export function sha256Bytes(bytes: string | Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** JSON with object keys sorted; undefined fields are dropped, as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(item => canonicalJson(item)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash a plan must carry: over everything but the hash itself. */
export function computePlanHash(plan: Omit<RenderPlan, 'planHash'> & { planHash?: string }): string {
  const { planHash: _ignored, ...rest } = plan;
  return sha256Bytes(canonicalJson(rest));
}
