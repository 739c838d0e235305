/**
 * Plays the disk cache back (cache-ring.ts writes it): one run, from a starting frame to the
 * run's end, across its segment files, 16-bit PCM back to floats. A segment that vanished or
 * cannot be read ends the run there; the mixer then moves to another place.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { AudioSource } from './audio-source.js';
import { OUTPUT_CHANNELS } from './output-format.js';
import type { Samples } from '../../server/core/units.js';

/** One segment file of the cache. */
export interface CacheSegment {
  /** The run's id: the wall-clock millisecond it started, 16 digits. */
  run: string;
  index: number;
  path: string;
  frames: number;
}

const CHANNELS = OUTPUT_CHANNELS;
const BYTES_PER_FRAME = 2 * CHANNELS;

/** Plays one run of the cache from a starting frame to the run's end. */
export class CacheReader implements AudioSource {
  readonly kind = 'cache';
  /** When the audio at the reader's start was played live (for the player's messages). */
  readonly heardAt: Date | undefined;
  readonly #segments: CacheSegment[];
  #segment = 0;
  #offset: number;
  #fd: number | undefined;
  #left: number;
  #scratch = new Int16Array(0);

  constructor(segments: CacheSegment[], offset: Samples, heardAt: Date | undefined) {
    this.heardAt = heardAt;
    this.#segments = segments;
    this.#offset = offset;
    this.#left = segments.reduce((sum, s) => sum + s.frames, 0) - offset;
    if (this.#left < 0) this.#left = 0;
  }

  available(): Samples {
    return this.#left;
  }

  read(out: Float32Array, frames: Samples): Samples {
    let written = 0;
    while (written < frames && this.#left > 0) {
      const segment = this.#segments[this.#segment];
      if (this.#offset >= segment.frames) {
        this.#nextSegment();
        continue;
      }
      const take = Math.min(frames - written, segment.frames - this.#offset);
      if (this.#scratch.length < take * CHANNELS) this.#scratch = new Int16Array(take * CHANNELS);
      let got: number;
      try {
        if (this.#fd === undefined) {
          if (!existsSync(segment.path)) throw new Error(`cache segment ${segment.path} is gone`);
          this.#fd = openSync(segment.path, 'r');
        }
        const bytes = new Uint8Array(this.#scratch.buffer, 0, take * BYTES_PER_FRAME);
        got = Math.floor(readSync(this.#fd, bytes, 0, bytes.length, this.#offset * BYTES_PER_FRAME) / BYTES_PER_FRAME);
      } catch {
        // A segment deleted or unreadable under us: this run ends here, and the mixer picks another place.
        got = 0;
      }
      if (got === 0) {
        this.#left = 0;
        break;
      }
      for (let i = 0; i < got * CHANNELS; i++) out[written * CHANNELS + i] = this.#scratch[i] / 32767;
      written += got;
      this.#offset += got;
      this.#left -= got;
    }
    return written;
  }

  release(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#left = 0;
  }

  #nextSegment(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#segment++;
    this.#offset = 0;
    if (this.#segment >= this.#segments.length) this.#left = 0;
  }
}
