/**
 * What a channel plays while its generator cannot keep up (it threw, its worker died, it is
 * restarting): its own most recent audio again, looped, instead of silence. It keeps the last
 * `loopFrames` (+ one seam) of what was played; when a dry spell starts it takes that as a loop and
 * plays it round, joining the loop's end to its start with an equal-power crossfade, so the
 * repeat has no click. The playout blends into it and back out of it (`blendInto`). Pure DSP on
 * interleaved Float32Array; the caller passes the output buffer.
 *
 *   played audio ─► ring (last loop + seam) ──(dry)──► snapshot ─► loop ⟲ (seam crossfade) ─► out
 */
import type { Samples } from '../core/units.js';
import { equalPowerGains } from './crossfade.js';

export interface DryFillOptions {
  /** Interleaved channels. */
  channels: number;
  /** Frames of recent audio replayed (server.dryFill × sample rate). */
  loopFrames: Samples;
  /** Frames of the crossfade where the loop wraps round (one released frame). */
  seamFrames: Samples;
}

export class DryFill {
  readonly channels: number;
  readonly loopFrames: Samples;
  readonly seamFrames: Samples;
  /** The last loopFrames + seamFrames frames played, a ring; #written counts every frame ever recorded. */
  readonly #ring: Float32Array;
  #written = 0;
  /** The loop being played (oldest first): `seam` frames of pre-roll, then the loop itself. */
  #loop: Float32Array | undefined;
  #loopLength = 0; // frames in #loop after the pre-roll
  #seam = 0; // pre-roll frames of #loop
  #position = 0; // frame of #loop played next (seam … seam + loopLength − 1)

  constructor(options: DryFillOptions) {
    if (!(options.loopFrames > 0 && options.seamFrames > 0)) throw new RangeError('loopFrames and seamFrames must be positive');
    this.channels = options.channels;
    this.loopFrames = Math.round(options.loopFrames);
    this.seamFrames = Math.round(options.seamFrames);
    this.#ring = new Float32Array((this.loopFrames + this.seamFrames) * this.channels);
  }

  /** Keeps `pcm` (interleaved, just played) as the newest audio. */
  record(pcm: Float32Array): void {
    const { channels } = this;
    const capacity = this.#ring.length / channels;
    const frames = pcm.length / channels;
    const skip = Math.max(0, frames - capacity); // only the newest capacity frames matter
    for (let f = skip; f < frames; f++) {
      const at = ((this.#written + f) % capacity) * channels;
      for (let c = 0; c < channels; c++) this.#ring[at + c] = pcm[f * channels + c];
    }
    this.#written += frames;
  }

  /**
   * Takes the recent audio as the loop to play from now on. False when too little has been
   * played to make a loop (less than two seams' worth); nothing changes then.
   */
  start(): boolean {
    const { channels, seamFrames } = this;
    const capacity = this.#ring.length / channels;
    const held = Math.min(this.#written, capacity);
    if (held < 3 * seamFrames) return false;
    // The ring's oldest `held` frames, in order: at most two spans (before and after the wrap),
    // copied whole; a copy per frame made a subarray per frame, 10 % of the main thread when
    // 64 channels ran dry at once.
    const loop = new Float32Array(held * channels);
    const oldest = (this.#written - held) % capacity;
    const firstSpan = Math.min(held, capacity - oldest);
    loop.set(this.#ring.subarray(oldest * channels, (oldest + firstSpan) * channels), 0);
    if (firstSpan < held) loop.set(this.#ring.subarray(0, (held - firstSpan) * channels), firstSpan * channels);
    this.#loop = loop;
    this.#seam = seamFrames;
    this.#loopLength = held - seamFrames;
    this.#position = seamFrames;
    return true;
  }

  /** True between a successful `start()` and `stop()`. */
  get playing(): boolean {
    return this.#loop !== undefined;
  }

  /** Ends the loop (the channel has audio of its own again). */
  stop(): void {
    this.#loop = undefined;
  }

  /** Writes the loop's next `out.length / channels` frames into `out`, going round as often as needed. */
  next(out: Float32Array): Float32Array {
    const loop = this.#loop;
    if (!loop) throw new Error('DryFill.next() before start()');
    const { channels } = this;
    const seam = this.#seam;
    const end = seam + this.#loopLength; // one past the loop's last frame
    const frames = out.length / channels;
    for (let f = 0; f < frames; f++) {
      const p = this.#position;
      const intoSeam = p - (end - seam); // ≥ 0 in the loop's last `seam` frames
      if (intoSeam >= 0) {
        // The loop's end fades out while the audio just before its start (the pre-roll) fades in:
        // on wrapping, the loop's first frame follows the pre-roll's last, as it did when played.
        const { fadeIn, fadeOut } = equalPowerGains((intoSeam + 1) / (seam + 1));
        for (let c = 0; c < channels; c++) out[f * channels + c] = loop[p * channels + c] * fadeOut + loop[intoSeam * channels + c] * fadeIn;
      } else {
        for (let c = 0; c < channels; c++) out[f * channels + c] = loop[p * channels + c];
      }
      this.#position = p + 1 === end ? seam : p + 1;
    }
    return out;
  }
}

/**
 * Equal-power crossfade across one block, in place into `into`: from `from` (fading out) to
 * `into` (fading in). Both interleaved, the same length.
 */
export function blendInto(into: Float32Array, from: Float32Array, channels: number): Float32Array {
  const frames = into.length / channels;
  for (let f = 0; f < frames; f++) {
    const { fadeIn, fadeOut } = equalPowerGains((f + 1) / (frames + 1));
    for (let c = 0; c < channels; c++) into[f * channels + c] = into[f * channels + c] * fadeIn + from[f * channels + c] * fadeOut;
  }
  return into;
}
