import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTfjsBackend } from '../../../server/inference/tfjs-backend.js';
import { waveGanWeightShapes } from '../../../server/families/waveform/wavegan-architecture.js';
import { syntheticClips } from './synthetic-clips.js';
import { WaveformGan } from './waveform-gan.js';

await selectTfjsBackend('wasm');
const clips = syntheticClips({ count: 16, clipSamples: 4096, sampleRate: 16000, seed: 2 });

test('a tiny WGAN-GP run (d=4, 4096 samples, batch 4): finite losses, a positive penalty, both networks move', async () => {
  const gan = new WaveformGan({ clips, clipSamples: 4096, d: 4, batch: 4, seed: 3, learningRate: 1e-3 });
  try {
    const before = await gan.state();
    const losses = [gan.trainStep(), gan.trainStep(), gan.trainStep()];
    for (const loss of losses) {
      for (const value of [loss.criticLoss, loss.generatorLoss, loss.wasserstein, loss.gradientPenalty]) assert.ok(Number.isFinite(value), JSON.stringify(loss));
      assert.ok(loss.gradientPenalty > 0);
    }
    assert.deepEqual(losses.map((l) => l.step), [1, 2, 3]);
    const after = await gan.state();
    assert.deepEqual([...after.generator.keys()], [...waveGanWeightShapes(4, 100, 4096).keys()], 'the served layout, in order');
    for (const network of ['generator', 'critic'] as const) {
      for (const [name, { data }] of after[network]) {
        if (name.endsWith('/kernel')) assert.notDeepEqual(data, before[network].get(name)!.data, `${network} ${name} moved`);
      }
    }
    assert.equal(after.criticAdam.iterations, 15, '5 critic updates per step');
    assert.equal(after.generatorAdam.iterations, 3);
    assert.equal(gan.generate(new Float32Array(200)).length, 2 * 4096);
  } finally {
    gan.dispose();
  }
});

test('the matMul convolutions train as tfjs\' own ones (tf.conv1d, tf.conv2dTranspose) do: the same losses and weights', async () => {
  // The native ops' gradients need the cpu backend here (wasm has no Conv2DBackpropFilter).
  await selectTfjsBackend('cpu');
  const small = syntheticClips({ count: 4, clipSamples: 1024, sampleRate: 16000, seed: 5 });
  const run = async (convolutions: 'matmul' | 'native') => {
    const gan = new WaveformGan({ clips: small, clipSamples: 1024, d: 2, latentDim: 6, batch: 2, criticSteps: 2, seed: 9, convolutions });
    try {
      const losses = [gan.trainStep(), gan.trainStep()];
      return { losses, weights: (await gan.state()).generator };
    } finally {
      gan.dispose();
    }
  };
  const [matmul, native] = [await run('matmul'), await run('native')];
  await selectTfjsBackend('wasm');
  for (const [i, loss] of matmul.losses.entries()) {
    for (const key of ['criticLoss', 'generatorLoss', 'wasserstein', 'gradientPenalty'] as const) {
      assert.ok(Math.abs(loss[key] - native.losses[i][key]) <= 1e-4 * Math.max(1, Math.abs(loss[key])), `step ${i + 1} ${key}: ${loss[key]} vs ${native.losses[i][key]}`);
    }
  }
  const kernel = (w: typeof matmul.weights) => w.get('upconv_2/kernel')!.data;
  const difference = Math.max(...kernel(matmul.weights).map((v, i) => Math.abs(v - kernel(native.weights)[i])));
  assert.ok(difference < 1e-5, `largest weight difference ${difference}`);
});

test('clips of another length are refused, naming both lengths', () => {
  assert.throws(() => new WaveformGan({ clips, clipSamples: 16384, d: 4 }), /clip 0 has 4096 samples, the model makes 16384/);
});
