/**
 * Equal-power crossfade: the outgoing clip fades on a quarter cosine, the incoming one on a quarter
 * sine. Their squared gains sum to 1, so two uncorrelated signals (clips from different latents)
 * keep a constant loudness through the join, with no dip in the middle as a linear fade would make.
 */
import { WavecastError } from '../core/errors.js';
import type { GainFactor, Samples } from '../core/units.js';

const QUARTER_TURN = Math.PI / 2;

/** The two gains of an equal-power crossfade at one point of the fade. */
export interface CrossfadeGains {
  /** Gain of the outgoing signal: 1 at the start of the fade, 0 at its end. */
  readonly fadeOut: GainFactor;
  /** Gain of the incoming signal: 0 at the start of the fade, 1 at its end. */
  readonly fadeIn: GainFactor;
}

/**
 * Equal-power gains at `position` through the fade (clamped to 0..1):
 * `fadeOut = cos(position·π/2)`, `fadeIn = sin(position·π/2)`, so `fadeOut² + fadeIn² = 1`.
 */
export function equalPowerGains(position: number): CrossfadeGains {
  const angle = Math.min(1, Math.max(0, position)) * QUARTER_TURN;
  return { fadeOut: Math.cos(angle), fadeIn: Math.sin(angle) };
}

/**
 * Writes `length` samples of the equal-power crossfade from `tail` (outgoing) into `head`
 * (incoming) to `out[outOffset …]`.
 *
 * Sample `i` sits at position `(i + 1) / (length + 1)`: the fade reads as one more step after the
 * full-gain sample before it and one more step before the full-gain sample after it, so the gain
 * never steps further at the edges of the fade than inside it.
 *
 * @param out - destination; may be `head` or `tail` itself when `outOffset` is 0
 * @param outOffset - first index written in `out`
 * @param tail - the outgoing signal, from the start of the fade (at least `length` samples)
 * @param head - the incoming signal, from the start of the fade (at least `length` samples)
 * @param length - fade length in samples
 * @returns `out`
 */
export function crossfadeInto(
  out: Float32Array,
  outOffset: Samples,
  tail: Float32Array,
  head: Float32Array,
  length: Samples,
): Float32Array {
  if (tail.length < length || head.length < length || outOffset < 0 || out.length - outOffset < length) {
    throw new WavecastError(
      'WAVECAST_ERR_BAD_REQUEST',
      `crossfadeInto: a ${length}-sample fade needs tail (${tail.length}), head (${head.length}) ` +
        `and out from offset ${outOffset} (${out.length - outOffset}) to hold that many samples`,
    );
  }
  const step = QUARTER_TURN / (length + 1);
  for (let i = 0; i < length; i++) {
    const angle = (i + 1) * step;
    out[outOffset + i] = tail[i] * Math.cos(angle) + head[i] * Math.sin(angle);
  }
  return out;
}
