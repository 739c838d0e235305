/**
 * One second of seeded white noise per sample rate, shared by every render (drums loop it from
 * varying offsets). Seeded, so a render of the same notes is the same audio every time.
 */
import { AudioBuffer } from 'node-web-audio-api';
import { mulberry32 } from '../../../core/seeded-random.js';
import type { Hz } from '../../../core/units.js';

const NOISE_SEED = 0x5eed;
const cache = new Map<number, AudioBuffer>();

/** Mono white noise, uniform in [−1, 1), one second long at `sampleRate`; built once per rate. */
export function noiseBuffer(sampleRate: Hz): AudioBuffer {
  let buffer = cache.get(sampleRate);
  if (!buffer) {
    const random = mulberry32(NOISE_SEED);
    const noise = Float32Array.from({ length: Math.round(sampleRate) }, () => random() * 2 - 1);
    buffer = new AudioBuffer({ numberOfChannels: 1, length: noise.length, sampleRate });
    buffer.copyToChannel(noise, 0);
    cache.set(sampleRate, buffer);
  }
  return buffer;
}
