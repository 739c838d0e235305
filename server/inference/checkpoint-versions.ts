/**
 * Versioned models: a model id names a lineage, and each save a trainer publishes is a version.
 *
 *   models/<id>/current.json       {"version": 3}: the version stations play; swapped by rename
 *   models/<id>/versions/1/ … 3/   checkpoint folders (checkpoint.ts), manifest "version" = n
 *   models/.staging/<random>/…     a version being written and checked; hidden, never listed
 *
 * A version is written under models/.staging, checked (layout, shapes, one forward pass finite
 * and not silent, the ONNX export where the family has one, written into the version), renamed
 * into versions/<n>, and only then named by the pointer. A reader therefore sees a version whole
 * or not at all, and the pointer names only a checked version. A publish that fails anywhere (a
 * full disk included) takes back what it did: the staged files, a version renamed in whose pointer
 * could not be written, a model folder it made. Old versions beyond `keep` are removed, never the
 * one the pointer names.
 */
import { mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_KEEP_VERSIONS } from '../config/config-schema.js';
import { WavecastError } from '../core/errors.js';
import { show } from '../core/show-value.js';
import type { NamedWeights } from '../families/model.js';
import { familyOf } from '../families/registry.js';
import { writeAndSync, writeFileAtomic, type FileWriter } from './atomic-write.js';
import { MANIFEST_FILE, ONNX_FILE, VERSIONS_DIR } from './checkpoint.js';
import type { CheckpointManifest, CheckpointManifestInput } from './checkpoint-manifest.js';
import { saveCheckpoint } from './checkpoint-save.js';
import { checkGeneratorOutput } from './generator-check.js';

/** The pointer file naming a model's current version. */
export const CURRENT_FILE = 'current.json';
/** Where versions are written before they are published (hidden: listings skip dot-folders). */
export const STAGING_DIR = '.staging';

export interface PublishOptions {
  /** The models folder (`models/`). */
  modelsDir: string;
  /** The version's manifest; `id` names the model, `version` is assigned here. */
  manifest: CheckpointManifestInput;
  weights: NamedWeights;
  /** Versions kept, the newest (the current one always). @default DEFAULT_KEEP_VERSIONS (server.keepVersions) */
  keep?: number;
  /** Files written beside the checkpoint in the version folder (report.html, report.json). */
  extraFiles?: Record<string, string | Uint8Array>;
  /** Run one forward pass before publishing (and write the ONNX export). @default true */
  check?: boolean;
  /** How file bytes are written. @default writeAndSync (node:fs); tests fill the disk with it */
  writeFile?: FileWriter;
}

export interface PublishedVersion {
  id: string;
  version: number;
  /** The version's checkpoint folder. */
  dir: string;
  manifest: CheckpointManifest;
  /** Versions removed to keep `keep`. */
  removed: number[];
}

/** The folder of version `version` of model `id`. */
export function versionDir(modelsDir: string, id: string, version: number): string {
  return path.join(modelsDir, id, VERSIONS_DIR, String(version));
}

/**
 * Publishes `weights` as the next version of model `manifest.id` and makes it current.
 *
 * @throws WavecastError WAVECAST_ERR_MODEL_SHAPE / _MANIFEST for weights or a manifest that do not
 *   fit, WAVECAST_ERR_ENGINE for a forward pass that fails or gives non-finite or silent output,
 *   WAVECAST_ERR_MODEL_VERSION when the folder holds a plain (unversioned) checkpoint or another
 *   publisher took the version number first; a file system error (ENOSPC…) with its code and a
 *   message naming the file. Nothing is published then, and nothing is left behind (the
 *   staging folder is removed), whatever failed, a full disk included.
 */
export async function publishVersion(options: PublishOptions): Promise<PublishedVersion> {
  const { modelsDir, weights, keep = DEFAULT_KEEP_VERSIONS, extraFiles = {}, check = true, writeFile = writeAndSync } = options;
  const id = options.manifest.id;
  const modelDir = path.join(modelsDir, id);
  if (await exists(path.join(modelDir, MANIFEST_FILE))) {
    throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${modelDir} holds a plain checkpoint (manifest.json), not versions; publish under another id`);
  }
  const version = Math.max(0, ...(await versionsOf(modelDir)), (await readCurrentVersion(modelDir)) ?? 0) + 1;
  const staging = path.join(modelsDir, STAGING_DIR, randomBytes(6).toString('hex'));
  // The staged folder sits at …/<id>/versions/<n> so its manifest passes the same place check.
  const staged = path.join(staging, id, VERSIONS_DIR, String(version));
  const target = versionDir(modelsDir, id, version);
  const newModel = !(await exists(modelDir, 'folder'));
  let published = false;
  try {
    const manifest = await saveCheckpoint(staged, { ...options.manifest, version }, weights, writeFile);
    for (const [name, content] of Object.entries(extraFiles)) {
      if (path.basename(name) !== name) throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `extra file ${show(name)} must be a file name`);
      await writeFileAtomic(path.join(staged, name), content, writeFile);
    }
    if (check) {
      // Exported here rather than by the check's first load, so a full disk fails the publish instead of leaving the export out.
      const onnx = familyOf(manifest).onnx;
      if (onnx) await writeFileAtomic(path.join(staged, ONNX_FILE), onnx.export(manifest, weights), writeFile);
      await checkGeneratorOutput(staged);
    }
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(staged, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${target} exists: another run publishes model "${id}" at the same time`);
      }
      throw error;
    }
    try {
      await writeCurrentVersion(modelDir, version, writeFile);
    } catch (error) {
      // Not current, so not published: take the version back out, as a prune does.
      await removeVersionDir(modelDir, version);
      throw error;
    }
    published = true;
    const removed = await pruneVersions(modelDir, keep, version);
    return { id, version, dir: target, manifest, removed };
  } finally {
    await rm(staging, { recursive: true, force: true });
    if (!published && newModel) {
      // The folders this publish made for a model that had none; left alone if anything else is in them.
      await rmdir(path.join(modelDir, VERSIONS_DIR)).catch(() => undefined);
      await rmdir(modelDir).catch(() => undefined);
    }
  }
}

/**
 * Makes `version` of the model in `modelDir` current again (roll back, or forward), after
 * checking that it is there and whole.
 * @throws WavecastError WAVECAST_ERR_MODEL_VERSION naming the versions kept
 */
export async function setCurrentVersion(modelDir: string, version: number): Promise<void> {
  const kept = await versionsOf(modelDir);
  if (!kept.includes(version)) {
    throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `model "${path.basename(modelDir)}" has no version ${version} (kept: ${kept.join(', ') || 'none'})`, { field: 'version' });
  }
  await writeCurrentVersion(modelDir, version);
}

/** The version numbers under `modelDir`/versions, ascending (none for a plain checkpoint folder). */
export async function versionsOf(modelDir: string): Promise<number[]> {
  const names = await readdir(path.join(modelDir, VERSIONS_DIR)).catch(() => [] as string[]);
  return names.filter((name) => /^[1-9][0-9]*$/.test(name)).map(Number).sort((a, b) => a - b);
}

/**
 * The version `modelDir`'s pointer names; undefined when there is no pointer.
 * @throws WavecastError WAVECAST_ERR_MODEL_VERSION for a pointer that is not `{"version": n}`
 */
export async function readCurrentVersion(modelDir: string): Promise<number | undefined> {
  const file = path.join(modelDir, CURRENT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let version: unknown;
  try {
    version = (JSON.parse(text) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${file}: must be {"version": <positive integer>}, got ${show(text.slice(0, 80))}`);
  }
  return version;
}

async function writeCurrentVersion(modelDir: string, version: number, write?: FileWriter): Promise<void> {
  await writeFileAtomic(path.join(modelDir, CURRENT_FILE), `${JSON.stringify({ version })}\n`, write);
}

/** Removes all but the newest `keep` versions, never `current`. */
async function pruneVersions(modelDir: string, keep: number, current: number): Promise<number[]> {
  const versions = await versionsOf(modelDir);
  const removed = versions.slice(0, Math.max(0, versions.length - keep)).filter((v) => v !== current);
  for (const version of removed) await removeVersionDir(modelDir, version);
  return removed;
}

/** Removes a version folder, renamed away first so a reader never lists a half-removed version. */
async function removeVersionDir(modelDir: string, version: number): Promise<void> {
  const doomed = path.join(modelDir, VERSIONS_DIR, `.removing-${version}-${randomBytes(4).toString('hex')}`);
  await rename(path.join(modelDir, VERSIONS_DIR, String(version)), doomed);
  await rm(doomed, { recursive: true, force: true });
}

async function exists(file: string, kind: 'file' | 'folder' = 'file'): Promise<boolean> {
  const read = kind === 'file' ? readFile(file) : readdir(file);
  return read.then(
    () => true,
    () => false,
  );
}
