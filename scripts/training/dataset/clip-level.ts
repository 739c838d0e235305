/**
 * Levels of a training clip: its RMS in dBFS (to skip silent windows) and peak normalisation
 * (so quiet and loud sources train alike). Pure functions over Float32Array.
 */
import { dbToGain, type Decibels, type GainFactor } from '../../../server/core/units.js';

/**
 * RMS level in dB relative to full scale (a full-scale square wave is 0 dBFS, a full-scale sine
 * −3 dBFS); −Infinity for digital silence.
 *
 * @param [start=0] - first sample measured   @param [end=signal.length] - one past the last
 */
export function rmsDbfs(signal: Float32Array, start = 0, end = signal.length): Decibels {
  let sum = 0;
  for (let i = start; i < end; i++) sum += signal[i] * signal[i];
  const mean = end > start ? sum / (end - start) : 0;
  return mean > 0 ? 10 * Math.log10(mean) : -Infinity;
}

/** Largest absolute sample value. */
export function peakOf(signal: Float32Array): GainFactor {
  let peak = 0;
  for (let i = 0; i < signal.length; i++) peak = Math.max(peak, Math.abs(signal[i]));
  return peak;
}

/**
 * Scales `clip` in place so its peak is `target` dBFS; a silent clip is left as it is.
 *
 * @param [target=-1] - the peak after scaling, in dBFS (−1 dBFS leaves room for int16 rounding
 *   and a generator's tanh, which never quite reaches ±1)
 * @returns the gain applied
 */
export function normalisePeak(clip: Float32Array, target: Decibels = -1): GainFactor {
  const peak = peakOf(clip);
  if (peak === 0) return 1;
  const gain = dbToGain(target) / peak;
  for (let i = 0; i < clip.length; i++) clip[i] *= gain;
  return gain;
}
