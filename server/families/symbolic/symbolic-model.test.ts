import assert from 'node:assert/strict';
import test from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { PHRASE_VALUES } from './piano-roll.js';
import {
  DEFAULT_SYMBOLIC_DIMS,
  codeCriticShapes,
  conditionSize,
  initSymbolicWeights,
  parameterCount,
  phraseEncoderShapes,
  symbolicGeneratorShapes,
} from './symbolic-architecture.js';
import { codeCritic, leakyRelu, phraseEncoder, splitOutput, symbolicForward } from './symbolic-model.js';

await tf.setBackend('cpu');
const dims = { ...DEFAULT_SYMBOLIC_DIMS, latentDim: 6, codeDim: 5, mapHidden: 16, phraseHidden: 16, barLatent: 8, barHidden: 16, stepHidden: 8, encoderStep: 4, encoderBar: 8, criticHidden: 8 };
const tensors = (shapes: Map<string, number[]>, seed: number) =>
  Object.fromEntries([...initSymbolicWeights(shapes, seed)].map(([name, w]) => [name, tf.tensor(w.data, w.shape)]));

test('the served model maps z ⊕ condition to a phrase of probabilities and its code; encoder and critic fit around it', () => {
  const generator = tensors(symbolicGeneratorShapes(dims), 1);
  const inputs = tf.randomNormal([3, dims.latentDim + conditionSize(dims)], 0, 1, 'float32', 4) as tf.Tensor2D;
  const out = symbolicForward(generator, inputs, dims.latentDim);
  assert.deepEqual(out.shape, [3, PHRASE_VALUES + dims.codeDim]);
  const { phrase, code } = splitOutput(out.dataSync().slice(0, PHRASE_VALUES + dims.codeDim) as Float32Array);
  assert.ok(phrase.every((p) => p > 0 && p < 1));
  assert.ok(code.every((c) => c > -1 && c < 1), 'codes are tanh-bounded');
  // The output bias starts the rolls sparse, near the data's density, not at 50 %.
  assert.ok(phrase.reduce((a, b) => a + b, 0) / phrase.length < 0.1);

  const encoder = tensors(phraseEncoderShapes(dims), 2);
  const codes = phraseEncoder(encoder, tf.tensor2d(phrase, [1, PHRASE_VALUES]));
  assert.deepEqual(codes.shape, [1, dims.codeDim]);
  const critic = tensors(codeCriticShapes(dims), 3);
  assert.deepEqual(codeCritic(critic, codes, tf.zeros([1, conditionSize(dims)]) as tf.Tensor2D).shape, [1, 1]);
});

test('the served default model is about 2 M parameters (code generator and phrase decoder)', () => {
  const count = parameterCount(symbolicGeneratorShapes(DEFAULT_SYMBOLIC_DIMS));
  assert.ok(count > 1.5e6 && count < 3e6, `${count}`);
});

test('leaky ReLU is 0.2x below zero and has a second-order gradient (for the gradient penalty)', () => {
  assert.deepEqual([...leakyRelu(tf.tensor2d([[-2, 0.5]])).dataSync()].map((v) => Math.round(v * 1e6) / 1e6), [-0.4, 0.5]);
  const second = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.square(leakyRelu(y as tf.Tensor2D))))(x)))(tf.tensor2d([[-1, 2]]));
  // d²/dx² of (leaky x)² is 2·slope²: 0.08 below zero, 2 above.
  assert.deepEqual([...second.dataSync()].map((v) => Math.round(v * 1e6) / 1e6), [0.08, 2]);
});
