import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { hasCode } from '../core/errors.js';
import { temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { relativeL2, seededLatents } from '../families/model-fixtures.test-helper.js';
import { TfjsGenerator } from './tfjs-generator.js';

let dir: string;
let remove: () => Promise<void>;
before(async () => {
  const models = await temporaryModelsDir();
  remove = models.remove;
  dir = await writeSeededCheckpoint(models.modelsDir, 'tfjs', { d: 8 });
});
after(() => remove());

test('generates clips without leaking tensors, and dispose frees the weights', async () => {
  const generator = new TfjsGenerator({ dir });
  await generator.initialize();
  assert.match(generator.engine, /^tfjs-(tensorflow|wasm)$/);
  const afterLoad = tf.memory().numTensors;
  const clips = await generator.generate(seededLatents(3, 100, 1));
  assert.equal(clips.length, 3);
  assert.ok(clips.every((clip) => clip.length === 16384 && clip.every((s) => s >= -1 && s <= 1)));
  assert.equal(tf.memory().numTensors, afterLoad, 'generate leaves no tensor behind');
  await assert.rejects(generator.generate([new Float32Array(3)]), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
  assert.equal(tf.memory().numTensors, afterLoad, 'nor does a refused call');
  await generator.dispose();
  assert.equal(tf.memory().numTensors, afterLoad - 12, 'the 12 weight tensors are gone');
});

test('a forced backend names the engine and gives the same clips', async () => {
  const latents = seededLatents(2, 100, 9);
  const automatic = new TfjsGenerator({ dir });
  await automatic.initialize();
  const expected = await automatic.generate(latents);
  await automatic.dispose();
  const cpu = new TfjsGenerator({ dir, backend: 'cpu' });
  await cpu.initialize();
  assert.equal(cpu.engine, 'tfjs-cpu');
  assert.ok(relativeL2(await cpu.generate(latents), expected) < 1e-5);
  await cpu.dispose();
});
