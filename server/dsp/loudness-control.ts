/**
 * A slow loudness control, the last stage of a channel before it queues its audio. It measures the
 * channel's input over a window of seconds (BS.1770 K-weighting, 400 ms blocks every 100 ms, gated
 * like integrated loudness) and sets the gain to `target − measured`, moving it no faster than
 * `maxSlew` dB a second; a look-ahead limiter holds the peaks under `ceiling`. The limiter takes
 * loudness off peaky instruments (a piano's crest factor is ~20 dB), so the output is measured
 * too and what the limiter took over the window is added back to the gain.
 *
 *   input ─┬─► × gain (ramped per 100 ms) ─► Limiter(ceiling) ─┬─► output
 *          │        ▲                                           │
 *          └─ K ─► window loudness ─► target − input − (output − input − gain) = gain to aim for
 *
 * Slow on purpose: a window of ≥ 10 s and a slew of about 1 dB/s follow a change of instrument or
 * style within seconds but never pump with the music's own phrasing. Until 3 s have been measured
 * the gain moves at once to what is measured so far, so a channel starts near its target.
 * Pure DSP: in place, no I/O, no clock.
 */
import type { Decibels, GainFactor, Hz, Lufs, Seconds } from '../core/units.js';
import { dbToGain } from '../core/units.js';
import { KWeightingFilter } from './k-weighting.js';
import { Limiter } from './limiter.js';
import { ABSOLUTE_GATE, loudnessOf } from './loudness-histogram.js';
import { checkOption } from './option-check.js';

const HOP: Seconds = 0.1;
/** Hops per 400 ms gating block. */
const BLOCK_HOPS = 4;
const RELATIVE_GATE: Decibels = -10;
/** Seconds measured before the slew limit applies (enough blocks to gate). */
const SETTLE: Seconds = 3;
/** The gain never goes further than this from unity, so silence is never boosted into hiss. */
const MAX_GAIN: Decibels = 24;

export interface LoudnessControlOptions {
  sampleRate: Hz;
  channels: 1 | 2;
  /** Integrated loudness to play at. */
  target: Lufs;
  /** Largest sample let through (the limiter's ceiling), as a gain factor. */
  ceiling: GainFactor;
  /** Seconds of audio the loudness is measured over. */
  window: Seconds;
  /** Fastest the gain moves once settled (dB a second). */
  maxSlew: Decibels;
}

/** Mean squares of the last hops of one signal (a ring) and their gated loudness. */
class HopWindow {
  readonly #hops: Float64Array;
  readonly #sums: Float64Array;
  readonly #filter: KWeightingFilter;

  constructor(sampleRate: Hz, channels: number, hops: number) {
    this.#hops = new Float64Array(hops);
    this.#sums = new Float64Array(channels);
    this.#filter = new KWeightingFilter(sampleRate, channels);
  }

  add(pcm: Float32Array, frames: number): void {
    this.#filter.accumulateSquares(pcm, 0, frames, this.#sums);
  }

  /** Closes hop number `hop` of `hopFrames` frames. */
  endHop(hop: number, hopFrames: number): void {
    let sum = 0;
    for (let c = 0; c < this.#sums.length; c++) sum += this.#sums[c];
    this.#sums.fill(0);
    this.#hops[hop % this.#hops.length] = sum / hopFrames;
  }

  /** Gated loudness of the 400 ms blocks ending at hop `count` (exclusive), or undefined when none passes the gates. */
  loudness(count: number): Lufs | undefined {
    const hops = this.#hops;
    const available = Math.min(count, hops.length);
    const blocks: number[] = [];
    for (let end = count; end - BLOCK_HOPS >= count - available; end--) {
      let energy = 0;
      for (let h = end - BLOCK_HOPS; h < end; h++) energy += hops[h % hops.length];
      blocks.push(energy / BLOCK_HOPS);
    }
    const loud = blocks.filter((energy) => loudnessOf(energy) > ABSOLUTE_GATE);
    if (loud.length === 0) return undefined;
    const relative = loudnessOf(loud.reduce((a, b) => a + b, 0) / loud.length) + RELATIVE_GATE;
    const gated = loud.filter((energy) => loudnessOf(energy) > relative);
    return loudnessOf(gated.reduce((a, b) => a + b, 0) / gated.length);
  }
}

export class LoudnessControl {
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  target: Lufs;
  readonly #hopFrames: number;
  readonly #limiter: Limiter;
  readonly #maxStep: Decibels;
  readonly #input: HopWindow;
  readonly #output: HopWindow;
  /** The gain of each hop in the window (dB), a ring beside the energies. */
  readonly #gains: Float64Array;
  #hopCount = 0;
  #hopFilled = 0;
  #gain: Decibels = 0;
  #gainFactor: GainFactor = 1;

  constructor(options: LoudnessControlOptions) {
    const { sampleRate, channels, target, ceiling, window, maxSlew } = options;
    checkOption(window >= BLOCK_HOPS * HOP, 'LoudnessControl', 'window', window, `must be at least ${BLOCK_HOPS * HOP} s`);
    checkOption(maxSlew > 0, 'LoudnessControl', 'maxSlew', maxSlew, 'must be > 0 dB a second');
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.target = target;
    this.#hopFrames = Math.round(HOP * sampleRate);
    this.#limiter = new Limiter({ sampleRate, channels, ceiling });
    this.#maxStep = maxSlew * HOP;
    const hops = Math.round(window / HOP) + BLOCK_HOPS;
    this.#input = new HopWindow(sampleRate, channels, hops);
    this.#output = new HopWindow(sampleRate, channels, hops);
    this.#gains = new Float64Array(hops);
  }

  /** The gain applied now (dB). */
  get gain(): Decibels {
    return this.#gain;
  }

  /** Measures, turns and limits `pcm` (interleaved) in place. Splitting the input anywhere gives the same output. */
  process(pcm: Float32Array): void {
    const channels = this.channels;
    const frames = pcm.length / channels;
    let at = 0;
    while (at < frames) {
      const count = Math.min(frames - at, this.#hopFrames - this.#hopFilled);
      const piece = pcm.subarray(at * channels, (at + count) * channels);
      this.#input.add(piece, count);
      this.#applyGain(piece, count);
      this.#limiter.processInto(piece, piece, 0);
      this.#output.add(piece, count);
      this.#hopFilled += count;
      at += count;
      if (this.#hopFilled === this.#hopFrames) this.#endHop();
    }
  }

  /** Ramps from the gain the last hop ended on to the current one across this hop's frames. */
  #applyGain(piece: Float32Array, count: number): void {
    const channels = this.channels;
    const start = this.#gainFactor;
    const step = (dbToGain(this.#gain) - start) / (this.#hopFrames - this.#hopFilled);
    for (let f = 0; f < count; f++) {
      const gain = start + step * (f + 1);
      for (let c = 0; c < channels; c++) piece[f * channels + c] *= gain;
    }
    this.#gainFactor = start + step * count;
  }

  #endHop(): void {
    const hop = this.#hopCount++;
    this.#input.endHop(hop, this.#hopFrames);
    this.#output.endHop(hop, this.#hopFrames);
    this.#gains[hop % this.#gains.length] = this.#gain;
    this.#hopFilled = 0;
    if (this.#hopCount < BLOCK_HOPS) return;
    const input = this.#input.loudness(this.#hopCount);
    const output = this.#output.loudness(this.#hopCount);
    if (input === undefined || output === undefined) return;
    // What the limiter took: the output's loudness below the input's at the gains it had.
    const held = Math.min(this.#hopCount, this.#gains.length);
    let gains = 0;
    for (let i = 0; i < held; i++) gains += this.#gains[i];
    const limited = Math.min(0, output - input - gains / held);
    const wanted = Math.max(-MAX_GAIN, Math.min(MAX_GAIN, this.target - input - limited));
    const settled = this.#hopCount * HOP >= SETTLE;
    const step = settled ? this.#maxStep : Infinity;
    this.#gain += Math.max(-step, Math.min(step, wanted - this.#gain));
  }
}
