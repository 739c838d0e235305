/**
 * The checkpoint manifest (`models/<id>/manifest.json`) and the tfjs weights manifest
 * (`weights.json`): zod schemas, and errors that name the file and the field, e.g.
 * `models/x/manifest.json: field "family" must be "waveform", got "banana"`.
 */
import { z } from 'zod';
import { WavecastError, type WavecastErrorCode } from '../errors.js';
import type { GeneratorInfo } from './generator.js';
import { CLIP_SAMPLES, DEFAULT_MODEL_DIM, SAMPLE_RATE } from './wavegan-architecture.js';

/** Model families with an engine. 'symbolic' joins this list when its engine exists. */
export const CHECKPOINT_FAMILIES = ['waveform'] as const;

export const checkpointManifestSchema = z.object({
  /** Equals the folder name under models/. */
  id: z.string().min(1),
  family: z.enum(CHECKPOINT_FAMILIES),
  /** What it sounds like, for stream titles; 'untrained' for random weights. */
  instrument: z.string().min(1),
  sampleRate: z.literal(SAMPLE_RATE),
  clipSamples: z.literal(CLIP_SAMPLES),
  /** Length of z (the paper uses 100). */
  latentDim: z.number().int().positive(),
  /** Model width multiplier. */
  d: z.number().int().positive().default(DEFAULT_MODEL_DIM),
  trained: z.boolean(),
  trainingSteps: z.number().int().nonnegative(),
  /** ISO 8601 date-time the checkpoint was written. */
  created: z.iso.datetime({ offset: true }),
  /** How the weights were initialised (provenance; required reading for an untrained model). */
  init: z.strictObject({ scheme: z.literal('glorot-uniform'), gain: z.number().positive(), seed: z.number().int() }).optional(),
});

/** A validated manifest (`d` filled in). */
export type CheckpointManifest = z.output<typeof checkpointManifestSchema>;
/** A manifest as written by hand or by a trainer (`d` may be left out). */
export type CheckpointManifestInput = z.input<typeof checkpointManifestSchema>;

/** tfjs' WeightsManifestConfig, limited to what wavecast writes: float32, no quantization. */
export const weightsManifestSchema = z
  .array(
    z.object({
      paths: z.array(z.string().min(1)).min(1),
      weights: z.array(
        z.object({
          name: z.string().min(1),
          shape: z.array(z.number().int().nonnegative()),
          dtype: z.literal('float32'),
          quantization: z.undefined().optional(),
        }),
      ),
    }),
  )
  .min(1);

export type WeightsManifest = z.output<typeof weightsManifestSchema>;

/**
 * Validates a parsed manifest.json. `file` is the path shown in errors; `folderName` the
 * name the id must equal (skipped when undefined, e.g. before the folder exists).
 */
export function parseCheckpointManifest(
  json: unknown,
  file: string,
  folderName?: string,
): CheckpointManifest {
  const manifest = parseWith(checkpointManifestSchema, json, file, 'WAVECAST_ERR_MODEL_MANIFEST');
  if (folderName !== undefined && manifest.id !== folderName) {
    throw new WavecastError(
      'WAVECAST_ERR_MODEL_MANIFEST',
      `${file}: field "id" must equal the folder name ${show(folderName)}, got ${show(manifest.id)}`,
    );
  }
  return manifest;
}

/** Validates a parsed weights.json. */
export function parseWeightsManifest(json: unknown, file: string): WeightsManifest {
  return parseWith(weightsManifestSchema, json, file, 'WAVECAST_ERR_MODEL_MANIFEST');
}

/** What a Generator built from this checkpoint tells the stream engine. */
export function generatorInfo(manifest: CheckpointManifest): GeneratorInfo {
  return {
    id: manifest.id,
    family: manifest.family,
    instrument: manifest.instrument,
    sampleRate: manifest.sampleRate,
    clipSamples: manifest.clipSamples,
    latentDim: manifest.latentDim,
    trained: manifest.trained,
  };
}

function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  json: unknown,
  file: string,
  code: WavecastErrorCode,
): z.output<Schema> {
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue).join('; ');
  throw new WavecastError(code, `${file}: ${problems}`);
}

/** One zod issue as `field "a.b" must be …, got …`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'the file' : `field "${formatPath(issue.path)}"`;
  const got = `got ${show(issue.input)}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
    return issue.path.length === 0 ? 'the file is empty' : `${field} is missing`;
  }
  switch (issue.code) {
    case 'invalid_value':
      return `${field} must be ${issue.values.map(show).join(' or ')}, ${got}`;
    case 'invalid_type':
      return `${field} must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, ${got}`;
    case 'invalid_format':
      return `${field} must be ${issue.format === 'datetime' ? 'an ISO 8601 date-time' : issue.format}, ${got}`;
    case 'too_small':
      if (issue.origin === 'number') {
        return `${field} must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}, ${got}`;
      }
      return `${field} is too short (${issue.message})`;
    default:
      return `${field}: ${issue.message}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'a JSON object',
  array: 'a JSON array',
  undefined: 'absent (quantized weights are not supported)',
};

/** A zod path as JS would write it: `[0].weights[3].dtype`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** A value as it reads in an error message (JSON, cut short). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
