/**
 * Writes a waveform dataset folder: clips stream into shards as they come (pcm-shards.ts), each
 * remembered only by the number of its source; `finish` chooses the held-out clips and writes
 * index.json last, so a folder without index.json is an unfinished dataset, never a short one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Decibels, Hz, Samples } from '../../../server/core/units.js';
import { normalisePeak } from './clip-level.js';
import { INDEX_FILE, WAVEFORM_DATASET_FORMAT, WAVEFORM_DATASET_VERSION, type DatasetIndex, type DatasetSources, type NormalizeMode } from './dataset-index.js';
import { chooseHeldOut } from './held-out-split.js';
import { ShardWriter } from './pcm-shards.js';

export interface DatasetWriterOptions {
  /** The dataset folder (created; see `overwrite`). */
  dir: string;
  sampleRate: Hz;
  clipSamples: Samples;
  /** Clips per shard file. @default 1024 */
  shardClips?: number;
  /**
   * Scale each clip so its peak is `peakDb` ('peak'), `peakDb` + 20·log10(velocity / 127)
   * ('velocity': `add` then takes each clip's velocity), or store it as it is ('none'). @default 'peak'
   */
  normalize?: NormalizeMode;
  /** The peak after normalisation, dBFS. @default -1 */
  peakDb?: Decibels;
  /** Replace a dataset already in `dir`. @default false */
  overwrite?: boolean;
}

/** Defaults of `DatasetWriter`, written once. */
export const DATASET_WRITER_DEFAULTS = { shardClips: 1024, normalize: 'peak', peakDb: -1 as Decibels, heldOutFraction: 0.1, seed: 1 } as const;

export class DatasetWriter {
  readonly options: Required<DatasetWriterOptions>;
  #shards!: ShardWriter;
  readonly #sourceOfClip: number[] = [];

  /** Use `DatasetWriter.open`. */
  private constructor(options: Required<DatasetWriterOptions>) {
    this.options = options;
  }

  /**
   * Makes the folder ready: refuses one that holds a dataset (index.json) unless `overwrite`; the
   * shards and index found are removed first (other files stay).
   *
   * @throws Error naming the folder when it holds a dataset and `overwrite` is false
   */
  static async open(options: DatasetWriterOptions): Promise<DatasetWriter> {
    const full: Required<DatasetWriterOptions> = {
      ...options,
      shardClips: options.shardClips ?? DATASET_WRITER_DEFAULTS.shardClips,
      normalize: options.normalize ?? DATASET_WRITER_DEFAULTS.normalize,
      peakDb: options.peakDb ?? DATASET_WRITER_DEFAULTS.peakDb,
      overwrite: options.overwrite ?? false,
    };
    const writer = new DatasetWriter(full);
    const { dir } = full;
    const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    if (existing.includes(INDEX_FILE) && !full.overwrite) {
      throw new Error(`${dir} already holds a waveform dataset (${INDEX_FILE}): pass --overwrite to replace it, or choose another --out`);
    }
    // The index goes first, so an interrupted clean-up leaves an unfinished dataset, not a wrong one;
    // shards without an index are an unfinished run's, removed without asking.
    await rm(path.join(dir, INDEX_FILE), { force: true });
    for (const name of existing.filter((entry) => /^shard-\d+\.pcm$/.test(entry))) await rm(path.join(dir, name), { force: true });
    await mkdir(dir, { recursive: true });
    writer.#shards = new ShardWriter(dir, full.clipSamples, full.shardClips);
    return writer;
  }

  /** Clips added so far. */
  get clips(): number {
    return this.#sourceOfClip.length;
  }

  /** Bytes in the shards so far. */
  get bytes(): number {
    return this.#shards.bytes;
  }

  /**
   * Adds one clip (normalised in place when the dataset normalises).
   *
   * @param source - the number of the file or hit it came from (for the held-out split)
   * @param velocity - the hit's MIDI velocity, 1–127 (needed by `normalize: 'velocity'` only)
   */
  async add(clip: Float32Array, source: number, velocity?: number): Promise<void> {
    const { normalize, peakDb } = this.options;
    if (normalize === 'peak') normalisePeak(clip, peakDb);
    if (normalize === 'velocity') {
      if (!(velocity !== undefined && velocity >= 1 && velocity <= 127)) throw new RangeError(`normalize 'velocity' needs each clip's velocity (1–127), got ${velocity}`);
      normalisePeak(clip, peakDb + 20 * Math.log10(velocity / 127));
    }
    await this.#shards.add(clip);
    this.#sourceOfClip.push(source);
  }

  /**
   * Chooses the held-out clips and writes index.json (atomically: a temporary file renamed).
   *
   * @param [split.fraction=0.1] - share held out   @param [split.seed=1] - seeds the split
   * @returns the index written and the dataset's size on disk in bytes
   */
  async finish(sources: DatasetSources, split: { fraction?: number; seed?: number } = {}): Promise<{ index: DatasetIndex; bytes: number }> {
    await this.#shards.close();
    const fraction = split.fraction ?? DATASET_WRITER_DEFAULTS.heldOutFraction;
    const seed = split.seed ?? DATASET_WRITER_DEFAULTS.seed;
    const { heldOut, by } = chooseHeldOut(this.#sourceOfClip, fraction, seed);
    const { dir, sampleRate, clipSamples, normalize } = this.options;
    const index: DatasetIndex = {
      format: WAVEFORM_DATASET_FORMAT,
      version: WAVEFORM_DATASET_VERSION,
      sampleRate,
      clipSamples,
      sampleFormat: 'int16le',
      clips: this.clips,
      shards: this.#shards.shards.map((shard) => ({ ...shard })),
      heldOut,
      split: { fraction, seed, by },
      normalize,
      sources,
      created: new Date().toISOString(),
    };
    // heldOut on one line: a dataset of 10 000 clips would otherwise spend 1 000 lines on it.
    const text = JSON.stringify({ ...index, heldOut: '@heldOut' }, null, 2).replace('"@heldOut"', JSON.stringify(heldOut));
    const file = path.join(dir, INDEX_FILE);
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${text}\n`);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const bytes = this.#shards.bytes + (await stat(file)).size;
    return { index, bytes };
  }
}
