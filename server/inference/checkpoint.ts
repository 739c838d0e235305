/**
 * Checkpoint folders on disk. A checkpoint is `models/<id>/` with
 *
 *   manifest.json  what it is (checkpoint-manifest.ts); written last, so a folder without it is
 *                  not (yet) a checkpoint
 *   weights.json   tfjs WeightsManifestConfig: [{ paths: ['weights.bin'], weights: [{ name, shape, dtype }] }]
 *   weights.bin    float32 little-endian, tensors concatenated in weights.json order
 *   model.onnx     derived from the weights by the onnx engine; never committed
 *
 * This module does not import tfjs, so the onnx engine loads checkpoints without paying for it.
 */
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { writeTemporary } from './atomic-write.js';
import { symbolicGeneratorShapes } from '../families/symbolic/symbolic-architecture.js';
import {
  parseCheckpointManifest,
  parseWeightsManifest,
  show,
  symbolicDims,
  type CheckpointManifest,
  type CheckpointManifestInput,
} from './checkpoint-manifest.js';
import { float32ToLittleEndian, littleEndianToFloat32 } from './float32-bytes.js';
import { shapeSize, waveGanWeightShapes, type WaveGanWeights } from '../families/waveform/wavegan-architecture.js';

export type { CheckpointManifest, CheckpointManifestInput } from './checkpoint-manifest.js';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_MANIFEST_FILE = 'weights.json';
export const WEIGHTS_FILE = 'weights.bin';
export const ONNX_FILE = 'model.onnx';

/**
 * A loaded checkpoint: its manifest and every weight, in `waveGanWeightShapes` order. The
 * weights read from one data file are views on one shared buffer (one copy of the file, not
 * twelve); copy a tensor's data before transferring it to another thread.
 */
export interface Checkpoint {
  manifest: CheckpointManifest;
  weights: WaveGanWeights;
}

/** What `inspectCheckpoint` learns without reading the weight data. */
export interface CheckpointLayout {
  dir: string;
  manifest: CheckpointManifest;
  /** Latest modification time (ms since epoch) of weights.json and its data files. */
  weightsModifiedMs: number;
  groups: WeightGroup[];
}

interface WeightGroup {
  /** Data files, concatenated in this order. */
  files: string[];
  bytes: number;
  tensors: Array<{ name: string; shape: number[]; byteOffset: number }>;
}

/** The result of scanning a models folder: valid checkpoints, and why the others are not. */
export interface CheckpointListing {
  checkpoints: Array<{ dir: string; manifest: CheckpointManifest }>;
  errors: Array<{ dir: string; error: WavecastError }>;
}

/**
 * Validates a checkpoint folder without reading its weight data: the manifest's fields, that its
 * id equals the folder name, that weights.json lists exactly the tensors the manifest's d and
 * latentDim imply with the right shapes, and that the data files have exactly the bytes those
 * tensors need.
 *
 * @throws WavecastError WAVECAST_ERR_MODEL_NOT_FOUND (no manifest.json),
 *   WAVECAST_ERR_MODEL_MANIFEST (a bad field; the message names the file and field),
 *   WAVECAST_ERR_MODEL_SHAPE (a missing, extra or misshapen tensor, or a data file of the wrong
 *   length; the message names the file and tensor).
 */
export async function inspectCheckpoint(dir: string): Promise<CheckpointLayout> {
  const manifest = await readCheckpointManifest(dir);
  const weightsFile = path.join(dir, WEIGHTS_MANIFEST_FILE);
  const weightsManifest = parseWeightsManifest(
    await readJson(weightsFile, 'WAVECAST_ERR_MODEL_MANIFEST'),
    weightsFile,
  );
  const expected = expectedWeightShapes(manifest);
  const architecture = architectureLabel(manifest);
  const seen = new Set<string>();
  let weightsModifiedMs = (await stat(weightsFile)).mtimeMs;
  const groups: WeightGroup[] = [];
  for (const [index, group] of weightsManifest.entries()) {
    let byteOffset = 0;
    const tensors = group.weights.map(({ name, shape }) => {
      const want = expected.get(name);
      const problem =
        want === undefined ? `is not a weight of this model (${architecture})`
        : seen.has(name) ? 'is listed twice'
        : !sameShape(shape, want) ? `has shape ${show(shape)}, expected ${show(want)} for ${architecture}`
        : undefined;
      if (problem) shapeError(weightsFile, `tensor "${name}" ${problem}`);
      seen.add(name);
      const entry = { name, shape, byteOffset };
      byteOffset += shapeSize(shape) * 4;
      return entry;
    });
    const files = group.paths.map((name, i) => {
      // Data files live beside weights.json: a path that leaves the folder is refused.
      if (path.basename(name) !== name || name === '..' || name === '.') {
        throw new WavecastError(
          'WAVECAST_ERR_MODEL_MANIFEST',
          `${weightsFile}: field "[${index}].paths[${i}]" must be a file name in the checkpoint folder, got ${show(name)}`,
        );
      }
      return path.join(dir, name);
    });
    let bytes = 0;
    for (const file of files) {
      const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
        throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `${file}: cannot read (${error.code ?? error.message})`);
      });
      bytes += info.size;
      weightsModifiedMs = Math.max(weightsModifiedMs, info.mtimeMs);
    }
    checkByteLength(files.join(' + '), bytes, byteOffset, tensors);
    groups.push({ files, bytes, tensors });
  }
  for (const [name, shape] of expected) {
    if (!seen.has(name)) {
      shapeError(weightsFile, `tensor "${name}" is missing (expected shape ${show(shape)} for ${architecture})`);
    }
  }
  return { dir, manifest, weightsModifiedMs, groups };
}

/**
 * Reads and validates only a checkpoint's manifest.json (no weights), e.g. to learn its family.
 *
 * @throws WavecastError WAVECAST_ERR_MODEL_NOT_FOUND (no manifest.json), WAVECAST_ERR_MODEL_MANIFEST
 */
export async function readCheckpointManifest(dir: string): Promise<CheckpointManifest> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifestJson = await readJson(manifestFile, 'WAVECAST_ERR_MODEL_NOT_FOUND');
  return parseCheckpointManifest(manifestJson, manifestFile, path.basename(path.resolve(dir)));
}

/**
 * Loads and validates a checkpoint folder (see `inspectCheckpoint` for the checks and errors).
 *
 * @example
 * const { manifest, weights } = await loadCheckpoint('models/wavegan-untrained');
 * weights.get('dense/kernel'); // { shape: [100, 8192], data: Float32Array }
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  return readCheckpointWeights(await inspectCheckpoint(dir));
}

/** Reads the weights of a checkpoint already validated by `inspectCheckpoint`. */
export async function readCheckpointWeights(layout: CheckpointLayout): Promise<Checkpoint> {
  const loaded = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const group of layout.groups) {
    const parts = await Promise.all(group.files.map((file) => readFile(file)));
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    // The files may have changed since they were inspected; never read past what is there.
    checkByteLength(group.files.join(' + '), bytes.byteLength, group.bytes, group.tensors);
    const floats = littleEndianToFloat32(bytes);
    for (const { name, shape, byteOffset } of group.tensors) {
      const start = byteOffset / 4;
      loaded.set(name, { shape, data: floats.subarray(start, start + shapeSize(shape)) });
    }
  }
  // Hand the weights out in the architecture's order, whatever order the files used.
  const weights: WaveGanWeights = new Map();
  for (const name of expectedWeightShapes(layout.manifest).keys()) {
    weights.set(name, loaded.get(name)!);
  }
  return { manifest: layout.manifest, weights };
}

/**
 * Writes a checkpoint folder: weights.bin, weights.json, then manifest.json, each through a
 * temporary file renamed into place after all three are written, so a reader never picks up a
 * half-written checkpoint. A model.onnx left from older weights is removed (it is re-derived).
 *
 * @param dir the checkpoint folder; its name must equal `manifest.id`. Created if missing.
 * @returns the validated manifest as written (with `d` filled in).
 */
export async function saveCheckpoint(
  dir: string,
  manifestInput: CheckpointManifestInput,
  weights: WaveGanWeights,
): Promise<CheckpointManifest> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifest = parseCheckpointManifest(manifestInput, manifestFile, path.basename(path.resolve(dir)));
  const expected = expectedWeightShapes(manifest);
  for (const name of weights.keys()) {
    if (!expected.has(name)) shapeError(dir, `tensor "${name}" is not a weight of this model (${architectureLabel(manifest)})`);
  }
  const entries = [...expected].map(([name, shape]) => {
    const tensor = weights.get(name);
    if (!tensor) shapeError(dir, `tensor "${name}" is missing`);
    if (!sameShape(tensor.shape, shape) || tensor.data.length !== shapeSize(shape)) {
      shapeError(dir, `tensor "${name}" has shape ${show(tensor.shape)} and ${tensor.data.length} values, expected ${show(shape)}`);
    }
    return { name, shape, data: tensor.data };
  });
  const bin = new Uint8Array(entries.reduce((sum, entry) => sum + entry.data.byteLength, 0));
  let offset = 0;
  for (const entry of entries) {
    bin.set(float32ToLittleEndian(entry.data), offset);
    offset += entry.data.byteLength;
  }
  const weightsJson = [
    { paths: [WEIGHTS_FILE], weights: entries.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })) },
  ];

  await mkdir(dir, { recursive: true });
  const writes: Array<[temporary: string, file: string]> = [];
  try {
    for (const [file, content] of [
      [WEIGHTS_FILE, bin],
      [WEIGHTS_MANIFEST_FILE, `${JSON.stringify(weightsJson, null, 2)}\n`],
      [MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`],
    ] as const) {
      const target = path.join(dir, file);
      writes.push([await writeTemporary(target, content), target]);
    }
  } catch (error) {
    await Promise.all(writes.map(([temporary]) => rm(temporary, { force: true })));
    throw error;
  }
  await rm(path.join(dir, ONNX_FILE), { force: true });
  for (const [temporary, target] of writes) await rename(temporary, target);
  return manifest;
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

/** Weight names → shapes, in file order, that the manifest's family and sizes imply. */
export function expectedWeightShapes(manifest: CheckpointManifest): Map<string, number[]> {
  return manifest.family === 'waveform'
    ? waveGanWeightShapes(manifest.d, manifest.latentDim)
    : symbolicGeneratorShapes(symbolicDims(manifest));
}

/** The architecture as error messages name it. */
function architectureLabel(manifest: CheckpointManifest): string {
  if (manifest.family === 'waveform') return `WaveGAN d=${manifest.d}, latentDim=${manifest.latentDim}`;
  const { phraseHidden, barLatent, barHidden, stepHidden } = manifest.layers;
  return `symbolic latentDim=${manifest.latentDim}, styles=${manifest.styles.length}, layers ${phraseHidden}/${barLatent}/${barHidden}/${stepHidden}`;
}

async function readJson(file: string, codeIfMissing: WavecastErrorCode): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    const message = reason === 'ENOENT' ? `${file}: missing` : `${file}: cannot read (${reason})`;
    throw new WavecastError(reason === 'ENOENT' ? codeIfMissing : 'WAVECAST_ERR_MODEL_MANIFEST', message);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Data files must hold exactly the tensors' bytes; a short file names the first tensor cut off. */
function checkByteLength(
  label: string,
  bytes: number,
  needed: number,
  tensors: WeightGroup['tensors'],
): void {
  if (bytes < needed) {
    const cut = tensors.find((t) => t.byteOffset + shapeSize(t.shape) * 4 > bytes)!;
    const end = cut.byteOffset + shapeSize(cut.shape) * 4;
    shapeError(label, `${bytes} bytes, too short for tensor "${cut.name}" (bytes ${cut.byteOffset}..${end}); truncated?`);
  }
  if (bytes > needed) shapeError(label, `${bytes} bytes, but weights.json describes ${needed}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

function shapeError(file: string, problem: string): never {
  throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `${file}: ${problem}`);
}
