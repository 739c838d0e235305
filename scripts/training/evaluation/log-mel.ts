/**
 * Log-mel spectrogram features of a clip, the space the evaluator measures distances in:
 *
 *   clip ─► frames of fftSize every hop (no padding) ─► Hann window ─► |FFT|² ─► mel bands
 *        ─► dB, floored ─► one vector: frame 0's bands, frame 1's bands, …
 *
 * Power is scaled so a full-scale sine centred on a bin reads 0 dB there (|X|² · 4 / (Σ window)²);
 * the floor (default −80 dB) keeps the silence after a drum hit from weighing more than the hit,
 * and sits above int16 rounding noise.
 */
import type { Decibels, Hz, Samples } from '../../../server/core/units.js';
import { PowerSpectrum } from './fft.js';
import { melFilterbank, type MelBand } from './mel-filterbank.js';

export interface LogMelOptions {
  sampleRate: Hz;
  /** @default 512 (32 ms at 16 kHz) */
  fftSize?: number;
  /** Samples between frames. @default 256 */
  hop?: Samples;
  /** @default 64 */
  bands?: number;
  /** @default -80 */
  floorDb?: Decibels;
}

/** Defaults of `LogMelExtractor`, written once. */
export const LOG_MEL_DEFAULTS = { fftSize: 512, hop: 256, bands: 64, floorDb: -80 as Decibels } as const;

export class LogMelExtractor {
  readonly sampleRate: Hz;
  readonly fftSize: number;
  readonly hop: Samples;
  readonly floorDb: Decibels;
  readonly bands: readonly MelBand[];
  readonly #window: Float64Array;
  readonly #spectrum: PowerSpectrum;
  readonly #frame: Float64Array;
  readonly #power: Float64Array;
  readonly #scale: number;

  constructor(options: LogMelOptions) {
    this.sampleRate = options.sampleRate;
    this.fftSize = options.fftSize ?? LOG_MEL_DEFAULTS.fftSize;
    this.hop = options.hop ?? LOG_MEL_DEFAULTS.hop;
    this.floorDb = options.floorDb ?? LOG_MEL_DEFAULTS.floorDb;
    if (!(Number.isInteger(this.hop) && this.hop >= 1)) throw new RangeError(`hop must be a whole number ≥ 1, got ${this.hop}`);
    this.#spectrum = new PowerSpectrum(this.fftSize);
    this.bands = melFilterbank({ sampleRate: this.sampleRate, fftSize: this.fftSize, bands: options.bands ?? LOG_MEL_DEFAULTS.bands });
    // Periodic Hann, the usual STFT window.
    this.#window = Float64Array.from({ length: this.fftSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / this.fftSize));
    const windowSum = this.#window.reduce((sum, w) => sum + w, 0);
    this.#scale = 4 / (windowSum * windowSum);
    this.#frame = new Float64Array(this.fftSize);
    this.#power = new Float64Array(this.fftSize / 2 + 1);
  }

  /** Frames in a clip of `clipSamples` (at least 1 frame: the clip must be ≥ fftSize). */
  frames(clipSamples: Samples): number {
    if (clipSamples < this.fftSize) throw new RangeError(`a clip of ${clipSamples} samples is shorter than the ${this.fftSize}-point FFT`);
    return 1 + Math.floor((clipSamples - this.fftSize) / this.hop);
  }

  /** Values per feature vector for clips of `clipSamples`. */
  dimensions(clipSamples: Samples): number {
    return this.frames(clipSamples) * this.bands.length;
  }

  /** The clip's log-mel spectrogram in dB, frames × bands, frame by frame. */
  features(clip: Float32Array): Float32Array {
    const frames = this.frames(clip.length);
    const bandCount = this.bands.length;
    const out = new Float32Array(frames * bandCount);
    const floorPower = 10 ** (this.floorDb / 10);
    for (let f = 0; f < frames; f++) {
      const start = f * this.hop;
      for (let i = 0; i < this.fftSize; i++) this.#frame[i] = clip[start + i] * this.#window[i];
      const power = this.#spectrum.compute(this.#frame, this.#power);
      for (let b = 0; b < bandCount; b++) {
        const { firstBin, weights } = this.bands[b];
        let energy = 0;
        for (let w = 0; w < weights.length; w++) energy += weights[w] * power[firstBin + w];
        out[f * bandCount + b] = 10 * Math.log10(Math.max(energy * this.#scale, floorPower));
      }
    }
    return out;
  }
}
