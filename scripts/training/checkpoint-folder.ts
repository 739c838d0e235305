/**
 * Where a training run publishes: by default a new folder under models/ named for the moment it
 * started, so a run never replaces a model by accident (the shipped one included); a folder that
 * already holds a checkpoint is refused unless the caller means to replace it.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** `models/<prefix>-20261130-121500` for a run started at that UTC time. */
export function newCheckpointFolder(modelsDir: string, prefix: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join(modelsDir, `${prefix}-${stamp}`);
}

/** The reason `dir` may not be written, or undefined: it holds a checkpoint and `overwrite` is off. */
export async function checkpointFolderProblem(dir: string, overwrite: boolean): Promise<string | undefined> {
  const held = await readdir(dir).catch(() => [] as string[]);
  if (held.includes('manifest.json') && !overwrite) return `${dir} holds a checkpoint already; choose another --out, or add --overwrite to replace it`;
  return undefined;
}
