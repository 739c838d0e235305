/**
 * Scanning a models folder for checkpoints, without reading weight data: the valid ones, and
 * for each other folder why it is not one.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError } from '../core/errors.js';
import { inspectCheckpoint, type CheckpointManifest } from './checkpoint.js';

/** The result of scanning a models folder: valid checkpoints, and why the others are not. */
export interface CheckpointListing {
  checkpoints: Array<{ dir: string; manifest: CheckpointManifest }>;
  errors: Array<{ dir: string; error: WavecastError }>;
}

/**
 * Scans `modelsDir` for checkpoint folders (hidden folders skipped) without reading weight data.
 * Never throws for a bad checkpoint: its error is listed instead. Checkpoints are sorted by id.
 */
export async function listCheckpoints(modelsDir: string): Promise<CheckpointListing> {
  const listing: CheckpointListing = { checkpoints: [], errors: [] };
  let entries;
  try {
    entries = await readdir(modelsDir, { withFileTypes: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    listing.errors.push({
      dir: modelsDir,
      error: new WavecastError('WAVECAST_ERR_MODEL_NOT_FOUND', `${modelsDir}: cannot list (${reason})`),
    });
    return listing;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(modelsDir, entry.name);
    try {
      listing.checkpoints.push({ dir, manifest: (await inspectCheckpoint(dir)).manifest });
    } catch (error) {
      const wrapped =
        error instanceof WavecastError
          ? error
          : new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${dir}: ${String(error)}`, { cause: error });
      listing.errors.push({ dir, error: wrapped });
    }
  }
  listing.checkpoints.sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
  return listing;
}

