/**
 * Packing a batch of latent vectors into one row-major [batch, latentDim] array, and splitting a
 * [batch, clipSamples] output into one clip per latent. Shared by every engine, so they all check
 * the same things and hand out clips that own their buffers (safe to keep, or to transfer to
 * another thread).
 */
import { WavecastError } from '../core/errors.js';

/** Copies the latents into one [batch, latentDim] array; every latent must have latentDim values. */
export function packLatents(latents: readonly Float32Array[], latentDim: number): Float32Array {
  const packed = new Float32Array(latents.length * latentDim);
  latents.forEach((latent, i) => {
    if (latent.length !== latentDim) {
      throw new WavecastError(
        'WAVECAST_ERR_ENGINE',
        `latent ${i} has ${latent.length} values, the model takes ${latentDim}`,
      );
    }
    packed.set(latent, i * latentDim);
  });
  return packed;
}

/** Copies each row of a [batch, clipSamples] array into its own Float32Array. */
export function splitClips(output: Float32Array, batch: number, clipSamples: number): Float32Array[] {
  if (output.length !== batch * clipSamples) {
    throw new WavecastError(
      'WAVECAST_ERR_ENGINE',
      `model returned ${output.length} samples for ${batch} clips of ${clipSamples}`,
    );
  }
  return Array.from({ length: batch }, (_, i) => output.slice(i * clipSamples, (i + 1) * clipSamples));
}

/** The error for using a generator before `initialize()` resolved (or after `dispose()`). */
export function notInitialized(engine: string): WavecastError {
  return new WavecastError('WAVECAST_ERR_ENGINE', `${engine} generator used before initialize() or after dispose()`);
}
