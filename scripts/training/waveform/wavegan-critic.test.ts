import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { constantTensors } from '../../../server/families/tfjs-weights.js';
import { criticWeightShapes, initCriticWeights, leakyRelu, waveGanCritic } from './wavegan-critic.js';

await tf.setBackend('cpu');

test('the paper\'s critic for 16384 samples: five convs (25 taps) with d, 2d, 4d, 8d, 16d channels, dense from 16·16d', () => {
  const shapes = criticWeightShapes(64, 16384);
  assert.deepEqual([...shapes].filter(([name]) => name.endsWith('/kernel')).map(([, shape]) => shape), [
    [25, 1, 64], [25, 64, 128], [25, 128, 256], [25, 256, 512], [25, 512, 1024], [16384, 1],
  ]);
  assert.deepEqual(criticWeightShapes(4, 4096).get('critic/conv_3/kernel'), [25, 16, 32], '4096 samples: four convs');
  assert.equal(criticWeightShapes(4, 4096).has('critic/conv_4/kernel'), false);
});

test('scores one number per clip, and phase shuffle changes them (it is applied)', () => {
  const tensors = constantTensors(initCriticWeights({ d: 2, clipSamples: 1024, seed: 3 }));
  const clips = tf.randomUniform([3, 1024], -1, 1, 'float32', 5) as tf.Tensor2D;
  const plain = waveGanCritic(tensors, clips, () => 0);
  assert.deepEqual(plain.shape, [3, 1]);
  const shifts: number[] = [];
  const shuffled = waveGanCritic(tensors, clips, () => (shifts.push(2), 2));
  assert.equal(shifts.length, 2, 'three convs, a shuffle after each but the last');
  assert.ok(tf.max(tf.abs(tf.sub(plain, shuffled))).dataSync()[0] > 1e-6);
});

test('leaky ReLU: α = 0.2, and its second derivative exists (tf.leakyRelu\'s does not)', () => {
  assert.deepEqual([...leakyRelu(tf.tensor1d([-2, 0, 3])).dataSync()].map((v) => Number(v.toFixed(6))), [-0.4, 0, 3]);
  const x = tf.tensor1d([-1, 2]);
  const w = tf.tensor1d([3, 5]);
  // f(w) = Σᵢ (∂/∂xᵢ Σⱼ wⱼ·leaky(wⱼxⱼ))² = Σᵢ (wᵢ²·slopeᵢ)²; slopes 0.2 (w₀x₀ = −3) and 1 (w₁x₁ = 10),
  // so ∂f/∂w = (4·w₀³·0.04, 4·w₁³) = (4.32, 500).
  const twice = (activation: (t: tf.Tensor) => tf.Tensor) => () =>
    tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(activation(tf.mul(v, input)), v)))(x))))(w);
  assert.deepEqual([...twice(leakyRelu)().dataSync()].map((v) => Number(v.toFixed(4))), [4.32, 500]);
  assert.throws(twice((t) => tf.leakyRelu(t, 0.2)), /gradient function not found/);
});
