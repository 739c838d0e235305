import assert from 'node:assert/strict';
import test from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { PHRASE_VALUES, STYLES } from './piano-roll.js';
import { DEFAULT_SYMBOLIC_DIMS, initSymbolicWeights, parameterCount, symbolicCriticShapes, symbolicGeneratorShapes } from './symbolic-architecture.js';
import { leakyRelu, straightThroughBinarize, symbolicCritic, symbolicGenerator } from './symbolic-model.js';

await tf.setBackend('cpu');
const dims = { ...DEFAULT_SYMBOLIC_DIMS, phraseHidden: 16, barLatent: 8, barHidden: 16, stepHidden: 8, criticStep: 4, criticBar: 8, criticHidden: 8 };
const tensors = (shapes: Map<string, number[]>, seed: number) =>
  Object.fromEntries([...initSymbolicWeights(shapes, seed)].map(([name, w]) => [name, tf.tensor(w.data, w.shape)]));

test('the generator maps z and a style to one phrase of probabilities each; the critic scores each phrase', () => {
  const generator = tensors(symbolicGeneratorShapes(dims), 1);
  const critic = tensors(symbolicCriticShapes(dims), 2);
  const z = tf.randomNormal([3, dims.latentDim], 0, 1, 'float32', 4) as tf.Tensor2D;
  const style = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), STYLES.length).toFloat() as tf.Tensor2D;
  const rolls = symbolicGenerator(generator, z, style);
  assert.deepEqual(rolls.shape, [3, PHRASE_VALUES]);
  const values = rolls.dataSync();
  assert.ok(values.every((p) => p > 0 && p < 1));
  // The output bias starts the rolls sparse, near the corpus density, not at 50 %.
  let mean = 0;
  for (const p of values) mean += p / values.length;
  assert.ok(mean < 0.2, `mean probability ${mean}`);
  assert.deepEqual(symbolicCritic(critic, rolls, style).shape, [3, 1]);
});

test('the default generator is about as large as seed 2 (about 1 M parameters)', () => {
  const count = parameterCount(symbolicGeneratorShapes(DEFAULT_SYMBOLIC_DIMS));
  assert.ok(count > 0.8e6 && count < 1.5e6, `${count}`);
});

test('straight-through binarisation: 0/1 forward, identity gradient backward', () => {
  const p = tf.tensor2d([[0.2, 0.7, 0.5, 0.51]]);
  assert.deepEqual([...straightThroughBinarize(p).dataSync()], [0, 1, 0, 1]);
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(straightThroughBinarize(x as tf.Tensor2D), tf.tensor2d([[1, 2, 3, 4]]))))(p);
  assert.deepEqual([...gradient.dataSync()], [1, 2, 3, 4]);
});

test('leaky ReLU is 0.2x below zero and has a second-order gradient (for the gradient penalty)', () => {
  assert.deepEqual([...leakyRelu(tf.tensor2d([[-2, 0.5]])).dataSync()].map((v) => Math.round(v * 1e6) / 1e6), [-0.4, 0.5]);
  const second = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.square(leakyRelu(y as tf.Tensor2D))))(x)))(tf.tensor2d([[-1, 2]]));
  // d²/dx² of (leaky x)² is 2·slope²: 0.08 below zero, 2 above.
  assert.deepEqual([...second.dataSync()].map((v) => Math.round(v * 1e6) / 1e6), [0.08, 2]);
});
