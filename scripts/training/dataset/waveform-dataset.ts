/**
 * The waveform dataset as the WaveGAN trainer and the evaluator read it: every clip in memory as
 * floats in [-1, 1], split into training and held-out clips as index.json says.
 */
import path from 'node:path';
import type { Hz, Samples } from '../../../server/core/units.js';
import { readDatasetIndex, type DatasetIndex } from './dataset-index.js';
import { readShard } from './pcm-shards.js';

/** A loaded dataset. */
export interface WaveformDataset {
  sampleRate: Hz;
  clipSamples: Samples;
  /** The clips to train on, in dataset order. */
  train: Float32Array[];
  /** The clips the trainer must not see (for the evaluator), in dataset order. */
  heldOut: Float32Array[];
}

/**
 * Loads the dataset in `dir` (made by `npm run dataset`), validating index.json and the size of
 * each shard.
 *
 * @throws WavecastError WAVECAST_ERR_CONFIG naming the file (and the field, for index.json)
 * @example
 * const { sampleRate, clipSamples, train, heldOut } = await loadWaveformDataset('scripts/datasets/drums');
 */
export async function loadWaveformDataset(dir: string): Promise<WaveformDataset> {
  const { sampleRate, clipSamples, train, heldOut } = await loadWaveformDatasetWithIndex(dir);
  return { sampleRate, clipSamples, train, heldOut };
}

/** As `loadWaveformDataset`, with the validated index beside the clips. */
export async function loadWaveformDatasetWithIndex(dir: string): Promise<WaveformDataset & { index: DatasetIndex }> {
  const index = await readDatasetIndex(dir);
  const held = new Set(index.heldOut);
  const train: Float32Array[] = [];
  const heldOut: Float32Array[] = [];
  let clip = 0;
  for (const shard of index.shards) {
    for (const samples of await readShard(path.join(dir, shard.file), index.clipSamples, shard.clips)) {
      (held.has(clip) ? heldOut : train).push(samples);
      clip++;
    }
  }
  return { sampleRate: index.sampleRate, clipSamples: index.clipSamples, train, heldOut, index };
}
