/**
 * Clips from a waveform checkpoint, for the evaluator: latents uniform in [−1, 1] (as WaveGAN
 * samples z), seeded, run through `createGenerator` (onnx by default) in batches.
 *
 * `resolveCheckpointDir` accepts any folder holding manifest.json, and a versioned model's folder
 * `models/<id>/` (its current version, else its newest).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError } from '../../../server/core/errors.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import type { Hz, Samples } from '../../../server/core/units.js';
import { asWaveformManifest } from '../../../server/families/waveform/waveform-manifest.js';
import { MANIFEST_FILE, readCheckpointManifest, VERSIONS_DIR } from '../../../server/inference/checkpoint.js';
import { readCurrentVersion, versionsOf } from '../../../server/inference/checkpoint-versions.js';
import { createGenerator, type EngineKind } from '../../../server/inference/create-generator.js';

/** The checkpoint folder `dir` names: itself when it holds manifest.json, else its current (or newest) version. */
export async function resolveCheckpointDir(dir: string): Promise<string> {
  if (await exists(path.join(dir, MANIFEST_FILE))) return dir;
  const version = (await readCurrentVersion(dir)) ?? (await versionsOf(dir)).at(-1);
  if (version === undefined) throw new WavecastError('WAVECAST_ERR_MODEL_NOT_FOUND', `${dir}: no ${MANIFEST_FILE} and no ${VERSIONS_DIR}/<n>/: not a checkpoint folder`);
  return path.join(dir, VERSIONS_DIR, String(version));
}

/** A waveform checkpoint's clip format, read from its manifest (no weights loaded). */
export async function waveformClipFormat(dir: string): Promise<{ sampleRate: Hz; clipSamples: Samples; id: string }> {
  const manifest = await readCheckpointManifest(dir);
  if (manifest.family !== 'waveform') {
    throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `${path.join(dir, MANIFEST_FILE)}: field "family" is "${manifest.family}": the waveform evaluation needs a waveform model`, { field: 'family' });
  }
  const { sampleRate, clipSamples, id } = asWaveformManifest(manifest);
  return { sampleRate, clipSamples, id };
}

/**
 * Refuses a model whose clips are not the dataset's (a different length or rate would be measured
 * as a different sound, not a worse one).
 *
 * @throws WavecastError WAVECAST_ERR_MODEL_SHAPE naming both formats
 */
export function checkClipFormat(model: { sampleRate: Hz; clipSamples: Samples; id: string }, dataset: { sampleRate: Hz; clipSamples: Samples; dir: string }): void {
  if (model.sampleRate === dataset.sampleRate && model.clipSamples === dataset.clipSamples) return;
  throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE',
    `model ${model.id} makes clips of ${model.clipSamples} samples at ${model.sampleRate} Hz, but dataset ${dataset.dir} holds clips of ` +
      `${dataset.clipSamples} samples at ${dataset.sampleRate} Hz: evaluate on a dataset made with --clip-samples ${model.clipSamples} --sample-rate ${model.sampleRate}`);
}

export interface GenerateClipsOptions {
  /** Checkpoint folder (resolved with `resolveCheckpointDir` first). */
  dir: string;
  count: number;
  /** @default 1 */
  seed?: number;
  /** Latents per generate() call. @default 50 */
  batch?: number;
  /** @default 'onnx' */
  engine?: EngineKind;
}

/** `count` clips from the checkpoint, the same for the same seed. */
export async function generateClips(options: GenerateClipsOptions): Promise<Float32Array[]> {
  const { dir, count } = options;
  const batch = options.batch ?? 50;
  const random = mulberry32(options.seed ?? 1);
  const generator = createGenerator({ dir, engine: options.engine ?? 'onnx' });
  await generator.initialize();
  try {
    const clips: Float32Array[] = [];
    while (clips.length < count) {
      const size = Math.min(batch, count - clips.length);
      const latents = Array.from({ length: size }, () => Float32Array.from({ length: generator.info.inputSize }, () => 2 * random() - 1));
      clips.push(...(await generator.generate(latents)));
    }
    return clips;
  } finally {
    await generator.dispose();
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
