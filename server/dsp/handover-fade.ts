/**
 * The join when an operator changes what a channel plays: the audio already generated for after
 * the switch point (the outgoing tail) fades out while the new voice's first audio fades in, with
 * equal power, so the stream neither gaps nor clicks. Pure DSP on interleaved Float32Array.
 *
 * The incoming audio arrives in chunks of any size; `apply` mixes the fade into them in place
 * until `fadeFrames` frames have passed. A tail shorter than the fade counts as silence beyond its
 * end (the fade is then a plain fade-in).
 */
import { equalPowerGains } from './crossfade.js';
import type { Samples } from '../core/units.js';

export class HandoverFade {
  readonly channels: number;
  readonly fadeFrames: Samples;
  readonly #tail: Float32Array;
  #position = 0; // frames of the fade already applied

  /**
   * @param tail - the outgoing audio from the switch point on (interleaved; any length)
   * @param channels - interleaved channels
   * @param fadeFrames - length of the fade (frames, > 0)
   */
  constructor(tail: Float32Array, channels: number, fadeFrames: Samples) {
    if (!(fadeFrames > 0) || !Number.isInteger(fadeFrames)) throw new RangeError(`fadeFrames must be a positive whole number, got ${fadeFrames}`);
    this.channels = channels;
    this.fadeFrames = fadeFrames;
    this.#tail = tail;
  }

  get done(): boolean {
    return this.#position >= this.fadeFrames;
  }

  /** Mixes the fade into the start of `incoming` (interleaved), in place; returns it. */
  apply(incoming: Float32Array): Float32Array {
    const { channels, fadeFrames } = this;
    const frames = Math.min(incoming.length / channels, fadeFrames - this.#position);
    for (let f = 0; f < frames; f++) {
      const at = this.#position + f;
      // Same placement as crossfadeInto: frame i of n sits at (i + 1) / (n + 1).
      const { fadeIn, fadeOut } = equalPowerGains((at + 1) / (fadeFrames + 1));
      for (let c = 0; c < channels; c++) {
        const outgoing = this.#tail[at * channels + c] ?? 0;
        incoming[f * channels + c] = incoming[f * channels + c] * fadeIn + outgoing * fadeOut;
      }
    }
    this.#position += Math.max(0, frames);
    return incoming;
  }
}
