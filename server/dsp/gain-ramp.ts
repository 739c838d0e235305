/**
 * A level change without a click: the gain moves linearly from `from` to `to` across one block of
 * interleaved frames, reaching `to` on the block's last frame. Pure DSP, in place.
 */
import type { GainFactor } from '../core/units.js';

/** Scales `frames` (interleaved, `channels` per frame) by a gain ramping from `from` to `to`. */
export function rampGain(frames: Float32Array, channels: number, from: GainFactor, to: GainFactor): void {
  if (from === 1 && to === 1) return;
  const count = frames.length / channels;
  for (let f = 0; f < count; f++) {
    const gain = from + ((to - from) * (f + 1)) / count;
    for (let c = 0; c < channels; c++) frames[f * channels + c] *= gain;
  }
}
