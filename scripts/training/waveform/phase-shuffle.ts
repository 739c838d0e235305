/**
 * Phase shuffle (WaveGAN, Donahue et al. 2019, §3.3): the critic's activations are shifted in
 * time by a random −n … n samples, the edge filled by reflection, so the critic cannot judge by
 * the generator's periodic upsampling artifacts. As in the paper's code, one shift per layer and
 * batch. Built from slice, reverse and concat: tf.mirrorPad's gradient drops the reflected part
 * (it only slices), and the gradient penalty needs second-order gradients through it.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * x shifted by `shift` samples along time: y[t] = x[t − shift], reflected at the edges.
 * @param x [batch, length, channels]
 * @param shift whole samples, |shift| < length
 * @example phaseShuffle(h, 2) // y[0] = x[2], y[1] = x[1], y[2] = x[0], y[3] = x[1], …
 */
export function phaseShuffle(x: tf.Tensor3D, shift: number): tf.Tensor3D {
  if (shift === 0) return x;
  return tf.tidy(() => {
    const [batch, length, channels] = x.shape;
    const k = Math.abs(shift);
    const part = (start: number, size: number) => tf.slice(x, [0, start, 0], [batch, size, channels]);
    return shift > 0
      ? tf.concat([tf.reverse(part(1, k), 1), part(0, length - k)], 1)
      : tf.concat([part(k, length - k), tf.reverse(part(length - k - 1, k), 1)], 1);
  });
}

/** A seeded source of shifts, uniform over −radius … radius. */
export function shiftSource(radius: number, random: () => number): () => number {
  return () => Math.floor(random() * (2 * radius + 1)) - radius;
}
