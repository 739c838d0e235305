/**
 * Scanning a models folder without reading weight data: every valid checkpoint (a plain folder
 * `models/<id>/`, or each version `models/<id>/versions/<n>/` of a versioned model), the version
 * each versioned model's pointer names, and for everything else why it is not a model. Hidden
 * folders (`.staging`, where versions are written) are never looked at.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError } from '../core/errors.js';
import { inspectCheckpoint, VERSIONS_DIR, type CheckpointManifest } from './checkpoint.js';
import { readCurrentVersion, versionDir, versionsOf, CURRENT_FILE } from './checkpoint-versions.js';

/** The result of scanning a models folder. */
export interface CheckpointListing {
  /** Every valid checkpoint: plain folders and each valid version, sorted by id then version. */
  checkpoints: Array<{ dir: string; manifest: CheckpointManifest }>;
  /** Versioned models: the version the pointer names (when it names a valid one). */
  latest: Record<string, number>;
  /** Why each other candidate is not a model (or a pointer names nothing playable). */
  errors: Array<{ dir: string; error: WavecastError }>;
}

/**
 * Scans `modelsDir`. Never throws for a bad checkpoint: its error is listed instead.
 */
export async function listCheckpoints(modelsDir: string): Promise<CheckpointListing> {
  const listing: CheckpointListing = { checkpoints: [], latest: {}, errors: [] };
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
    const versions = await versionsOf(dir);
    let pointer: number | undefined;
    try {
      pointer = await readCurrentVersion(dir);
    } catch (error) {
      listing.errors.push({ dir: path.join(dir, CURRENT_FILE), error: asModelError(error, dir) });
    }
    if (versions.length === 0 && pointer === undefined) {
      // A model being made, not a bad one: versions/ made and its first version not yet renamed
      // in, or only a trainer's hidden state so far (`.train-state`).
      const held = await readdir(dir).catch(() => [] as string[]);
      if (held.every((name) => name.startsWith('.') || name === VERSIONS_DIR)) continue;
      await listOne(listing, dir);
      continue;
    }
    const valid = new Set<number>();
    for (const version of versions) {
      if (await listOne(listing, versionDir(modelsDir, entry.name, version))) valid.add(version);
    }
    if (pointer !== undefined && valid.has(pointer)) listing.latest[entry.name] = pointer;
    else if (pointer !== undefined && !versions.includes(pointer)) {
      listing.errors.push({
        dir: path.join(dir, CURRENT_FILE),
        error: new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${path.join(dir, CURRENT_FILE)}: names version ${pointer}, which is not in ${path.join(dir, 'versions')}`),
      });
    }
  }
  listing.checkpoints.sort((a, b) => a.manifest.id.localeCompare(b.manifest.id) || (a.manifest.version ?? 0) - (b.manifest.version ?? 0));
  return listing;
}

/** Inspects one checkpoint folder into the listing; true when it is valid. */
async function listOne(listing: CheckpointListing, dir: string): Promise<boolean> {
  try {
    listing.checkpoints.push({ dir, manifest: (await inspectCheckpoint(dir)).manifest });
    return true;
  } catch (error) {
    listing.errors.push({ dir, error: asModelError(error, dir) });
    return false;
  }
}

function asModelError(error: unknown, dir: string): WavecastError {
  return error instanceof WavecastError ? error : new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${dir}: ${String(error)}`, { cause: error });
}
