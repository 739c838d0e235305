/**
 * The checkpoint manifest (`models/<id>/manifest.json`) and the tfjs weights manifest
 * (`weights.json`): zod schemas, and errors that name the file and the field, e.g.
 * `models/x/manifest.json: field "family" must be "waveform", got "banana"`.
 */
import { z } from 'zod';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { formatFieldPath } from '../core/field-path.js';
import { show } from '../core/show-value.js';
import { FAMILIES, FAMILY_NAMES } from '../families/registry.js';
import type { ModelManifest, ModelManifestInput } from '../families/model.js';

/** Every family's manifest schema, told apart by `family`. */
export const checkpointManifestSchema = z.discriminatedUnion(
  'family',
  FAMILIES.map((family) => family.manifestSchema) as [(typeof FAMILIES)[number]['manifestSchema'], ...(typeof FAMILIES)[number]['manifestSchema'][]],
);

/** A validated manifest (defaults filled in); its family reads its own fields from it. */
export type CheckpointManifest = ModelManifest;
/** A manifest as written by hand or by a trainer. */
export type CheckpointManifestInput = ModelManifestInput;

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

/** What a checkpoint folder's place says it is: `models/<id>/` or `models/<id>/versions/<n>/`. */
export interface CheckpointIdentity {
  id: string;
  version?: number;
}

/**
 * Validates a parsed manifest.json. `file` is the path shown in errors; `identity` what the
 * folder's place says the id (and version) must be (skipped when undefined, e.g. before the
 * folder exists).
 */
export function parseCheckpointManifest(
  json: unknown,
  file: string,
  identity?: CheckpointIdentity,
): CheckpointManifest {
  const manifest: CheckpointManifest = parseWith(checkpointManifestSchema, json, file, 'WAVECAST_ERR_MODEL_MANIFEST');
  if (identity === undefined) return manifest;
  const where = identity.version === undefined ? `the folder name ${show(identity.id)}` : `the model folder's name ${show(identity.id)}`;
  if (manifest.id !== identity.id) {
    throw new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${file}: field "id" must equal ${where}, got ${show(manifest.id)}`);
  }
  if (manifest.version !== identity.version) {
    const want = identity.version === undefined ? 'absent outside versions/<n>/' : `${identity.version}, the version folder's name`;
    throw new WavecastError('WAVECAST_ERR_MODEL_MANIFEST', `${file}: field "version" must be ${want}, got ${show(manifest.version)}`);
  }
  return manifest;
}

/** Validates a parsed weights.json. */
export function parseWeightsManifest(json: unknown, file: string): WeightsManifest {
  return parseWith(weightsManifestSchema, json, file, 'WAVECAST_ERR_MODEL_MANIFEST');
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
  const field = issue.path.length === 0 ? 'the file' : `field "${formatFieldPath(issue.path)}"`;
  const got = `got ${show(issue.input)}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
    return issue.path.length === 0 ? 'the file is empty' : `${field} is missing`;
  }
  switch (issue.code) {
    case 'invalid_union':
      // A discriminated union names its discriminator when no member matches.
      if ('discriminator' in issue && issue.discriminator === 'family') {
        const value = (issue.input as Record<string, unknown> | undefined)?.family;
        return `${field} must be ${FAMILY_NAMES.map(show).join(' or ')}, got ${show(value)}`;
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
