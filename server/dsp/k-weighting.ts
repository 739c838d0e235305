/**
 * K-weighting of ITU-R BS.1770-4: the ear-shaped pre-filter before every loudness measurement.
 *
 * Two biquads in series, designed for the actual sample rate from their analog prototype (the
 * bilinear transform with pre-warping, as libebur128 and ffmpeg's ebur128 filter do), so that at
 * 48 kHz the coefficients are the ones printed in BS.1770-4 table 1 and at 44.1 kHz no resampling
 * is needed:
 *   1. a high shelf, about +4 dB above 1.7 kHz (the head's acoustic effect)
 *   2. the RLB high pass at 38 Hz (revised low-frequency B-curve)
 * The meter needs the filtered signal's energy only, so the filter adds squares into running sums
 * instead of writing the filtered samples out.
 */
import type { Hz } from '../core/units.js';

/** A biquad, normalised so a0 = 1: y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] − a1 y[n-1] − a2 y[n-2]. */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two stages of the K-weighting filter. */
export interface KWeightingCoefficients {
  shelf: BiquadCoefficients;
  highPass: BiquadCoefficients;
}

// The analog prototypes, as fitted by libebur128 to the 48 kHz coefficients of BS.1770-4.
const SHELF_FREQUENCY = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const SHELF_BANDWIDTH_EXPONENT = 0.4996667741545416;
const HIGH_PASS_FREQUENCY = 38.13547087602444;
const HIGH_PASS_Q = 0.5003270373238773;

/**
 * The K-weighting coefficients for a sample rate.
 *
 * @example kWeightingCoefficients(48000).shelf.b0 // 1.53512485958697, as in BS.1770-4 table 1
 */
export function kWeightingCoefficients(sampleRate: Hz): KWeightingCoefficients {
  let k = Math.tan((Math.PI * SHELF_FREQUENCY) / sampleRate);
  const highGain = Math.pow(10, SHELF_GAIN_DB / 20);
  const bandGain = Math.pow(highGain, SHELF_BANDWIDTH_EXPONENT);
  let a0 = 1 + k / SHELF_Q + k * k;
  const shelf = {
    b0: (highGain + (bandGain * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - highGain)) / a0,
    b2: (highGain - (bandGain * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
  k = Math.tan((Math.PI * HIGH_PASS_FREQUENCY) / sampleRate);
  a0 = 1 + k / HIGH_PASS_Q + k * k;
  // The numerator stays 1, −2, 1 (not divided by a0): that is how BS.1770-4 prints it, and the
  // −0.691 dB in the loudness formula is calibrated against exactly this gain.
  const highPass = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / HIGH_PASS_Q + k * k) / a0,
  };
  return { shelf, highPass };
}

/**
 * The K-weighting filter for interleaved audio, one state per channel, in float64 (the 38 Hz pole
 * sits close to z = 1, where float32 state would add audible noise to the energy of quiet input).
 */
export class KWeightingFilter {
  readonly channels: number;
  private readonly coefficients: KWeightingCoefficients;
  /** Per channel: shelf x1, x2, y1, y2, then high pass y1, y2 (its input is the shelf's output). */
  private readonly state: Float64Array;

  constructor(sampleRate: Hz, channels: number) {
    this.channels = channels;
    this.coefficients = kWeightingCoefficients(sampleRate);
    this.state = new Float64Array(channels * STATE_PER_CHANNEL);
  }

  /**
   * Filters frames `[fromFrame, toFrame)` of `interleaved` and adds each channel's squared output
   * to `sums[channel]`, sample by sample in order, so that splitting the input anywhere gives the
   * same sums to the last bit. Non-finite samples are filtered as silence: one NaN would
   * otherwise poison the state, and every later reading, for good.
   */
  accumulateSquares(interleaved: Float32Array, fromFrame: number, toFrame: number, sums: Float64Array): void {
    const { shelf, highPass } = this.coefficients;
    const { b0, b1, b2, a1, a2 } = shelf;
    const h1 = highPass.a1;
    const h2 = highPass.a2;
    const channels = this.channels;
    const state = this.state;
    for (let channel = 0; channel < channels; channel++) {
      const at = channel * STATE_PER_CHANNEL;
      let x1 = state[at];
      let x2 = state[at + 1];
      let y1 = state[at + 2];
      let y2 = state[at + 3];
      let z1 = state[at + 4];
      let z2 = state[at + 5];
      let sum = sums[channel];
      const end = toFrame * channels;
      for (let i = fromFrame * channels + channel; i < end; i += channels) {
        let x = interleaved[i];
        if (x - x !== 0) x = 0; // NaN and ±Infinity
        const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        // High pass with numerator 1, −2, 1 on the shelf's output.
        const z = y - 2 * y1 + y2 - h1 * z1 - h2 * z2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        z2 = z1;
        z1 = z;
        sum += z * z;
      }
      state[at] = x1;
      state[at + 1] = x2;
      state[at + 2] = y1;
      state[at + 3] = y2;
      state[at + 4] = z1;
      state[at + 5] = z2;
      sums[channel] = sum;
    }
  }

  /** Back to silence, as when constructed. */
  reset(): void {
    this.state.fill(0);
  }
}

const STATE_PER_CHANNEL = 6;
