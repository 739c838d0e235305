/**
 * Queuing a long stretch of audio (a whole bar) at once is several milliseconds of limiter and
 * loudness work on the event loop; with many channels those add up into stalls. This cuts it into
 * pieces and gives the event loop a turn between them.
 */
import type { Seconds } from '../core/units.js';

/** Seconds of audio per piece: about a millisecond of processing each. */
export const PIECE: Seconds = 0.25;

/** `pcm` (interleaved) as views of at most `frames` frames each, a macrotask apart. */
export async function* pacedPieces(pcm: Float32Array, channels: number, frames: number): AsyncGenerator<Float32Array> {
  const size = frames * channels;
  for (let at = 0; at < pcm.length; at += size) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    yield pcm.subarray(at, Math.min(pcm.length, at + size));
  }
}
