import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { usePlainMatMulGradient } from '../plain-matmul-gradient.js';
import { stridedConv1d } from './strided-conv1d.js';
import { leakyRelu } from './wavegan-critic.js';
import { relativeError, seeded } from './tensor-compare.test-helper.js';

await tf.setBackend('cpu');
usePlainMatMulGradient();

const x = seeded([2, 64, 3], 1) as tf.Tensor3D;
const kernel = seeded([25, 3, 5], 2) as tf.Tensor3D;
const reference = (input: tf.Tensor, filter: tf.Tensor) => tf.conv1d(input as tf.Tensor3D, filter as tf.Tensor3D, 4, 'same');
const mine = (input: tf.Tensor, filter: tf.Tensor) => stridedConv1d(input as tf.Tensor3D, filter as tf.Tensor3D);

test('equals tf.conv1d (kernel 25, stride 4, "same"), and moving the padding by one sample does not', () => {
  const got = mine(x, kernel);
  assert.deepEqual(got.shape, [2, 16, 5]);
  assert.ok(relativeError(got, reference(x, kernel)) < 1e-5);
  const shifted = tf.conv1d(tf.pad(x, [[0, 0], [1, 0], [0, 0]]).slice([0, 0, 0], [2, 64, 3]) as tf.Tensor3D, kernel, 4, 'same');
  assert.ok(relativeError(got, shifted) > 0.05);
});

test('its gradients (input and kernel) equal tf.conv1d\'s', () => {
  const weights = seeded([2, 16, 5], 3);
  const loss = (conv: typeof mine) => (input: tf.Tensor, filter: tf.Tensor) => tf.sum(tf.mul(conv(input, filter), weights));
  const [dxMine, dkMine] = tf.grads(loss(mine))([x, kernel]);
  const [dxRef, dkRef] = tf.grads(loss(reference))([x, kernel]);
  assert.ok(relativeError(dxMine, dxRef) < 1e-5, 'd/dx');
  assert.ok(relativeError(dkMine, dkRef) < 1e-5, 'd/dkernel');
});

test('second order, as the gradient penalty takes it: d/dkernel of ‖d/dx D(x)‖² equals tf.conv1d\'s', () => {
  const readout = seeded([2, 16, 5], 4);
  const penalty = (conv: typeof mine) => (filter: tf.Tensor) => {
    const slopes = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(leakyRelu(conv(input, filter)), readout)))(x);
    return tf.sum(tf.square(slopes));
  };
  const got = tf.grad(penalty(mine))(kernel);
  const expected = tf.grad(penalty(reference))(kernel);
  assert.ok(tf.max(tf.abs(expected)).dataSync()[0] > 1e-3, 'a gradient that is not zero');
  assert.ok(relativeError(got, expected) < 1e-4, `relative error ${relativeError(got, expected)}`);
});
