/**
 * Power spectra of real frames: an iterative radix-2 complex FFT (Cooley–Tukey), twiddles and
 * bit-reversal table computed once per size. Small and fast enough for log-mel features (a 512-point
 * frame in a few microseconds); no dependency.
 */

export class PowerSpectrum {
  /** Frame length, a power of two. */
  readonly size: number;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #reversed: Uint32Array;
  readonly #real: Float64Array;
  readonly #imaginary: Float64Array;

  /** @param size - frame length, a power of two from 2 to 65536 */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 2 && size <= 65536 && (size & (size - 1)) === 0)) {
      throw new RangeError(`the FFT size must be a power of two from 2 to 65536, got ${size}`);
    }
    this.size = size;
    this.#cos = Float64Array.from({ length: size / 2 }, (_, k) => Math.cos((2 * Math.PI * k) / size));
    this.#sin = Float64Array.from({ length: size / 2 }, (_, k) => -Math.sin((2 * Math.PI * k) / size));
    const bits = Math.log2(size);
    this.#reversed = Uint32Array.from({ length: size }, (_, i) => {
      let reversed = 0;
      for (let b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b);
      return reversed;
    });
    this.#real = new Float64Array(size);
    this.#imaginary = new Float64Array(size);
  }

  /**
   * |X[k]|² for k = 0 … size/2 of the real `frame` (length `size`), into `out` (size/2 + 1 values).
   */
  compute(frame: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = this.size;
    const re = this.#real;
    const im = this.#imaginary;
    for (let i = 0; i < n; i++) {
      re[this.#reversed[i]] = frame[i];
      im[i] = 0;
    }
    for (let half = 1; half < n; half *= 2) {
      const stride = n / (2 * half);
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = this.#cos[k * stride];
          const wi = this.#sin[k * stride];
          const a = start + k;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    for (let k = 0; k <= n / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    return out;
  }
}
