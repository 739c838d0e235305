/**
 * Shard files: mono clips as 16-bit little-endian PCM, one clip after another, no header (the
 * index says the clip length). 16 bits halve the size of float32 and keep ~96 dB of range, more
 * than the generator's output or any training clip needs.
 *
 *     shard-0000.pcm   clip 0 (clipSamples × 2 bytes), clip 1, …, clip shardClips−1
 *     shard-0001.pcm   clip shardClips, …
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { WavecastError } from '../../../server/core/errors.js';
import type { Samples } from '../../../server/core/units.js';

/** Bytes per stored sample. */
export const BYTES_PER_SAMPLE = 2;
const FULL_SCALE = 32767;

/** The name of shard `n`: `shard-0000.pcm`. */
export function shardFileName(n: number): string {
  return `shard-${String(n).padStart(4, '0')}.pcm`;
}

/** Writes `clip` (floats, clamped to [-1, 1]) into `out` from byte `offset` as int16 LE. */
export function encodeClip(clip: Float32Array, out: Buffer, offset: number): void {
  for (let i = 0; i < clip.length; i++) {
    const value = Math.max(-1, Math.min(1, clip[i]));
    out.writeInt16LE(Math.round(value * FULL_SCALE), offset + i * BYTES_PER_SAMPLE);
  }
}

/** Reads `clipSamples` int16 LE samples from `bytes` at byte `offset` as floats in [-1, 1]. */
export function decodeClip(bytes: Buffer, offset: number, clipSamples: Samples): Float32Array {
  const clip = new Float32Array(clipSamples);
  for (let i = 0; i < clipSamples; i++) clip[i] = Math.max(-1, bytes.readInt16LE(offset + i * BYTES_PER_SAMPLE) / FULL_SCALE);
  return clip;
}

/**
 * Appends clips to numbered shard files in `dir`, starting a new shard every `shardClips` clips.
 * Each clip is written as it comes, so a dataset larger than memory streams through.
 */
export class ShardWriter {
  readonly dir: string;
  readonly clipSamples: Samples;
  readonly shardClips: number;
  /** Shards written so far (the last one may still grow), with their clip counts. */
  readonly shards: { file: string; clips: number }[] = [];
  #handle: FileHandle | undefined;
  #buffer: Buffer;
  #bytes = 0;

  /**
   * @param dir - an existing folder
   * @param clipSamples - samples per clip (every clip added must have this many)
   * @param shardClips - clips per shard file
   */
  constructor(dir: string, clipSamples: Samples, shardClips: number) {
    if (!(Number.isInteger(shardClips) && shardClips >= 1)) throw new RangeError(`shardClips must be a whole number ≥ 1, got ${shardClips}`);
    this.dir = dir;
    this.clipSamples = clipSamples;
    this.shardClips = shardClips;
    this.#buffer = Buffer.alloc(clipSamples * BYTES_PER_SAMPLE);
  }

  /** Bytes written to the shards so far. */
  get bytes(): number {
    return this.#bytes;
  }

  async add(clip: Float32Array): Promise<void> {
    if (clip.length !== this.clipSamples) throw new RangeError(`a clip must have ${this.clipSamples} samples, got ${clip.length}`);
    let current = this.shards.at(-1);
    if (!current || current.clips === this.shardClips) {
      await this.#handle?.close();
      current = { file: shardFileName(this.shards.length), clips: 0 };
      this.#handle = await open(path.join(this.dir, current.file), 'w');
      this.shards.push(current);
    }
    encodeClip(clip, this.#buffer, 0);
    await this.#handle!.write(this.#buffer);
    current.clips++;
    this.#bytes += this.#buffer.length;
  }

  /** Closes the open shard. */
  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
  }
}

/**
 * Reads a shard's clips, checking the file holds exactly `clips` × `clipSamples` samples.
 *
 * @throws WavecastError WAVECAST_ERR_CONFIG naming the file when it is missing or the wrong size
 */
export async function readShard(file: string, clipSamples: Samples, clips: number): Promise<Float32Array[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${reason === 'ENOENT' ? 'missing (index.json lists it)' : `cannot read (${reason})`}`);
  }
  const clipBytes = clipSamples * BYTES_PER_SAMPLE;
  if (bytes.length !== clips * clipBytes) {
    throw new WavecastError('WAVECAST_ERR_CONFIG',
      `${file}: holds ${bytes.length} bytes, but index.json says ${clips} clips of ${clipSamples} int16 samples (${clips * clipBytes} bytes)`);
  }
  return Array.from({ length: clips }, (_, i) => decodeClip(bytes, i * clipBytes, clipSamples));
}
