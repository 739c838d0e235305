/**
 * Where a training run publishes: by default a new model under models/ named for the moment it
 * started. Runs publish versions (server/inference/checkpoint-versions.ts), so naming an existing
 * model adds versions and keeps the older ones; a plain checkpoint folder (the shipped models) is
 * never written into.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** `models/<prefix>-20261130-121500` for a run started at that UTC time. */
export function newCheckpointFolder(modelsDir: string, prefix: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join(modelsDir, `${prefix}-${stamp}`);
}

/** The reason a run may not publish into `dir`, or undefined: it holds a plain (unversioned) checkpoint. */
export async function plainCheckpointProblem(dir: string): Promise<string | undefined> {
  const held = await readdir(dir).catch(() => [] as string[]);
  if (held.includes('manifest.json')) return `${dir} holds a plain checkpoint (not versions); choose another --out, a new or a versioned model`;
  return undefined;
}
