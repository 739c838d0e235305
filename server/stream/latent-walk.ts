/**
 * A channel's path through the generator's latent space. Consecutive clips come from nearby
 * latents, so the music evolves instead of jumping: the walk moves along great-circle arcs
 * (spherical interpolation) between random Gaussian anchor points, which keeps every latent at
 * the norm the generator saw in training (linear interpolation would shrink it mid-way).
 */
import { fillGaussian, mulberry32 } from '../core/seeded-random.js';

export interface LatentWalkOptions {
  /** Length of each latent vector. */
  dim: number;
  /** Fraction of the way to the next anchor covered per clip (0 holds still, 1 jumps every clip). */
  variation: number;
  /** Seed of the walk; omit for a random one. */
  seed?: number;
}

/**
 * Spherical interpolation between `a` and `b` at `t` in [0, 1], written into `out`.
 * Falls back to linear interpolation when the vectors are nearly parallel (the arc is a line).
 */
export function slerp(a: Float32Array, b: Float32Array, t: number, out: Float32Array): Float32Array {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  const cosOmega = Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB || 1)));
  const omega = Math.acos(cosOmega);
  const sinOmega = Math.sin(omega);
  const [wa, wb] = sinOmega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / sinOmega, Math.sin(t * omega) / sinOmega];
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

export class LatentWalk {
  readonly dim: number;
  #variation: number;
  #uniform: () => number;
  #from: Float32Array;
  #to: Float32Array;
  #t = 0;

  /**
   * @param options.dim latent length (WaveGAN: 100)
   * @param options.variation step per clip in [0, 1]
   * @param [options.seed=random] seed of the walk
   */
  constructor(options: LatentWalkOptions) {
    this.dim = options.dim;
    this.#variation = clampVariation(options.variation);
    this.#uniform = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.#from = fillGaussian(new Float32Array(this.dim), this.#uniform);
    this.#to = fillGaussian(new Float32Array(this.dim), this.#uniform);
  }

  get variation(): number {
    return this.#variation;
  }

  /** Changes the speed of the walk from the next clip on. */
  set variation(value: number) {
    this.#variation = clampVariation(value);
  }

  /** The latent of the next clip (a fresh array the caller may keep or transfer). */
  next(): Float32Array {
    const out = slerp(this.#from, this.#to, this.#t, new Float32Array(this.dim));
    this.#t += this.#variation;
    while (this.#t >= 1) {
      // Reached the anchor: it becomes the start of the next arc towards a new random point.
      this.#t -= 1;
      this.#from = this.#to;
      this.#to = fillGaussian(new Float32Array(this.dim), this.#uniform);
    }
    return out;
  }
}

function clampVariation(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`variation must be a number in [0, 1], got ${value}`);
  return Math.min(1, Math.max(0, value));
}
