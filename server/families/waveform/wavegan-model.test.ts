import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { relativeL2, seededLatents } from '../model-fixtures.test-helper.js';
import { shapeSize, type WaveGanWeights } from './wavegan-architecture.js';
import { initWaveGanWeights, waveGanForward, waveGanWeightShapes } from './wavegan-model.js';
import { constantTensors } from '../tfjs-weights.js';

test('weight shapes follow the paper, in a fixed order', () => {
  const shapes = waveGanWeightShapes(64, 100);
  assert.deepEqual([...shapes.keys()], [
    'dense/kernel', 'dense/bias',
    'upconv_0/kernel', 'upconv_0/bias', 'upconv_1/kernel', 'upconv_1/bias', 'upconv_2/kernel',
    'upconv_2/bias', 'upconv_3/kernel', 'upconv_3/bias', 'upconv_4/kernel', 'upconv_4/bias',
  ]);
  assert.deepEqual(shapes.get('dense/kernel'), [100, 16384]);
  assert.deepEqual(shapes.get('upconv_0/kernel'), [25, 512, 1024]);
  assert.deepEqual(shapes.get('upconv_4/kernel'), [25, 1, 64]);
  assert.deepEqual(shapes.get('upconv_4/bias'), [1]);
  const parameters = [...shapes.values()].reduce((sum, shape) => sum + shapeSize(shape), 0);
  // dense 1 654 784 + upconv 13 107 712 + 3 277 056 + 819 328 + 204 864 + 1 601
  assert.equal(parameters, 19_065_345);
  assert.deepEqual(waveGanWeightShapes().get('dense/kernel'), [100, 16384], 'defaults: d=64, latentDim=100');
});

test('initial weights: seeded, Glorot-uniform kernels, zero biases', () => {
  const a = initWaveGanWeights({ d: 4, seed: 7 });
  const b = initWaveGanWeights({ d: 4, seed: 7 });
  const c = initWaveGanWeights({ d: 4, seed: 8 });
  assert.deepEqual(a.get('upconv_1/kernel')!.data, b.get('upconv_1/kernel')!.data);
  assert.notDeepEqual(a.get('upconv_1/kernel')!.data, c.get('upconv_1/kernel')!.data);
  const kernel = a.get('upconv_1/kernel')!; // [25, out 16, in 32]
  const limit = Math.sqrt(6 / (25 * 16 + 25 * 32));
  const values = [...kernel.data];
  assert.ok(values.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...values.map(Math.abs)) > 0.95 * limit, 'fills the Glorot range');
  assert.ok(Math.abs(values.reduce((s, v) => s + v, 0) / values.length) < 0.05 * limit, 'centred on 0');
  assert.ok(a.get('dense/bias')!.data.every((v) => v === 0));
});

test('forward pass equals a plain-JS transposed convolution with TF "same" padding', async () => {
  await tf.setBackend('cpu');
  const d = 1;
  const latentDim = 3;
  const weights = initWaveGanWeights({ d, latentDim, seed: 3 });
  // Non-zero biases, so a missing or misplaced bias shows.
  for (const [name, { data }] of weights) {
    if (name.endsWith('/bias')) data.forEach((_, i) => (data[i] = 0.01 * Math.sin(i + name.length)));
  }
  const latents = seededLatents(2, latentDim, 5);
  const tensors = constantTensors(weights);
  const before = tf.memory().numTensors;
  const z = tf.tensor2d([...latents[0], ...latents[1]], [2, latentDim]);
  const audio = waveGanForward(tensors, z);
  assert.deepEqual(audio.shape, [2, 16384]);
  const output = audio.dataSync() as Float32Array;
  tf.dispose([z, audio]);
  assert.equal(tf.memory().numTensors, before, 'no intermediate tensor survives');
  tf.dispose(Object.values(tensors));

  const reference = latents.map((latent) => referenceForward(weights, latent));
  const got = [output.slice(0, 16384), output.slice(16384)];
  assert.ok(relativeL2(got, reference) < 1e-5, `relative L2 ${relativeL2(got, reference)}`);
  // The same check with the crop moved by one sample fails: the padding really is 10 | 11.
  const shifted = reference.map((clip) => Float32Array.from(clip, (_, i) => clip[i + 1] ?? 0));
  assert.ok(relativeL2(got, shifted) > 0.1);
});

/** WaveGAN for one latent, loop by loop: output o of a layer sums x[i]·w[k] over 4i + k − 10 = o. */
function referenceForward(weights: WaveGanWeights, z: Float32Array): Float32Array {
  const dense = weights.get('dense/kernel')!;
  const width = dense.shape[1];
  let x = Float32Array.from({ length: width }, (_, j) => {
    let sum = weights.get('dense/bias')!.data[j];
    for (let l = 0; l < z.length; l++) sum += z[l] * dense.data[l * width + j];
    return Math.max(0, sum);
  });
  let length = 16;
  for (let layer = 0; layer < 5; layer++) {
    const { shape, data: kernel } = weights.get(`upconv_${layer}/kernel`)!;
    const [taps, outChannels, inChannels] = shape;
    const bias = weights.get(`upconv_${layer}/bias`)!.data;
    const y = new Float32Array(length * 4 * outChannels);
    for (let o = 0; o < length * 4; o++) y.set(bias, o * outChannels);
    for (let i = 0; i < length; i++) {
      for (let k = 0; k < taps; k++) {
        const o = 4 * i + k - 10;
        if (o < 0 || o >= length * 4) continue;
        for (let co = 0; co < outChannels; co++) {
          let sum = 0;
          for (let ci = 0; ci < inChannels; ci++) sum += x[i * inChannels + ci] * kernel[(k * outChannels + co) * inChannels + ci];
          y[o * outChannels + co] += sum;
        }
      }
    }
    x = y.map(layer < 4 ? (v) => Math.max(0, v) : Math.tanh);
    length *= 4;
  }
  return x;
}

test('a clip of 16·4^L samples has L upconvs ending in d → 1; other lengths are refused', () => {
  const shapes = waveGanWeightShapes(8, 10, 4096);
  assert.deepEqual([...shapes.keys()].filter((n) => n.endsWith('/kernel')), ['dense/kernel', 'upconv_0/kernel', 'upconv_1/kernel', 'upconv_2/kernel', 'upconv_3/kernel']);
  assert.deepEqual(shapes.get('dense/kernel'), [10, 16 * 64], 'seed [16, 8d]');
  assert.deepEqual(shapes.get('upconv_0/kernel'), [25, 32, 64]);
  assert.deepEqual(shapes.get('upconv_3/kernel'), [25, 1, 8]);
  assert.deepEqual(waveGanWeightShapes(8, 10, 16384).get('upconv_4/kernel'), [25, 1, 8], 'the paper\'s clip: 5 upconvs');
  assert.throws(() => waveGanWeightShapes(8, 10, 8192), /16·4\^L samples \(1024, 4096, 16384, 65536\), got 8192/);
});

test('the forward pass makes as many samples as the weights have upconvs', () => {
  const weights = initWaveGanWeights({ d: 2, latentDim: 4, clipSamples: 1024, seed: 1 });
  const tensors = constantTensors(weights);
  const audio = waveGanForward(tensors, tf.ones([3, 4]) as tf.Tensor2D);
  assert.deepEqual(audio.shape, [3, 1024]);
  tf.dispose([audio, ...Object.values(tensors)]);
});
