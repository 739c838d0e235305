/**
 * Checkpoint folders on disk. A checkpoint is `models/<id>/` (a plain folder) or a published
 * version `models/<id>/versions/<n>/` (checkpoint-versions.ts), with
 *
 *   manifest.json  what it is (checkpoint-manifest.ts); written last, so a folder without it is
 *                  not (yet) a checkpoint
 *   weights.json   tfjs WeightsManifestConfig: [{ paths: ['weights.bin'], weights: [{ name, shape, dtype }] }]
 *   weights.bin    float32 little-endian, tensors concatenated in weights.json order
 *   model.onnx     derived from the weights by the onnx engine; never committed
 *
 * This module does not import tfjs, so the onnx engine loads checkpoints without paying for it.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { show } from '../core/show-value.js';
import { shapeSize, type NamedWeights } from '../families/model.js';
import { familyOf } from '../families/registry.js';
import { parseCheckpointManifest, parseWeightsManifest, type CheckpointIdentity, type CheckpointManifest } from './checkpoint-manifest.js';
import { littleEndianToFloat32 } from '../core/float32-bytes.js';

export type { CheckpointManifest, CheckpointManifestInput } from './checkpoint-manifest.js';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_MANIFEST_FILE = 'weights.json';
export const WEIGHTS_FILE = 'weights.bin';
export const ONNX_FILE = 'model.onnx';
/** The folder of a model's published versions, `models/<id>/versions/<n>/`. */
export const VERSIONS_DIR = 'versions';

/**
 * The id (and version) a checkpoint folder's place gives it: `models/x/` is model "x";
 * `models/x/versions/3/` is version 3 of model "x".
 */
export function checkpointIdentity(dir: string): CheckpointIdentity {
  const resolved = path.resolve(dir);
  const name = path.basename(resolved);
  const parent = path.dirname(resolved);
  if (path.basename(parent) === VERSIONS_DIR && /^[1-9][0-9]*$/.test(name)) {
    return { id: path.basename(path.dirname(parent)), version: Number(name) };
  }
  return { id: name };
}

/**
 * A loaded checkpoint: its manifest and every weight, in its family's `weightShapes` order. The
 * weights read from one data file are views on one shared buffer (one copy of the file, not
 * twelve); copy a tensor's data before transferring it to another thread.
 */
export interface Checkpoint {
  manifest: CheckpointManifest;
  weights: NamedWeights;
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
  return parseCheckpointManifest(manifestJson, manifestFile, checkpointIdentity(dir));
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
  const weights: NamedWeights = new Map();
  for (const name of expectedWeightShapes(layout.manifest).keys()) {
    weights.set(name, loaded.get(name)!);
  }
  return { manifest: layout.manifest, weights };
}

/** Weight names → shapes, in file order, that the manifest's family and sizes imply. */
export function expectedWeightShapes(manifest: CheckpointManifest): Map<string, number[]> {
  return familyOf(manifest).weightShapes(manifest);
}

/** The architecture as error messages name it. */
export function architectureLabel(manifest: CheckpointManifest): string {
  return familyOf(manifest).describeArchitecture(manifest);
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

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

export function shapeError(file: string, problem: string): never {
  throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `${file}: ${problem}`);
}
