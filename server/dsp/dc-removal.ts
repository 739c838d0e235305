/**
 * DC removal for generated clips. Each clip comes from its own latent and may sit on its own
 * offset; removing each clip's mean before the crossfade means consecutive clips meet around zero,
 * so the join cannot step from one offset to the other (an audible click).
 */
import { WavecastError } from '../core/errors.js';

/**
 * Subtracts the clip's mean from every sample.
 *
 * @param clip - mono samples
 * @param out - where to write; may be `clip` itself (in place). A new array when left out.
 * @returns `out` (or the new array), whose first `clip.length` samples have zero mean
 */
export function removeDc(clip: Float32Array, out: Float32Array = new Float32Array(clip.length)): Float32Array {
  if (out.length < clip.length) {
    throw new WavecastError(
      'WAVECAST_ERR_BAD_REQUEST',
      `removeDc: output holds ${out.length} samples, the clip has ${clip.length}`,
    );
  }
  const length = clip.length;
  if (length === 0) return out;
  let sum = 0; // a double: a float32 running sum would lose the mean of a long clip
  for (let i = 0; i < length; i++) sum += clip[i];
  const mean = sum / length;
  for (let i = 0; i < length; i++) out[i] = clip[i] - mean;
  return out;
}
