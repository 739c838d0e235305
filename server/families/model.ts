/**
 * What every model shares, whatever its family: the common manifest fields, the weights as
 * stored (named float32 tensors), and `ModelInfo`, which a loaded model tells the stream engine.
 * The family-specific fields live in each family's own manifest schema.
 */
import { z } from 'zod';
import { WavecastError } from '../core/errors.js';

/** manifest.json fields every checkpoint has; a family's schema adds `family` and its own. */
export const COMMON_MANIFEST_FIELDS = {
  /** Equals the folder name under models/. */
  id: z.string().min(1),
  /** What it sounds like, for stream titles; 'untrained' for random weights. */
  instrument: z.string().min(1),
  /** Length of z (the papers use 100). */
  latentDim: z.number().int().positive(),
  trained: z.boolean(),
  trainingSteps: z.number().int().nonnegative(),
  /** ISO 8601 date-time the checkpoint was written. */
  created: z.iso.datetime({ offset: true }),
  /** A published version of the model (`models/<id>/versions/<n>/`); absent for a plain checkpoint folder. */
  version: z.number().int().positive().optional(),
};

/** A validated manifest as code outside its family sees it: the common fields and the family name. */
export interface ModelManifest {
  readonly id: string;
  /** The family's name (families/registry.ts). */
  readonly family: string;
  readonly instrument: string;
  readonly latentDim: number;
  readonly trained: boolean;
  readonly trainingSteps: number;
  readonly created: string;
  /** The version of the model (`models/<id>/versions/<n>/`); absent for a plain checkpoint folder. */
  readonly version?: number;
}

/** What names one loadable model: its id, and its version for a versioned model. */
export type ModelRef = Pick<ModelManifest, 'id' | 'version'>;

/** `drums` for a plain checkpoint, `drums@3` for its version 3: one key per loadable model. */
export function modelKey(model: ModelRef): string {
  return model.version === undefined ? model.id : `${model.id}@${model.version}`;
}

/** How messages and titles name a model: `drums`, `drums v3`. */
export function modelLabel(model: ModelRef): string {
  return model.version === undefined ? model.id : `${model.id} v${model.version}`;
}

/** A manifest as a trainer or a test writes it: the common fields, the family, and its own fields. */
export type ModelManifestInput = z.input<z.ZodObject<typeof COMMON_MANIFEST_FIELDS>> & { family: string; [field: string]: unknown };

/** One weight tensor as stored on disk: row-major float32 data and its shape. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** A model's weights by name, in the order of its family's `weightShapes`. */
export type NamedWeights = Map<string, NamedTensor>;

/** What a loaded model tells the stream engine (and, through the worker, crosses threads as is). */
export interface ModelInfo {
  /** Checkpoint id (the folder name under models/). */
  readonly id: string;
  readonly family: string;
  /** Human name of what it sounds like, shown in stream titles ("drums", "piano", …). */
  readonly instrument: string;
  /** Length of each latent vector z. */
  readonly latentDim: number;
  /** False for a checkpoint that never saw training data (random weights). */
  readonly trained: boolean;
  /** Values in each input vector: z, plus whatever condition the family adds. */
  readonly inputSize: number;
  /** Values in each output: a clip's samples, a phrase's cells. */
  readonly outputSize: number;
  /** The validated manifest; the family reads its own fields from it. */
  readonly manifest: ModelManifest;
}

/** Number of elements of a tensor with this shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * `manifest` as family `family`'s own manifest type `M` (its schema validated it on load).
 * @throws WavecastError WAVECAST_ERR_ENGINE for another family's manifest
 */
export function narrowManifest<M extends ModelManifest>(manifest: ModelManifest, family: string): M {
  if (manifest.family !== family) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `model "${manifest.id}" is a ${manifest.family} model, not a ${family} one`);
  }
  return manifest as M;
}
