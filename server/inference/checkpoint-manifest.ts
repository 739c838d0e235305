/**
 * The checkpoint manifest (`models/<id>/manifest.json`) and the tfjs weights manifest
 * (`weights.json`): zod schemas, and errors that name the file and the field, e.g.
 * `models/x/manifest.json: field "family" must be "waveform", got "banana"`.
 */
import { z } from 'zod';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { DEFAULT_SYMBOLIC_DIMS, type SymbolicDims } from '../families/symbolic/symbolic-architecture.js';
import { ROWS, STEPS_PER_PHRASE, STYLES } from '../families/symbolic/piano-roll.js';
import type { GeneratorInfo } from './generator.js';
import { CLIP_SAMPLES, DEFAULT_MODEL_DIM, SAMPLE_RATE } from '../families/waveform/wavegan-architecture.js';

/** Model families with an engine. */
export const CHECKPOINT_FAMILIES = ['waveform', 'symbolic'] as const;

const commonFields = {
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
};

const waveformManifestSchema = z.object({
  ...commonFields,
  family: z.literal('waveform'),
  sampleRate: z.literal(SAMPLE_RATE),
  clipSamples: z.literal(CLIP_SAMPLES),
  /** Model width multiplier. */
  d: z.number().int().positive().default(DEFAULT_MODEL_DIM),
  /** How the weights were initialised (provenance; required reading for an untrained model). */
  init: z.strictObject({ scheme: z.literal('glorot-uniform'), gain: z.number().positive(), seed: z.number().int() }).optional(),
});

const layerWidth = z.number().int().positive();

const symbolicManifestSchema = z.object({
  ...commonFields,
  family: z.literal('symbolic'),
  /** The representation (piano-roll.ts); a different grid is a different model. */
  steps: z.literal(STEPS_PER_PHRASE),
  rows: z.literal(ROWS),
  /** Styles the model is conditioned on, in one-hot order. */
  styles: z.array(z.enum(STYLES)).min(1),
  /** Generator layer widths (symbolic-architecture.ts). */
  layers: z
    .strictObject({ phraseHidden: layerWidth, barLatent: layerWidth, barHidden: layerWidth, stepHidden: layerWidth })
    .default({
      phraseHidden: DEFAULT_SYMBOLIC_DIMS.phraseHidden,
      barLatent: DEFAULT_SYMBOLIC_DIMS.barLatent,
      barHidden: DEFAULT_SYMBOLIC_DIMS.barHidden,
      stepHidden: DEFAULT_SYMBOLIC_DIMS.stepHidden,
    }),
  /** Training provenance (corpus, steps, time, machine), free-form. */
  training: z.record(z.string(), z.unknown()).optional(),
});

export const checkpointManifestSchema = z.discriminatedUnion('family', [waveformManifestSchema, symbolicManifestSchema]);

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

export type WaveformManifest = Extract<CheckpointManifest, { family: 'waveform' }>;
export type WaveformManifestInput = Extract<CheckpointManifestInput, { family: 'waveform' }>;
export type SymbolicManifest = Extract<CheckpointManifest, { family: 'symbolic' }>;

/** The layer sizes a symbolic checkpoint's generator was built with. */
export function symbolicDims(manifest: SymbolicManifest): SymbolicDims {
  return { ...DEFAULT_SYMBOLIC_DIMS, ...manifest.layers, latentDim: manifest.latentDim, conditionDim: manifest.styles.length };
}

/** What a Generator built from this checkpoint tells the stream engine. */
export function generatorInfo(manifest: CheckpointManifest): GeneratorInfo {
  const common = { id: manifest.id, instrument: manifest.instrument, latentDim: manifest.latentDim, trained: manifest.trained };
  if (manifest.family === 'symbolic') return { ...common, family: 'symbolic', styles: manifest.styles };
  return { ...common, family: 'waveform', sampleRate: manifest.sampleRate, clipSamples: manifest.clipSamples };
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
    case 'invalid_union':
      // A discriminated union names its discriminator when no member matches.
      if ('discriminator' in issue && issue.discriminator === 'family') {
        const value = (issue.input as Record<string, unknown> | undefined)?.family;
        return `${field} must be ${CHECKPOINT_FAMILIES.map(show).join(' or ')}, got ${show(value)}`;
      }
      return `${field}: ${issue.message}`;
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
