/**
 * Streaming look-ahead peak limiter: the last stage before the encoder, so the stream never clips.
 *
 * The output is the input delayed by the lookahead, times a gain that is already low when a peak
 * comes out. Per frame (gain linked across channels):
 *   1. required gain  = ceiling / peak of the frame (1 when the frame is under the ceiling)
 *   2. held           = minimum of the required gains over the lookahead window (lookahead + 1 frames)
 *   3. envelope       = held when lower (instant attack), else recovers towards it (release)
 *   4. gain           = mean of the envelope over the same window (a linear ramp into each peak)
 * Every envelope value in the window that averages into a frame's gain is ≤ that frame's required
 * gain, so |out| ≤ ceiling holds for every sample, not just on average; and because the gain is a
 * window mean of values in [0, 1], it never moves by more than 1 / (lookahead + 1) per frame.
 */
import { WavecastError } from '../core/errors.js';
import type { GainFactor, Hz, Samples, Seconds } from '../core/units.js';
import { checkOption } from './option-check.js';

/** The limiter's defaults, written once (the channel mixer shares them). */
export const LIMITER_DEFAULTS = {
  ceiling: 0.98 as GainFactor,
  lookahead: 0.005 as Seconds,
  release: 0.1 as Seconds,
} as const;

export interface LimiterOptions {
  /** Frame rate of the audio (hertz). */
  sampleRate: Hz;
  /** Interleaved channels per frame. */
  channels?: number;
  /** Largest absolute sample value let through. */
  ceiling?: GainFactor;
  /** How far ahead peaks are seen; the output is delayed by this much. */
  lookahead?: Seconds;
  /** Time constant of the gain's recovery after a peak (to 63 % of the way back). */
  release?: Seconds;
}

export class Limiter {
  readonly channels: number;
  /** Largest absolute output sample: the option's ceiling, lowered to the nearest float32 at or below it. */
  readonly ceiling: GainFactor;
  /** Output delay in frames (the lookahead rounded to whole frames). */
  readonly latency: Samples;
  private readonly windowFrames: number;
  private readonly releaseCoefficient: number;
  /** Ring of the last `latency + 1` input frames, interleaved. */
  private readonly delayLine: Float32Array;
  /** Monotonic deque (ring) of (frame, required gain): the front holds the window's minimum. */
  private readonly minimumFrames: Float64Array;
  private readonly minimumGains: Float64Array;
  private minimumFront = 0;
  private minimumCount = 0;
  /** The envelope's last `windowFrames` values and their sum, for the moving mean. */
  private readonly envelopeWindow: Float64Array;
  private envelopeSum: number;
  private envelope = 1;
  private position = 0;
  private frame = 0;
  private lastGain: GainFactor = 1;

  /**
   * @param options.sampleRate - frame rate in hertz, > 0
   * @param [options.channels=1] - interleaved channels, a whole number ≥ 1
   * @param [options.ceiling=0.98] - peak ceiling, in (0, 1]
   * @param [options.lookahead=0.005] - look-ahead (and output delay) in seconds, ≥ 0
   * @param [options.release=0.1] - release time constant in seconds, ≥ 0
   */
  constructor(options: LimiterOptions) {
    const {
      sampleRate,
      channels = 1,
      ceiling = LIMITER_DEFAULTS.ceiling,
      lookahead = LIMITER_DEFAULTS.lookahead,
      release = LIMITER_DEFAULTS.release,
    } = options;
    checkOption(Number.isFinite(sampleRate) && sampleRate > 0, 'Limiter', 'sampleRate', sampleRate,
      'must be a positive number of hertz');
    checkOption(Number.isInteger(channels) && channels >= 1, 'Limiter', 'channels', channels,
      'must be a whole number ≥ 1');
    checkOption(ceiling > 0 && ceiling <= 1, 'Limiter', 'ceiling', ceiling, 'must be in (0, 1]');
    checkOption(Number.isFinite(lookahead) && lookahead >= 0 && lookahead <= 1, 'Limiter', 'lookahead',
      lookahead, 'must be from 0 to 1 second');
    checkOption(Number.isFinite(release) && release >= 0, 'Limiter', 'release', release,
      'must be a number of seconds ≥ 0');
    this.channels = channels;
    this.ceiling = largestFloat32AtMost(ceiling);
    this.latency = Math.round(lookahead * sampleRate);
    this.windowFrames = this.latency + 1;
    this.releaseCoefficient = release > 0 ? Math.exp(-1 / (release * sampleRate)) : 0;
    this.delayLine = new Float32Array(this.windowFrames * channels);
    this.minimumFrames = new Float64Array(this.windowFrames);
    this.minimumGains = new Float64Array(this.windowFrames);
    this.envelopeWindow = new Float64Array(this.windowFrames).fill(1);
    this.envelopeSum = this.windowFrames;
  }

  /** The gain applied to the last frame output (1 = no limiting). */
  get gain(): GainFactor {
    return this.lastGain;
  }

  /**
   * Limits the next interleaved frames.
   *
   * @returns a new array holding as many samples as `input`: the frames `latency` frames ago, limited
   */
  process(input: Float32Array): Float32Array {
    const out = new Float32Array(input.length);
    this.processInto(input, out);
    return out;
  }

  /**
   * As `process`, writing into a caller's buffer.
   *
   * @param out - receives `input.length` samples from `outOffset`; may be `input` itself when
   *   `outOffset` is 0 (in place)
   * @param [outOffset=0] - first index written in `out`
   */
  processInto(input: Float32Array, out: Float32Array, outOffset: Samples = 0): void {
    const channels = this.channels;
    if (input.length % channels !== 0 || outOffset < 0 || out.length - outOffset < input.length) {
      throw new WavecastError(
        'WAVECAST_ERR_BAD_REQUEST',
        `Limiter: input of ${input.length} samples must hold whole ${channels}-channel frames, ` +
          `and out from offset ${outOffset} must hold as many`,
      );
    }
    const frames = input.length / channels;
    const windowFrames = this.windowFrames;
    const ceiling = this.ceiling;
    const release = this.releaseCoefficient;
    const delayLine = this.delayLine;
    const minimumFrames = this.minimumFrames;
    const minimumGains = this.minimumGains;
    const envelopeWindow = this.envelopeWindow;
    let { minimumFront, minimumCount, envelopeSum, envelope, position, frame } = this;
    let gain = this.lastGain;
    for (let f = 0; f < frames; f++, frame++) {
      const inBase = f * channels;
      const slot = position * channels;
      let peak = 0;
      for (let c = 0; c < channels; c++) {
        const sample = input[inBase + c];
        const magnitude = sample < 0 ? -sample : sample;
        if (magnitude > peak) peak = magnitude;
      }
      const required = peak > ceiling ? ceiling / peak : 1;

      // Running minimum over the window: expire the entry that leaves it, drop entries no lower than
      // the new one (they can never be the minimum again), then append the new one.
      // (Ring indices wrap by one subtraction: they never reach twice the window.)
      if (minimumCount > 0 && minimumFrames[minimumFront] <= frame - windowFrames) {
        minimumFront = minimumFront + 1 === windowFrames ? 0 : minimumFront + 1;
        minimumCount--;
      }
      let tail = minimumFront + minimumCount;
      if (tail >= windowFrames) tail -= windowFrames;
      while (minimumCount > 0) {
        const back = tail === 0 ? windowFrames - 1 : tail - 1;
        if (minimumGains[back] < required) break;
        tail = back;
        minimumCount--;
      }
      minimumFrames[tail] = frame;
      minimumGains[tail] = required;
      minimumCount++;
      const held = minimumGains[minimumFront];

      envelope = held < envelope ? held : held + (envelope - held) * release;
      envelopeSum += envelope - envelopeWindow[position];
      envelopeWindow[position] = envelope;
      gain = envelopeSum / windowFrames;

      // Store the new frame first (so `out` may be `input`), then read the one from `latency` frames
      // ago: it sits in the next slot of the (latency + 1)-frame ring.
      for (let c = 0; c < channels; c++) delayLine[slot + c] = input[inBase + c];
      const delayed = position + 1 === windowFrames ? 0 : slot + channels;
      const outBase = outOffset + inBase;
      for (let c = 0; c < channels; c++) {
        let value = delayLine[delayed + c] * gain;
        // Guards against rounding only (the gain already keeps |value| ≤ ceiling to within an ulp),
        // and against NaN from upstream, which would pass every comparison.
        if (value > ceiling) value = ceiling;
        else if (value < -ceiling) value = -ceiling;
        else if (value !== value) value = 0;
        out[outBase + c] = value;
      }

      position++;
      if (position === windowFrames) {
        position = 0;
        // Re-add the window from scratch once per lap, so the running sum cannot drift over days.
        envelopeSum = 0;
        for (let i = 0; i < windowFrames; i++) envelopeSum += envelopeWindow[i];
      }
    }
    this.minimumFront = minimumFront;
    this.minimumCount = minimumCount;
    this.envelopeSum = envelopeSum;
    this.envelope = envelope;
    this.position = position;
    this.frame = frame;
    this.lastGain = gain;
  }
}

/**
 * Samples are stored as float32, and 0.98 rounds up to 0.98000001…: the limiter aims at the largest
 * float32 that is not above the ceiling, so the stored samples keep it too.
 */
function largestFloat32AtMost(value: number): number {
  const single = new Float32Array([value]);
  if (single[0] > value) new Uint32Array(single.buffer)[0] -= 1; // positive floats order like their bits
  return single[0];
}
