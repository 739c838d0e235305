/**
 * The jitter buffer of one connection: the PCM it received (already in the output format), in
 * arrival order, read by the mixer at the pace of the sound output.
 *
 * Each connection gets a new buffer. A reconnect's burst repeats or skips audio against the old
 * connection's tail, so the two are never joined end to end: the mixer crossfades between them.
 *
 * Two clocks meet here: the server's (it sends real time) and the sound card's (it plays its own
 * real time, off by up to a few hundred ppm). Over a shop's day that drifts by seconds, so while
 * the buffer is played and more than `driftBand` away from `target`, one frame in 1000 is dropped
 * (too full) or repeated (too empty): a 0.1 % speed change, not audible on music. While it is not
 * played (the mixer is on the cache), the oldest audio is dropped past `target`, so a return to
 * live starts near live.
 */
import type { AudioSource } from './audio-source.js';
import { OUTPUT_CHANNELS } from './output-format.js';
import type { Samples } from '../../server/core/units.js';

export interface LiveBufferOptions {
  /** Frames the buffer aims to hold while played (the server's connect burst, 2 s). */
  target: Samples;
  /** Distance from `target`, in frames, inside which nothing is corrected. */
  driftBand: Samples;
  /** Hard bound: the oldest frames beyond it are dropped. */
  capacity: Samples;
}

const CHANNELS = OUTPUT_CHANNELS;
/** One frame dropped or repeated per this many frames read, while correcting drift. */
const DRIFT_STEP = 1000;

export class LiveBuffer implements AudioSource {
  readonly kind = 'live';
  readonly options: LiveBufferOptions;
  /** Chunks of interleaved stereo; the first is read from `#offset` (in samples, not frames). */
  readonly #chunks: Float32Array[] = [];
  #offset = 0;
  #frames = 0;
  #closed = false;
  #released = false;
  #sinceCorrection = 0;
  /** Frames dropped or repeated for drift, and frames dropped for overflow (for the log and tests). */
  readonly corrections = { dropped: 0, repeated: 0, overflow: 0 };
  /** The last frame read, which a drift repeat plays again. */
  readonly #lastFrame = new Float32Array(CHANNELS);
  #hasRead = false;

  constructor(options: LiveBufferOptions) {
    this.options = options;
  }

  /** Appends received audio (interleaved stereo). */
  push(samples: Float32Array): void {
    if (this.#released || samples.length === 0) return;
    this.#chunks.push(samples);
    this.#frames += samples.length / CHANNELS;
    const excess = this.#frames - this.options.capacity;
    if (excess > 0) {
      this.#skip(excess);
      this.corrections.overflow += excess;
    }
  }

  /** The connection ended: no more audio will come (what is buffered can still be played). */
  close(): void {
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  available(): Samples {
    return this.#frames;
  }

  /** Drops the oldest audio so at most `frames` remain (before it is faded in, to start near live). */
  trimTo(frames: Samples): void {
    if (this.#frames > frames) this.#skip(this.#frames - frames);
  }

  read(out: Float32Array, frames: Samples): Samples {
    const { target, driftBand } = this.options;
    let written = 0;
    while (written < frames && this.#frames > 0) {
      // Drift correction: at most one frame per DRIFT_STEP frames read.
      if (this.#sinceCorrection >= DRIFT_STEP) {
        this.#sinceCorrection = 0;
        if (this.#frames > target + driftBand && this.#frames > 1) {
          this.#skip(1);
          this.corrections.dropped++;
          continue;
        }
        if (this.#frames < target - driftBand && this.#hasRead) {
          out.set(this.#lastFrame, written * CHANNELS);
          written++;
          this.corrections.repeated++;
          continue;
        }
      }
      const chunk = this.#chunks[0];
      const chunkFrames = (chunk.length - this.#offset) / CHANNELS;
      const take = Math.min(chunkFrames, frames - written, DRIFT_STEP - this.#sinceCorrection);
      out.set(chunk.subarray(this.#offset, this.#offset + take * CHANNELS), written * CHANNELS);
      written += take;
      this.#sinceCorrection += take;
      this.#consume(take);
      this.#lastFrame.set(out.subarray((written - 1) * CHANNELS, written * CHANNELS));
      this.#hasRead = true;
    }
    return written;
  }

  release(): void {
    this.#released = true;
    this.#chunks.length = 0;
    this.#frames = 0;
    this.#offset = 0;
  }

  #skip(frames: number): void {
    let left = frames;
    while (left > 0 && this.#frames > 0) {
      const chunkFrames = (this.#chunks[0].length - this.#offset) / CHANNELS;
      const take = Math.min(chunkFrames, left);
      this.#consume(take);
      left -= take;
    }
  }

  #consume(frames: number): void {
    this.#offset += frames * CHANNELS;
    this.#frames -= frames;
    if (this.#offset >= this.#chunks[0].length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}
