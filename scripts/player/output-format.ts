/**
 * The one format the player mixes, caches and plays: 44.1 kHz stereo, interleaved Float32Array.
 * Whatever a feed delivers (another MP3 rate, mono) is brought to it here, once, as it arrives, so
 * every later stage (live buffers, cache, mixer, sound output) deals with one format only.
 */
import { Resampler } from '../../server/dsp/resampler.js';
import type { Hz } from '../../server/core/units.js';

export const OUTPUT_RATE: Hz = 44100;
export const OUTPUT_CHANNELS = 2;

/**
 * Converts a feed's planar or interleaved PCM to the output format. Keeps resampler state, so one
 * converter serves one continuous stream (a connection).
 */
export class OutputFormatConverter {
  readonly inputRate: Hz;
  readonly inputChannels: number;
  readonly #resamplers: Resampler[];

  constructor(inputRate: Hz, inputChannels: number) {
    if (!(Number.isInteger(inputRate) && inputRate > 0)) throw new RangeError(`sample rate must be a positive whole number, got ${inputRate}`);
    if (!(Number.isInteger(inputChannels) && inputChannels >= 1)) throw new RangeError(`channels must be ≥ 1, got ${inputChannels}`);
    this.inputRate = inputRate;
    this.inputChannels = inputChannels;
    // Stereo output needs at most two input channels (a third and more are dropped; wavecast sends 1 or 2).
    const used = Math.min(2, inputChannels);
    this.#resamplers = inputRate === OUTPUT_RATE ? [] : Array.from({ length: used }, () => new Resampler({ inputRate, outputRate: OUTPUT_RATE }));
  }

  /** Planar input (one array per channel, `frames` long): returns interleaved stereo at 44.1 kHz. */
  fromPlanar(planes: readonly Float32Array[], frames: number): Float32Array {
    const left = planes[0].subarray(0, frames);
    const right = (planes[1] ?? planes[0]).subarray(0, frames);
    if (this.#resamplers.length === 0) return interleave(left, right, frames);
    const outLeft = this.#resamplers[0].process(left);
    const outRight = this.#resamplers.length > 1 ? this.#resamplers[1].process(right) : outLeft;
    return interleave(outLeft, outRight, outLeft.length);
  }

  /** Interleaved input with `inputChannels` per frame: returns interleaved stereo at 44.1 kHz. */
  fromInterleaved(samples: Float32Array): Float32Array {
    const channels = this.inputChannels;
    const frames = Math.floor(samples.length / channels);
    if (channels === 2 && this.#resamplers.length === 0) return samples.subarray(0, frames * 2);
    const left = new Float32Array(frames);
    const right = channels > 1 ? new Float32Array(frames) : left;
    for (let f = 0; f < frames; f++) {
      left[f] = samples[f * channels];
      if (channels > 1) right[f] = samples[f * channels + 1];
    }
    return this.fromPlanar(channels > 1 ? [left, right] : [left], frames);
  }
}

function interleave(left: Float32Array, right: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * 2);
  for (let f = 0; f < frames; f++) {
    out[2 * f] = left[f];
    out[2 * f + 1] = right[f];
  }
  return out;
}
