/**
 * The ceiling row's clips: Gaussian white noise, each clip as loud (RMS) as a real clip it is paired
 * with, so the evaluation's worst case differs from the data in sound, not in level.
 */
import { fillGaussian, mulberry32 } from '../../../server/core/seeded-random.js';

/**
 * `count` noise clips, clip i as loud as `references[i % references.length]`, clamped to [-1, 1].
 *
 * @param [seed=1] - the same seed gives the same noise
 */
export function loudnessMatchedNoise(references: readonly Float32Array[], count: number, seed = 1): Float32Array[] {
  if (references.length === 0) throw new RangeError('loudnessMatchedNoise needs at least one reference clip');
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const reference = references[i % references.length];
    let power = 0;
    for (const value of reference) power += value * value;
    const rms = Math.sqrt(power / reference.length);
    const clip = fillGaussian(new Float32Array(reference.length), random);
    for (let s = 0; s < clip.length; s++) clip[s] = Math.max(-1, Math.min(1, clip[s] * rms));
    return clip;
  });
}
