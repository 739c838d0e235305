/**
 * Overlap-add of consecutive renders: each render (a bar and the tails of its notes) starts where
 * the previous bar ended, and its tail sums into the bars after it. The symbolic family joins its
 * clips this way instead of crossfading, so a piano note's release rings on across the bar line
 * and the beat stays exactly on the grid.
 *
 *   bar k render   |■■■■■■■■■■■■▒▒▒▒▒▒|              ■ bar, ▒ tail
 *   bar k+1 render              |■■■■■■■■■■■■▒▒▒▒|
 *   out            |── bar k ───|── bar k+1 ─|…
 *
 * Pure DSP on interleaved Float32Array frames; no I/O, no clock.
 */
import type { Samples } from '../core/units.js';

export class OverlapAdd {
  readonly channels: number;
  /** Interleaved sum of everything added and not yet taken, from the read position on. */
  #sum = new Float32Array(0);
  /** Frames of `#sum` holding audio. */
  #frames = 0;

  /** @param channels - samples per frame (1 or 2) */
  constructor(channels: number) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`OverlapAdd: channels must be a positive whole number, got ${channels}`);
    this.channels = channels;
  }

  /** Frames summed and not yet taken (the longest tail still ringing). */
  get pending(): Samples {
    return this.#frames;
  }

  /** Sums `render` (interleaved frames) into the stream, starting at the read position. */
  add(render: Float32Array): void {
    if (render.length % this.channels !== 0) {
      throw new RangeError(`OverlapAdd: render of ${render.length} samples is not whole ${this.channels}-channel frames`);
    }
    const frames = render.length / this.channels;
    if (this.#sum.length < render.length) {
      const grown = new Float32Array(Math.max(render.length, this.#sum.length * 2));
      grown.set(this.#sum.subarray(0, this.#frames * this.channels));
      this.#sum = grown;
    }
    const sum = this.#sum;
    for (let i = 0; i < render.length; i++) sum[i] += render[i];
    this.#frames = Math.max(this.#frames, frames);
  }

  /** Takes the next `frames` finished frames (silence where nothing was added) and moves the read position past them. */
  take(frames: Samples): Float32Array {
    const count = frames * this.channels;
    const out = new Float32Array(count);
    out.set(this.#sum.subarray(0, Math.min(count, this.#frames * this.channels)));
    const rest = Math.max(0, this.#frames - frames);
    this.#sum.copyWithin(0, count, count + rest * this.channels);
    this.#sum.fill(0, rest * this.channels);
    this.#frames = rest;
    return out;
  }
}
