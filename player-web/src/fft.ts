/**
 * A small radix-2 FFT for the panel's spectrogram: real input, magnitudes out. Tables are built
 * once per size; the caller owns the input and output buffers, so a frame allocates nothing.
 */

export class MagnitudeSpectrum {
  readonly size: number;
  readonly #real: Float32Array;
  readonly #imag: Float32Array;
  readonly #cos: Float32Array;
  readonly #sin: Float32Array;
  readonly #reversed: Uint32Array;
  /** Hann window, so a tone does not smear across the whole spectrum. */
  readonly #window: Float32Array;

  /** @param size a power of two (1024 is plenty for a display) */
  constructor(size: number) {
    if (!(size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two ≥ 2, got ${size}`);
    this.size = size;
    this.#real = new Float32Array(size);
    this.#imag = new Float32Array(size);
    this.#cos = new Float32Array(size / 2);
    this.#sin = new Float32Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.#cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.#sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    const bits = Math.log2(size);
    this.#reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.#reversed[i] = r;
    }
    this.#window = new Float32Array(size);
    for (let i = 0; i < size; i++) this.#window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  }

  /**
   * Writes |X[k]| / (size / 4) for k in [0, size / 2) into `out`, so a full-scale sine reads
   * about 1 (the Hann window halves the amplitude).
   * @param input `size` samples starting at `offset`
   */
  magnitudes(input: Float32Array, offset: number, out: Float32Array): void {
    const { size } = this;
    const real = this.#real;
    const imag = this.#imag;
    for (let i = 0; i < size; i++) {
      const j = this.#reversed[i];
      real[j] = input[offset + i] * this.#window[i];
      imag[j] = 0;
    }
    for (let half = 1; half < size; half *= 2) {
      const step = size / (half * 2);
      for (let start = 0; start < size; start += half * 2) {
        for (let k = 0; k < half; k++) {
          const cos = this.#cos[k * step];
          const sin = this.#sin[k * step];
          const a = start + k;
          const b = a + half;
          const tr = real[b] * cos - imag[b] * sin;
          const ti = real[b] * sin + imag[b] * cos;
          real[b] = real[a] - tr;
          imag[b] = imag[a] - ti;
          real[a] += tr;
          imag[a] += ti;
        }
      }
    }
    const scale = 4 / size;
    for (let k = 0; k < size / 2; k++) out[k] = Math.hypot(real[k], imag[k]) * scale;
  }
}
