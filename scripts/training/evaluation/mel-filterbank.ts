/**
 * A mel filterbank: triangles evenly spaced on the mel scale, applied to a power spectrum.
 *
 * The scale is Slaney's (librosa's default, the Auditory Toolbox's): linear below 1 kHz (3 bands per
 * 200 Hz), logarithmic above. Its low bands stay wider than an FFT bin at 512 points and 16 kHz
 * (46 Hz against 31 Hz for 64 bands), so no band is empty, which HTK's scale cannot promise there.
 * Each triangle peaks at 1 (no area normalisation), so a sine's power reads the same in any band.
 */
import type { Hz } from '../../../server/core/units.js';

const LINEAR_HZ_PER_MEL = 200 / 3;
const LOG_START_HZ = 1000;
const LOG_START_MEL = LOG_START_HZ / LINEAR_HZ_PER_MEL; // 15
const LOG_STEP = Math.log(6.4) / 27;

/** Hertz → mel (Slaney). */
export function hzToMel(frequency: Hz): number {
  return frequency < LOG_START_HZ ? frequency / LINEAR_HZ_PER_MEL : LOG_START_MEL + Math.log(frequency / LOG_START_HZ) / LOG_STEP;
}

/** Mel → hertz (Slaney). */
export function melToHz(mel: number): Hz {
  return mel < LOG_START_MEL ? mel * LINEAR_HZ_PER_MEL : LOG_START_HZ * Math.exp(LOG_STEP * (mel - LOG_START_MEL));
}

export interface MelFilterbankOptions {
  sampleRate: Hz;
  /** FFT length the spectra come from (they have fftSize/2 + 1 bins). */
  fftSize: number;
  /** Number of bands. */
  bands: number;
  /** Lowest and highest band edge. @default 0, sampleRate / 2 */
  minFrequency?: Hz;
  maxFrequency?: Hz;
}

/** One band: the first FFT bin it weighs and the weights from there. */
export interface MelBand {
  readonly centre: Hz;
  readonly firstBin: number;
  readonly weights: Float64Array;
}

/** The filterbank's bands, lowest first. @throws RangeError for a band no FFT bin falls in */
export function melFilterbank(options: MelFilterbankOptions): MelBand[] {
  const { sampleRate, fftSize, bands } = options;
  const low = hzToMel(options.minFrequency ?? 0);
  const high = hzToMel(options.maxFrequency ?? sampleRate / 2);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(low + ((high - low) * i) / (bands + 1)));
  const binHz = sampleRate / fftSize;
  return Array.from({ length: bands }, (_, b) => {
    const [left, centre, right] = [edges[b], edges[b + 1], edges[b + 2]];
    const firstBin = Math.ceil(left / binHz);
    const lastBin = Math.min(fftSize / 2, Math.floor(right / binHz));
    const weights = new Float64Array(Math.max(0, lastBin - firstBin + 1));
    for (let bin = firstBin; bin <= lastBin; bin++) {
      const frequency = bin * binHz;
      weights[bin - firstBin] = Math.max(0, frequency <= centre ? (frequency - left) / (centre - left) : (right - frequency) / (right - centre));
    }
    if (!weights.some((weight) => weight > 0)) {
      throw new RangeError(`mel band ${b} (${left.toFixed(0)}–${right.toFixed(0)} Hz) holds no FFT bin: use fewer bands or a longer FFT`);
    }
    return { centre, firstBin, weights };
  });
}
