/**
 * Synthetic training clips for tests and for trying the trainer without a dataset: each clip is a
 * few decaying sine bursts (a plucked tone, random pitch 110–880 Hz, decay 30–300 ms) or a
 * decaying noise burst (a hit), at random onsets. Easy for a GAN to learn and easy to hear.
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';
import type { Hz, Samples } from '../../../server/core/units.js';

/**
 * `count` clips of `clipSamples` samples at `sampleRate`, peak about 0.8, seeded.
 * @param [options.seed=1]
 * @example syntheticClips({ count: 256, clipSamples: 4096, sampleRate: 16000 })
 */
export function syntheticClips(options: { count: number; clipSamples: Samples; sampleRate: Hz; seed?: number }): Float32Array[] {
  const { count, clipSamples, sampleRate, seed = 1 } = options;
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const clip = new Float32Array(clipSamples);
    const events = 1 + Math.floor(random() * 3);
    for (let e = 0; e < events; e++) {
      const onset = Math.floor(random() * clipSamples * 0.75);
      const decay = (0.03 + random() * 0.27) * sampleRate; // samples to fall by 1/e
      const noise = random() < 0.25;
      const frequency = 110 * 2 ** (random() * 3);
      const gain = 0.3 + random() * 0.3;
      const phase = random() * 2 * Math.PI;
      for (let t = onset; t < clipSamples; t++) {
        const envelope = gain * Math.exp(-(t - onset) / decay);
        if (envelope < 1e-4) break;
        clip[t] += envelope * (noise ? random() * 2 - 1 : Math.sin(phase + (2 * Math.PI * frequency * (t - onset)) / sampleRate));
      }
    }
    for (let t = 0; t < clipSamples; t++) clip[t] = Math.max(-1, Math.min(1, clip[t]));
    return clip;
  });
}
