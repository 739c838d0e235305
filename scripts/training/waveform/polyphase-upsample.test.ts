import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { constantTensors } from '../../../server/families/tfjs-weights.js';
import { conv2dTransposeUpsample, initWaveGanWeights, waveGanForward } from '../../../server/families/waveform/wavegan-model.js';
import { usePlainMatMulGradient } from '../plain-matmul-gradient.js';
import { polyphaseUpsample } from './polyphase-upsample.js';
import { relativeError, seeded } from './tensor-compare.test-helper.js';

await tf.setBackend('cpu');
usePlainMatMulGradient();

const x = seeded([2, 16, 6], 1) as tf.Tensor3D;
const kernel = seeded([25, 3, 6], 2) as tf.Tensor3D; // stored layout [25, out, in]

test('equals the served transposed convolution (tf.conv2dTranspose, "same"); a kernel read one tap off does not', () => {
  const got = polyphaseUpsample(x, kernel);
  assert.deepEqual(got.shape, [2, 64, 3]);
  assert.ok(relativeError(got, conv2dTransposeUpsample(x, kernel)) < 1e-5);
  const rolled = tf.concat([kernel.slice([1, 0, 0], [24, 3, 6]), kernel.slice([0, 0, 0], [1, 3, 6])], 0) as tf.Tensor3D;
  assert.ok(relativeError(got, conv2dTransposeUpsample(x, rolled)) > 0.05);
});

test('its gradients (input and kernel) equal tf.conv2dTranspose\'s', () => {
  const weights = seeded([2, 64, 3], 3);
  const loss = (upsample: typeof polyphaseUpsample) => (input: tf.Tensor, filter: tf.Tensor) =>
    tf.sum(tf.mul(tf.square(upsample(input as tf.Tensor3D, filter as tf.Tensor3D)), weights));
  const [dxMine, dkMine] = tf.grads(loss(polyphaseUpsample))([x, kernel]);
  const [dxRef, dkRef] = tf.grads(loss(conv2dTransposeUpsample))([x, kernel]);
  assert.ok(relativeError(dxMine, dxRef) < 1e-5, 'd/dx');
  assert.ok(relativeError(dkMine, dkRef) < 1e-5, 'd/dkernel');
});

test('the training forward (polyphase) equals waveGanForward as served, to 1e-5, for 4096 and 16384 samples', () => {
  for (const clipSamples of [4096, 16384]) {
    const weights = initWaveGanWeights({ d: 2, latentDim: 5, clipSamples, seed: 11, gain: 2 });
    for (const [name, { data }] of weights) {
      if (name.endsWith('/bias')) data.forEach((_, i) => (data[i] = 0.02 * Math.cos(i + name.length)));
    }
    const tensors = constantTensors(weights);
    const z = seeded([3, 5], 12) as tf.Tensor2D;
    const served = waveGanForward(tensors, z);
    const trained = waveGanForward(tensors, z, polyphaseUpsample);
    assert.deepEqual(trained.shape, [3, clipSamples]);
    assert.ok(tf.max(tf.abs(served)).dataSync()[0] > 1e-3, 'a signal, not silence');
    assert.ok(relativeError(trained, served) < 1e-5, `${clipSamples}: ${relativeError(trained, served)}`);
    tf.dispose([served, trained, z, ...Object.values(tensors)]);
  }
});
