/**
 * A waveform dataset of one-shots rendered from the instruments the project ships, nothing
 * downloaded: `count` clips of one hit each (builtin-hits.ts), rendered (one-shot-render.ts) and
 * written (dataset-writer.ts). The same set, count, seed, rate and clip length give the same clips.
 *
 * A hit that renders silent (a key a drum kit leaves empty) is skipped and the next one drawn, up
 * to `maxAttempts` hits in all.
 */
import type { Decibels, Hz, Samples } from '../../../server/core/units.js';
import { peakOf } from './clip-level.js';
import { builtinHits, type BuiltinSet } from './builtin-hits.js';
import type { DatasetIndex, NormalizeMode } from './dataset-index.js';
import { DatasetWriter } from './dataset-writer.js';
import { renderOneShot, type OneShotRenderOptions } from './one-shot-render.js';

export interface BuiltinDatasetOptions {
  set: BuiltinSet;
  /** Clips to make. */
  count: number;
  /** The dataset folder to write. */
  out: string;
  /** @default 1 */
  seed?: number;
  /** @default 16000 */
  sampleRate?: Hz;
  /** @default 16384 */
  clipSamples?: Samples;
  /** A hit whose peak stays below this level (dBFS) counts as silent. @default -60 */
  minPeakDb?: Decibels;
  /** Hits tried before giving up on reaching `count`. @default 2 × count + 100 */
  maxAttempts?: number;
  /** @default 'velocity' (see dataset-index.ts: a louder hit stays louder) */
  normalize?: NormalizeMode;
  /** @default 1024 */
  shardClips?: number;
  /** @default 0.1 */
  heldOutFraction?: number;
  /** @default false */
  overwrite?: boolean;
  /** Onset alignment and fades (one-shot-render.ts). */
  render?: Omit<OneShotRenderOptions, 'sampleRate' | 'clipSamples'>;
  /** Called after each hit rendered. */
  onProgress?: (kept: number, count: number) => void;
}

/** Defaults of `buildBuiltinDataset`, written once. */
export const BUILTIN_DATASET_DEFAULTS = { seed: 1, sampleRate: 16000 as Hz, clipSamples: 16384 as Samples, minPeakDb: -60 as Decibels, normalize: 'velocity' } as const;

/** What a built-in run did. */
export interface BuiltinDatasetSummary {
  clipsKept: number;
  silentSkipped: number;
  /** Dataset size on disk. */
  bytes: number;
  index: DatasetIndex;
}

/** Renders and writes the dataset. @throws Error when fewer than `count` hits sound in `maxAttempts` */
export async function buildBuiltinDataset(options: BuiltinDatasetOptions): Promise<BuiltinDatasetSummary> {
  const { set, count } = options;
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`count must be a whole number ≥ 1, got ${count}`);
  const seed = options.seed ?? BUILTIN_DATASET_DEFAULTS.seed;
  const sampleRate = options.sampleRate ?? BUILTIN_DATASET_DEFAULTS.sampleRate;
  const clipSamples = options.clipSamples ?? BUILTIN_DATASET_DEFAULTS.clipSamples;
  const minPeak = 10 ** ((options.minPeakDb ?? BUILTIN_DATASET_DEFAULTS.minPeakDb) / 20);
  const maxAttempts = options.maxAttempts ?? 2 * count + 100;
  const writer = await DatasetWriter.open({
    dir: options.out, sampleRate, clipSamples, shardClips: options.shardClips, normalize: options.normalize ?? BUILTIN_DATASET_DEFAULTS.normalize, overwrite: options.overwrite,
  });
  const labels: Record<string, number> = {};
  let attempts = 0;
  let silentSkipped = 0;
  for (const hit of builtinHits(set, seed)) {
    if (writer.clips === count) break;
    if (attempts++ === maxAttempts) {
      throw new Error(`only ${writer.clips} of ${count} ${set} hits sounded in ${maxAttempts} tries (${silentSkipped} silent): raise maxAttempts`);
    }
    const { clip } = await renderOneShot(hit, { ...options.render, sampleRate, clipSamples });
    if (peakOf(clip) < minPeak) {
      silentSkipped++;
      continue;
    }
    // Each hit is its own source: the held-out split may take any of them.
    await writer.add(clip, writer.clips, hit.velocity);
    labels[hit.label] = (labels[hit.label] ?? 0) + 1;
    options.onProgress?.(writer.clips, count);
  }
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  const { index, bytes } = await writer.finish({ kind: 'builtin', set, seed, labels: sorted }, { fraction: options.heldOutFraction, seed });
  return { clipsKept: writer.clips, silentSkipped, bytes, index };
}
