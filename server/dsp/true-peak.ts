/**
 * True-peak detection of ITU-R BS.1770-4 Annex 2: the peak of the continuous waveform between the
 * samples, which a DAC or a lossy decoder reconstructs and which can clip though no sample does.
 *
 * The signal is oversampled with the Annex's 48-tap interpolator (4 phases × 12 taps), taking the
 * largest magnitude of the interpolated points and of the samples themselves (the interpolator's
 * points fall between the samples, never on them, so a lone full-scale sample would otherwise
 * read low). Below 96 kHz all four phases run (4× oversampling); from 96 kHz two of them, evenly
 * spaced (2×, which the Annex calls enough there): the same filter, half the work.
 */
import type { Hz } from '../core/units.js';

/**
 * BS.1770-4 Annex 2, table 1: interpolated point p is Σ_k PHASES[p][k] · x[n − k]. The whole filter is
 * symmetric, so phase 3 is phase 0 reversed and phase 2 is phase 1 reversed.
 */
const PHASES = [
  [
    0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625,
    0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125,
  ],
  [
    -0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.166503906250, 0.465087890625,
    0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375,
  ],
  [
    -0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625,
    0.465087890625, -0.166503906250, 0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875,
  ],
  [
    -0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875,
    0.1373291015625, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125, 0.001708984375,
  ],
];
const TAPS = 12;
const HISTORY = TAPS - 1;
/** Frames deinterleaved at a time: bounds the scratch buffer whatever the size of a push. */
const CHUNK_FRAMES = 4096;
/** From this rate on, 2× oversampling is enough. */
const TWO_TIMES_FROM: Hz = 96000;

/** Running sample peak and true peak (linear, all channels together) of interleaved audio. */
export class TruePeakDetector {
  readonly channels: number;
  /** 4 below 96 kHz, else 2. */
  readonly oversampling: 2 | 4;
  /** Taps of the phases in use, phase after phase, reversed so tap j multiplies window[j]. */
  private readonly taps: Float64Array;
  /** Per channel, the last HISTORY samples (oldest first). */
  private readonly history: Float32Array;
  /** One channel's history followed by up to CHUNK_FRAMES of its samples. */
  private readonly window = new Float32Array(HISTORY + CHUNK_FRAMES);
  private largestSample = 0;
  private largestInterpolated = 0;

  constructor(sampleRate: Hz, channels: number) {
    this.channels = channels;
    this.oversampling = sampleRate >= TWO_TIMES_FROM ? 2 : 4;
    const phases = this.oversampling === 4 ? PHASES : [PHASES[0], PHASES[2]];
    this.taps = Float64Array.from(phases.flatMap((phase) => [...phase].reverse()));
    this.history = new Float32Array(channels * HISTORY);
  }

  /** Largest absolute sample value since start or reset. */
  get samplePeak(): number {
    return this.largestSample;
  }

  /** Largest absolute value of the oversampled signal since start or reset. */
  get truePeak(): number {
    return Math.max(this.largestSample, this.largestInterpolated);
  }

  /**
   * Takes in more interleaved frames. The interpolated points up to about 6 samples before the
   * last frame are measured; the rest wait for the samples that follow them (a sample peak at
   * the very end is still counted, through the sample peak).
   */
  push(interleaved: Float32Array): void {
    const frames = interleaved.length / this.channels;
    for (let from = 0; from < frames; from += CHUNK_FRAMES) {
      const to = Math.min(frames, from + CHUNK_FRAMES);
      for (let channel = 0; channel < this.channels; channel++) this.scan(interleaved, channel, from, to);
    }
  }

  /** Back to silence, as when constructed. */
  reset(): void {
    this.history.fill(0);
    this.largestSample = 0;
    this.largestInterpolated = 0;
  }

  private scan(interleaved: Float32Array, channel: number, fromFrame: number, toFrame: number): void {
    const channels = this.channels;
    const window = this.window;
    const historyAt = channel * HISTORY;
    window.set(this.history.subarray(historyAt, historyAt + HISTORY));
    let largestSample = this.largestSample;
    let at = HISTORY;
    for (let i = fromFrame * channels + channel, end = toFrame * channels; i < end; i += channels, at++) {
      let x = interleaved[i];
      if (x - x !== 0) x = 0; // NaN and ±Infinity count as silence, as in the loudness
      window[at] = x;
      const magnitude = x < 0 ? -x : x;
      if (magnitude > largestSample) largestSample = magnitude;
    }
    this.largestSample = largestSample;
    this.history.set(window.subarray(at - HISTORY, at), historyAt);
    this.largestInterpolated = this.oversampling === 4
      ? Math.max(this.largestInterpolated, largestOf4(window, at, this.taps))
      : Math.max(this.largestInterpolated, largestOf2(window, at, this.taps));
  }
}

/** Largest |interpolated point| of all four phases for the windows ending at HISTORY … end − 1. */
function largestOf4(window: Float32Array, end: number, taps: Float64Array): number {
  let largest = 0;
  for (let n = 0; n + HISTORY < end; n++) {
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let j = 0; j < TAPS; j++) {
      const x = window[n + j];
      p0 += taps[j] * x;
      p1 += taps[TAPS + j] * x;
      p2 += taps[2 * TAPS + j] * x;
      p3 += taps[3 * TAPS + j] * x;
    }
    const top = Math.max(p0, p1, p2, p3, -Math.min(p0, p1, p2, p3));
    if (top > largest) largest = top;
  }
  return largest;
}

/** As `largestOf4` with two phases (2× oversampling). */
function largestOf2(window: Float32Array, end: number, taps: Float64Array): number {
  let largest = 0;
  for (let n = 0; n + HISTORY < end; n++) {
    let p0 = 0;
    let p1 = 0;
    for (let j = 0; j < TAPS; j++) {
      const x = window[n + j];
      p0 += taps[j] * x;
      p1 += taps[TAPS + j] * x;
    }
    const top = Math.max(p0, p1, -p0, -p1);
    if (top > largest) largest = top;
  }
  return largest;
}
