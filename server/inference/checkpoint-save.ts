/**
 * Writing a checkpoint folder (trainers and the tools that make checkpoints; the server only
 * reads them). See checkpoint.ts for the folder's layout.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { show } from '../core/show-value.js';
import type { NamedWeights } from '../families/model.js';
import { writeTemporary, type FileWriter } from './atomic-write.js';
import { parseCheckpointManifest, type CheckpointManifest, type CheckpointManifestInput } from './checkpoint-manifest.js';
import {
  architectureLabel,
  checkpointIdentity,
  expectedWeightShapes,
  MANIFEST_FILE,
  ONNX_FILE,
  sameShape,
  shapeError,
  WEIGHTS_FILE,
  WEIGHTS_MANIFEST_FILE,
} from './checkpoint.js';
import { float32ToLittleEndian } from '../core/float32-bytes.js';
import { shapeSize } from '../families/model.js';

/**
 * Writes a checkpoint folder: weights.bin, weights.json, then manifest.json, each through a
 * temporary file renamed into place after all three are written, so a reader never picks up a
 * half-written checkpoint. A model.onnx left from older weights is removed (it is re-derived).
 *
 * @param dir the checkpoint folder; its name must equal `manifest.id` (or it is
 *   `<id>/versions/<version>`, see checkpointIdentity). Created if missing.
 * @param write how the files' bytes are written (atomic-write.ts's writeAndSync unless a test fills the disk)
 * @returns the validated manifest as written (with `d` filled in).
 */
export async function saveCheckpoint(
  dir: string,
  manifestInput: CheckpointManifestInput,
  weights: NamedWeights,
  write?: FileWriter,
): Promise<CheckpointManifest> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifest = parseCheckpointManifest(manifestInput, manifestFile, checkpointIdentity(dir));
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
      writes.push([await writeTemporary(target, content, write), target]);
    }
  } catch (error) {
    await Promise.all(writes.map(([temporary]) => rm(temporary, { force: true })));
    throw error;
  }
  await rm(path.join(dir, ONNX_FILE), { force: true });
  for (const [temporary, target] of writes) await rename(temporary, target);
  return manifest;
}

