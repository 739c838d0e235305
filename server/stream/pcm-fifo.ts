/**
 * The audio a channel has generated but not yet played: interleaved Float32 frames, appended by
 * the mixer and taken by the playback clock in fixed frame counts. Chunks are kept as pushed and
 * only the frames taken are copied, so a push never re-copies what is queued.
 */
import type { Samples } from '../core/units.js';

export class PcmFifo {
  readonly channels: number;
  #chunks: Float32Array[] = [];
  #headOffset = 0; // samples of #chunks[0] already taken
  #length = 0; // interleaved samples queued

  constructor(channels: number) {
    this.channels = channels;
  }

  /** Frames (one sample per channel) queued. */
  get frames(): Samples {
    return this.#length / this.channels;
  }

  push(interleaved: Float32Array): void {
    if (interleaved.length % this.channels !== 0) {
      throw new RangeError(`pcm length ${interleaved.length} is not a whole number of ${this.channels}-channel frames`);
    }
    if (interleaved.length === 0) return;
    this.#chunks.push(interleaved);
    this.#length += interleaved.length;
  }

  /** Removes and returns exactly `frames` frames; throws when fewer are queued. */
  take(frames: Samples): Float32Array {
    const wanted = frames * this.channels;
    if (wanted > this.#length) throw new RangeError(`asked for ${frames} frames, ${this.frames} queued`);
    const out = new Float32Array(wanted);
    let written = 0;
    while (written < wanted) {
      const chunk = this.#chunks[0];
      const count = Math.min(wanted - written, chunk.length - this.#headOffset);
      out.set(chunk.subarray(this.#headOffset, this.#headOffset + count), written);
      written += count;
      this.#headOffset += count;
      if (this.#headOffset === chunk.length) {
        this.#chunks.shift();
        this.#headOffset = 0;
      }
    }
    this.#length -= wanted;
    return out;
  }

  /**
   * Keeps the first `keepFrames` frames (or all, when fewer are queued) and removes the rest;
   * returns what it removed, interleaved (an operator's change starts there).
   */
  cut(keepFrames: Samples): Float32Array {
    const kept = this.take(Math.min(keepFrames, this.frames));
    const removed = this.take(this.frames);
    this.push(kept);
    return removed;
  }

  clear(): void {
    this.#chunks = [];
    this.#headOffset = 0;
    this.#length = 0;
  }
}
