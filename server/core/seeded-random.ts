/**
 * A small seeded PRNG (mulberry32) and Gaussian draws, so latent walks, weight initialisation and
 * test material are reproducible from a seed. Not for anything cryptographic.
 */

/** Returns a function yielding uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `out` with standard normal draws (Box–Muller) from `uniform`. */
export function fillGaussian(out: Float32Array, uniform: () => number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(uniform(), Number.EPSILON);
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
