/**
 * Shared by the MP3 encoder tests: a test tone, a decoder round trip (mpg123-decoder) and a
 * frequency estimate, so each test states only what it expects.
 */
import type { Hz, Seconds } from '../core/units.js';

export { concatBytes as joinBytes } from './concat-bytes.js';

/** Interleaved sine at `frequency`, amplitude 0.5, the same on every channel. */
export function sine(frequency: Hz, duration: Seconds, sampleRate: Hz, channels: number): Float32Array {
  const frames = Math.round(duration * sampleRate);
  const pcm = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const value = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = value;
  }
  return pcm;
}

/** Feeds `pcm` in pieces of the given frame counts (cycled) until it is all sent. */
export function* pieces(pcm: Float32Array, channels: number, frameCounts: readonly number[]): Generator<Float32Array> {
  let offset = 0;
  for (let i = 0; offset < pcm.length; i++) {
    const length = frameCounts[i % frameCounts.length] * channels;
    yield pcm.subarray(offset, offset + length);
    offset += length;
  }
}

/** Decodes a whole MP3 stream (the same decoder the end-to-end tests use). */
export { decodeMp3 } from '../../test/support/decode-mp3.js';

/**
 * Frequency from the rising zero crossings of the middle of `samples` (the ends hold encoder
 * delay and padding).
 */
export function dominantFrequency(samples: Float32Array, sampleRate: Hz): Hz {
  const middle = samples.subarray(Math.floor(samples.length * 0.2), Math.floor(samples.length * 0.8));
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = 1; i < middle.length; i++) {
    if (middle[i - 1] < 0 && middle[i] >= 0) {
      if (first < 0) first = i;
      else crossings++;
      last = i;
    }
  }
  return crossings / ((last - first) / sampleRate);
}

