/**
 * A waveform dataset's index.json: what the folder holds and where each clip came from.
 *
 *     { "format": "wavecast-waveform-dataset", "version": 1,
 *       "sampleRate": 16000, "clipSamples": 4096, "sampleFormat": "int16le", "clips": 1000,
 *       "shards": [{ "file": "shard-0000.pcm", "clips": 1000 }],
 *       "heldOut": [3, 17, …],                    global clip numbers, ascending
 *       "split": { "fraction": 0.1, "seed": 1, "by": "source" },
 *       "normalize": "peak",
 *       "sources": { "kind": "builtin", … } | { "kind": "folder", … },
 *       "created": "2026-…Z" }
 *
 * Clip n is the n-th clip counting through the shards in order. A bad index is a
 * WAVECAST_ERR_CONFIG (the dataset is operator input, as a song dataset is) whose message names the
 * file and the field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { WavecastError } from '../../../server/core/errors.js';
import { formatFieldPath } from '../../../server/core/field-path.js';

export const WAVEFORM_DATASET_FORMAT = 'wavecast-waveform-dataset';
export const WAVEFORM_DATASET_VERSION = 1;
export const INDEX_FILE = 'index.json';

/**
 * How clip levels were set: each clip's peak at −1 dBFS ('peak'); a built-in hit's peak at −1 dBFS
 * plus 20·log10(velocity / 127), so velocity stays loudness ('velocity'); as recorded ('none').
 */
export const NORMALIZE_MODES = ['peak', 'velocity', 'none'] as const;
export type NormalizeMode = (typeof NORMALIZE_MODES)[number];

const whole = z.number().int();

const folderSourcesSchema = z.object({
  kind: z.literal('folder'),
  /** The folder read, as given on the command line. */
  root: z.string(),
  /** Each decoded file (relative to root), its clips kept and its length in seconds. */
  files: z.array(z.object({ path: z.string(), clips: whole.min(0), seconds: z.number().nonnegative(), decoder: z.string() })),
  /** Files that could not be used, and why. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

const builtinSourcesSchema = z.object({
  kind: z.literal('builtin'),
  set: z.string(),
  seed: whole,
  /** Clips kept per kind of hit (`kick`, `snare`, `piano`, `Vibraphone` …). */
  labels: z.record(z.string(), whole.min(0)),
});

export const datasetIndexSchema = z.object({
  format: z.literal(WAVEFORM_DATASET_FORMAT),
  version: z.literal(WAVEFORM_DATASET_VERSION),
  sampleRate: whole.min(1000).max(768000),
  clipSamples: whole.min(1),
  sampleFormat: z.literal('int16le'),
  clips: whole.min(0),
  shards: z.array(z.object({ file: z.string().regex(/^[\w.-]+\.pcm$/, 'must be a plain file name ending in .pcm'), clips: whole.min(0) })),
  heldOut: z.array(whole.min(0)),
  split: z.object({ fraction: z.number().min(0).max(1), seed: whole, by: z.enum(['source', 'clip']) }),
  normalize: z.enum(NORMALIZE_MODES),
  sources: z.discriminatedUnion('kind', [folderSourcesSchema, builtinSourcesSchema]),
  created: z.string(),
});

/** A validated index.json. */
export type DatasetIndex = z.output<typeof datasetIndexSchema>;
export type DatasetSources = DatasetIndex['sources'];

/**
 * Reads and validates `dir`/index.json: the schema, then that the shards add up to `clips` and
 * every held-out number is a clip, in ascending order, once.
 *
 * @throws WavecastError WAVECAST_ERR_CONFIG naming the file and the field
 */
export async function readDatasetIndex(dir: string): Promise<DatasetIndex> {
  const file = path.join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${reason === 'ENOENT' ? 'missing (not a waveform dataset folder: make one with npm run dataset)' : `cannot read (${reason})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseDatasetIndex(json, file);
}

/** Validates an index already parsed from JSON; `file` names it in errors. */
export function parseDatasetIndex(json: unknown, file: string): DatasetIndex {
  const result = datasetIndexSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.length ? `field "${formatFieldPath(issue.path)}"` : 'the file';
      return issue.input === undefined && issue.path.length ? `${field} is missing` : `${field}: ${issue.message}`;
    });
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
  const index = result.data;
  const bad = (field: string, message: string): never => {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: field "${field}": ${message}`, { field });
  };
  const inShards = index.shards.reduce((sum, shard) => sum + shard.clips, 0);
  if (inShards !== index.clips) bad('clips', `says ${index.clips} clips but the shards hold ${inShards}`);
  const names = new Set<string>();
  index.shards.forEach((shard, i) => {
    if (names.has(shard.file)) bad(`shards[${i}].file`, `${shard.file} is listed twice`);
    names.add(shard.file);
  });
  index.heldOut.forEach((clip, i) => {
    if (clip >= index.clips) bad(`heldOut[${i}]`, `clip ${clip} does not exist (the dataset has ${index.clips})`);
    if (i > 0 && clip <= index.heldOut[i - 1]) bad(`heldOut[${i}]`, 'clip numbers must be ascending, each once');
  });
  return index;
}
