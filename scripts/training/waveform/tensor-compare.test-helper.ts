/** What the convolution tests share: seeded test tensors, and how far one result is from a reference. */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../../server/core/seeded-random.js';

/** A tensor of `shape` with values uniform in [−1, 1], the same for the same seed. */
export function seeded(shape: number[], seed: number): tf.Tensor {
  const random = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1), shape);
}

/** max |a − b| / max |b|. */
export function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / tf.max(tf.abs(b)).dataSync()[0]);
}
