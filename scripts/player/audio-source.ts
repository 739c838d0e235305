/**
 * What the mixer plays from: a connection's live buffer or a run of the disk cache. Both hand out
 * interleaved stereo at 44.1 kHz (output-format.ts) and say how much they can give right now, so
 * the mixer can start a crossfade while the outgoing source still has the audio to fade out.
 */
import type { Samples } from '../../server/core/units.js';

export interface AudioSource {
  readonly kind: 'live' | 'cache';
  /** Frames that `read` can return now without running dry. */
  available(): Samples;
  /**
   * Copies up to `frames` frames into `out` (interleaved stereo, from index 0) and returns how
   * many it copied; fewer only when the source has run dry.
   */
  read(out: Float32Array, frames: Samples): Samples;
  /** The mixer is done with it: close files, drop buffers. */
  release(): void;
}
