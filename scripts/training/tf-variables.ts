/**
 * Named weights ↔ tf.variables, for the trainers: the forward passes take a record of tensors by
 * name, and a checkpoint or a training state stores them the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../server/families/model.js';

let variableSets = 0;

/** Trainable variables named after the weights (unique per call: tfjs refuses two variables of one name). */
export function toVariables(weights: Map<string, NamedTensor>, prefix: string): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  const unique = `${prefix}${variableSets++}`;
  for (const [name, { shape, data }] of weights) variables[name] = tf.variable(tf.tensor(data, shape), true, `${unique}/${name}`);
  return variables;
}

/** The values of the tensor `compute` makes (its intermediates freed, the tensor too). */
export function computeValues(compute: () => tf.Tensor): Float32Array {
  const out = tf.tidy(compute);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/** The variables' current values, copied out. */
export function readVariables(variables: Record<string, tf.Variable>): Map<string, NamedTensor> {
  return new Map(Object.entries(variables).map(([name, v]) => [name, { shape: v.shape.slice(), data: v.dataSync().slice() as Float32Array }]));
}
