/**
 * Short-time Fourier transform of a clip, in decibels, for the training report's pictures and its
 * spectral distance: Hann window, radix-2 FFT, power in dB relative to a full-scale sine.
 * Pure functions over Float32Array.
 */
import type { Decibels, Samples } from '../../../server/core/units.js';
import { PowerSpectrum } from '../evaluation/fft.js';

/** Power spectra of successive frames: `db[frame · bins + bin]`, bin k at k·rate/frameSize Hz. */
export interface Spectrogram {
  frames: number;
  /** frameSize / 2 + 1: DC … Nyquist. */
  bins: number;
  db: Float32Array;
}

/** Levels below this are shown and compared as this (silence is −∞ dB). */
export const FLOOR_DB: Decibels = -100;

export interface SpectrogramOptions {
  /** Samples per frame, a power of 2. */
  frameSize?: Samples;
  /** Samples between frame starts. */
  hop?: Samples;
}

/**
 * @param [options.frameSize=256] @param [options.hop=128]
 * @example spectrogram(clip).db // 31 frames × 129 bins for 4096 samples
 */
export function spectrogram(signal: Float32Array, options: SpectrogramOptions = {}): Spectrogram {
  const { frameSize = 256, hop = 128 } = options;
  if (frameSize < 2 || (frameSize & (frameSize - 1)) !== 0) throw new RangeError(`frameSize must be a power of 2, got ${frameSize}`);
  const frames = Math.max(1, Math.floor((signal.length - frameSize) / hop) + 1);
  const bins = frameSize / 2 + 1;
  const window = Float32Array.from({ length: frameSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameSize));
  // A full-scale sine through this window peaks at (Σ window / 2)² in power: 0 dB.
  const reference = (window.reduce((sum, w) => sum + w, 0) / 2) ** 2;
  const spectrum = new PowerSpectrum(frameSize);
  const frame = new Float64Array(frameSize);
  const power = new Float64Array(bins);
  const db = new Float32Array(frames * bins);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < frameSize; i++) frame[i] = (signal[f * hop + i] ?? 0) * window[i];
    spectrum.compute(frame, power);
    for (let k = 0; k < bins; k++) db[f * bins + k] = Math.max(FLOOR_DB, 10 * Math.log10(power[k] / reference || 1e-30));
  }
  return { frames, bins, db };
}

/** The mean power spectrum of the clips over all frames, in dB (one value per bin). */
export function meanSpectrumDb(clips: readonly Float32Array[], options: SpectrogramOptions = {}): Float32Array {
  let sum: Float64Array | undefined;
  let count = 0;
  for (const clip of clips) {
    const { frames, bins, db } = spectrogram(clip, options);
    sum ??= new Float64Array(bins);
    for (let f = 0; f < frames; f++) for (let k = 0; k < bins; k++) sum[k] += 10 ** (db[f * bins + k] / 10);
    count += frames;
  }
  if (!sum) return new Float32Array(0);
  return Float32Array.from(sum, (power) => Math.max(FLOOR_DB, 10 * Math.log10(power / count || 1e-30)));
}

/**
 * How far apart two sets of clips sound on average: the RMS over frequency of the difference of
 * their mean spectra, in dB. 0 for the same sound; a trained generator should approach the
 * distance between two halves of the real data.
 */
export function spectralDistanceDb(a: readonly Float32Array[], b: readonly Float32Array[], options: SpectrogramOptions = {}): Decibels {
  const [sa, sb] = [meanSpectrumDb(a, options), meanSpectrumDb(b, options)];
  let sum = 0;
  for (let k = 0; k < sa.length; k++) sum += (sa[k] - sb[k]) ** 2;
  return Math.sqrt(sum / Math.max(1, sa.length));
}
