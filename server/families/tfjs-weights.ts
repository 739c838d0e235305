/**
 * Stored weights as tfjs tensors, for any family's forward pass. Imported only where tfjs runs
 * (the tfjs engine, trainers, tests), so the server's main thread never loads tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedWeights } from './model.js';

/**
 * The weights as tfjs constants keyed by name. The caller owns them: dispose with
 * `tf.dispose(Object.values(tensors))`.
 */
export function constantTensors(weights: NamedWeights): Record<string, tf.Tensor> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, { shape, data }] of weights) tensors[name] = tf.tensor(data, shape, 'float32');
  return tensors;
}
