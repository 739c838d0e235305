/**
 * The player's equal-power crossfade, a block at a time: the outgoing source on a quarter cosine,
 * the incoming one on a quarter sine, so their squared gains sum to 1 and two unrelated pieces of
 * music (the live tail and a cached minute) keep their loudness through the join. The same gain
 * law as server/dsp/crossfade.ts, here for a fade that spans many blocks and may start and end
 * anywhere in one. Pure: no allocation, no I/O.
 *
 *   outgoing ──× cos(θ)──┐
 *                        (+)──► out        θ = (done + i + 1) / (total + 1) · π/2
 *   incoming ──× sin(θ)──┘
 */
import type { Samples } from '../../server/core/units.js';

const QUARTER_TURN = Math.PI / 2;

/**
 * Mixes `frames` frames of a crossfade that has `done` of its `total` frames behind it into `out`
 * (interleaved, `channels` per frame). Frames past the fade's end take the incoming source alone.
 *
 * @param out - destination, from index 0; may be `incoming` itself
 * @param outgoing - the source fading out, `frames` frames from index 0
 * @param incoming - the source fading in, `frames` frames from index 0
 * @returns the fade's frames done after this block (`done + frames`, at most `total`)
 */
export function mixCrossfade(
  out: Float32Array,
  outgoing: Float32Array,
  incoming: Float32Array,
  frames: Samples,
  channels: number,
  done: Samples,
  total: Samples,
): Samples {
  for (let f = 0; f < frames; f++) {
    const position = done + f + 1;
    const angle = position >= total + 1 ? QUARTER_TURN : (position / (total + 1)) * QUARTER_TURN;
    const fadeOut = Math.cos(angle);
    const fadeIn = Math.sin(angle);
    for (let c = 0; c < channels; c++) {
      const i = f * channels + c;
      out[i] = outgoing[i] * fadeOut + incoming[i] * fadeIn;
    }
  }
  return Math.min(total, done + frames);
}
