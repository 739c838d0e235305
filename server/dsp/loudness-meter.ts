/**
 * Loudness meter of ITU-R BS.1770-4 / EBU R128: momentary, short-term and integrated loudness,
 * loudness range (EBU Tech 3342), true peak and sample peak, for a stream of any length.
 *
 * Everything is built on 100 ms hops: the K-weighted energy of each hop goes into a ring of the
 * last 30, and at each hop's end the 400 ms block (4 hops, so blocks overlap by 75 %) and the 3 s
 * window (30 hops) are summed from the ring. Readings therefore move in 100 ms steps (EBU Tech
 * 3341 asks for at least 10 per second). Gated values come from histograms of block energies
 * (as libebur128 does) rather than a list of every block, so memory stays constant over days;
 * each bin keeps the exact energy sum of its blocks, so only the bin the relative gate falls in
 * is approximated.
 */
import { WavecastError } from '../core/errors.js';
import type { Decibels, Hz, Lufs, Seconds } from '../core/units.js';
import { KWeightingFilter } from './k-weighting.js';
import { EnergyHistogram, loudnessOf } from './loudness-histogram.js';
import { TruePeakDetector } from './true-peak.js';

const HOPS_PER_BLOCK = 4; // 400 ms
const HOPS_PER_SHORT_TERM = 30; // 3 s
const RELATIVE_GATE: Lufs = -10; // integrated loudness, BS.1770-4
const RANGE_RELATIVE_GATE: Lufs = -20; // loudness range, EBU Tech 3342
/**
 * A streaming loudness meter: push audio as it comes, read the meters at any time.
 *
 *  interleaved ─┬─► K-weighting ─► Σ x² per 100 ms hop ─► ring of the last 30 hops
 *               │                                            ├─ last 4 ──► momentary
 *               │                                            │     └─► block histogram ─► gates ─► integrated
 *               │                                            └─ all 30 ─► short-term, its maximum
 *               │                                                  └─► short-term histogram ─► loudness range
 *               └─► 4× interpolator (2× from 96 kHz) ─► largest |x| ─► true peak, sample peak
 *
 * @example
 * const meter = new LoudnessMeter({ sampleRate: 44100, channels: 2 });
 * meter.push(pcm); // as often as audio comes, in pieces of any size
 * meter.integrated; // e.g. -23.1
 */
export class LoudnessMeter {
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  /** Frames per 100 ms hop (the rate / 10, rounded: a 400 ms block is 4 of them). */
  readonly hopFrames: number;
  private readonly kWeighting: KWeightingFilter;
  private readonly peaks: TruePeakDetector | undefined;
  /** Per channel, Σ (K-weighted sample)² over the hop so far. */
  private readonly channelSums: Float64Array;
  /** Σ over channels of the hop sums of the last 30 hops (ring). */
  private readonly hopEnergies = new Float64Array(HOPS_PER_SHORT_TERM);
  private readonly blocks = new EnergyHistogram();
  private readonly shortTerms = new EnergyHistogram();
  private hopFill = 0;
  private hops = 0;
  private frames = 0;
  private momentaryLoudness: Lufs = -Infinity;
  private shortTermLoudness: Lufs = -Infinity;
  private loudestShortTerm: Lufs = -Infinity;

  /**
   * @param options.sampleRate - any rate from 8000 to 192000 Hz
   * @param options.channels - 1 (mono) or 2 (stereo, interleaved L R; both weighted 1.0)
   */
  /**
   * @param options.sampleRate 8000–192000 Hz
   * @param options.channels 1 or 2 (interleaved input)
   * @param [options.peaks=true] measure true and sample peaks (4× oversampling is most of the
   *   meter's cost: a live meter that only reports loudness leaves it off)
   */
  constructor(options: { sampleRate: Hz; channels: 1 | 2; peaks?: boolean }) {
    const { sampleRate, channels } = options;
    if (!(sampleRate >= 8000 && sampleRate <= 192000)) {
      throw new WavecastError('WAVECAST_ERR_CONFIG',
        `LoudnessMeter option "sampleRate" must be from 8000 to 192000 Hz (got ${String(sampleRate)})`);
    }
    if (channels !== 1 && channels !== 2) {
      throw new WavecastError('WAVECAST_ERR_CONFIG',
        `LoudnessMeter option "channels" must be 1 or 2 (got ${String(channels)})`);
    }
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.hopFrames = Math.round(sampleRate / 10);
    this.kWeighting = new KWeightingFilter(sampleRate, channels);
    this.peaks = options.peaks === false ? undefined : new TruePeakDetector(sampleRate, channels);
    this.channelSums = new Float64Array(channels);
  }

  /**
   * Adds interleaved frames. Pushing in pieces of any size gives the same readings, to the last
   * bit, as one push of the whole. Non-finite samples are measured as silence.
   */
  push(interleaved: Float32Array): void {
    if (interleaved.length % this.channels !== 0) {
      throw new WavecastError('WAVECAST_ERR_BAD_REQUEST',
        `LoudnessMeter: ${interleaved.length} samples are not whole ${this.channels}-channel frames`);
    }
    const frames = interleaved.length / this.channels;
    this.peaks?.push(interleaved);
    for (let frame = 0; frame < frames;) {
      const take = Math.min(frames - frame, this.hopFrames - this.hopFill);
      this.kWeighting.accumulateSquares(interleaved, frame, frame + take, this.channelSums);
      frame += take;
      this.hopFill += take;
      if (this.hopFill === this.hopFrames) this.endHop();
    }
    this.frames += frames;
  }

  /** Loudness of the last 400 ms (as of the last 100 ms boundary), LUFS; −∞ before 400 ms of audio. */
  get momentary(): Lufs {
    return this.momentaryLoudness;
  }

  /**
   * Loudness of the last 3 s (as of the last 100 ms boundary), LUFS; −∞ before 3 s of audio, so
   * that a reading always covers its whole window (a partial one would read low or jumpy).
   */
  get shortTerm(): Lufs {
    return this.shortTermLoudness;
  }

  /** The largest short-term loudness since start or reset, LUFS. */
  get shortTermMax(): Lufs {
    return this.loudestShortTerm;
  }

  /**
   * Integrated loudness since start or reset, LUFS: the mean energy of the 400 ms blocks (75 %
   * overlap) above −70 LUFS and above the mean of those minus 10 LU. −∞ when no block passes.
   */
  get integrated(): Lufs {
    return loudnessOf(this.blocks.gatedMean(RELATIVE_GATE));
  }

  /**
   * Loudness range (EBU Tech 3342), LU: the spread from the 10th to the 95th percentile of the
   * short-term loudness (10 per second) above −70 LUFS and above their mean minus 20 LU. 0 before
   * 3 s of audio.
   */
  get loudnessRange(): Lufs {
    return this.shortTerms.spread(RANGE_RELATIVE_GATE, 0.1, 0.95);
  }

  /** Largest true peak since start or reset, dBTP (BS.1770-4 Annex 2); −∞ for silence, NaN when peaks are off. */
  get truePeak(): Decibels {
    return this.peaks ? 20 * Math.log10(this.peaks.truePeak) : Number.NaN;
  }

  /** Largest absolute sample since start or reset, dBFS; −∞ for silence, NaN when peaks are off. */
  get samplePeak(): Decibels {
    return this.peaks ? 20 * Math.log10(this.peaks.samplePeak) : Number.NaN;
  }

  /** Seconds of audio measured since start or reset. */
  get seconds(): Seconds {
    return this.frames / this.sampleRate;
  }

  /** Forgets all audio, as when constructed. */
  reset(): void {
    this.kWeighting.reset();
    this.peaks?.reset();
    this.channelSums.fill(0);
    this.hopEnergies.fill(0);
    this.blocks.clear();
    this.shortTerms.clear();
    this.hopFill = 0;
    this.hops = 0;
    this.frames = 0;
    this.momentaryLoudness = -Infinity;
    this.shortTermLoudness = -Infinity;
    this.loudestShortTerm = -Infinity;
  }

  private endHop(): void {
    let energy = 0;
    for (let channel = 0; channel < this.channels; channel++) energy += this.channelSums[channel];
    this.channelSums.fill(0);
    this.hopEnergies[this.hops % HOPS_PER_SHORT_TERM] = energy;
    this.hops++;
    this.hopFill = 0;
    if (this.hops >= HOPS_PER_BLOCK) {
      const block = this.sumOfLastHops(HOPS_PER_BLOCK) / (HOPS_PER_BLOCK * this.hopFrames);
      this.momentaryLoudness = loudnessOf(block);
      this.blocks.add(block);
    }
    if (this.hops >= HOPS_PER_SHORT_TERM) {
      const window = this.sumOfLastHops(HOPS_PER_SHORT_TERM) / (HOPS_PER_SHORT_TERM * this.hopFrames);
      this.shortTermLoudness = loudnessOf(window);
      if (this.shortTermLoudness > this.loudestShortTerm) this.loudestShortTerm = this.shortTermLoudness;
      this.shortTerms.add(window);
    }
  }

  private sumOfLastHops(count: number): number {
    let sum = 0;
    for (let back = 1; back <= count; back++) sum += this.hopEnergies[(this.hops - back) % HOPS_PER_SHORT_TERM];
    return sum;
  }
}

/**
 * Measures a whole interleaved buffer at once, for tests and offline tools.
 *
 * @returns the integrated loudness (LUFS), the true peak (dBTP), the loudest short-term value
 *   (LUFS; −∞ under 3 s) and the loudness range (LU)
 */
export function measureLoudness(
  interleaved: Float32Array,
  sampleRate: Hz,
  channels: 1 | 2,
): { integrated: Lufs; truePeak: Decibels; shortTermMax: Lufs; loudnessRange: Lufs } {
  const meter = new LoudnessMeter({ sampleRate, channels });
  meter.push(interleaved);
  return {
    integrated: meter.integrated,
    truePeak: meter.truePeak,
    shortTermMax: meter.shortTermMax,
    loudnessRange: meter.loudnessRange,
  };
}
