import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { hasCode } from '../core/errors.js';
import { temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { seededLatents } from '../families/model-fixtures.test-helper.js';
import { createGenerator, type EngineKind } from './create-generator.js';

let dir: string;
let remove: () => Promise<void>;
before(async () => {
  const models = await temporaryModelsDir();
  remove = models.remove;
  dir = await writeSeededCheckpoint(models.modelsDir, 'created');
});
after(() => remove());

/** tfjs is CommonJS: once imported, even from ESM, its files sit in the CommonJS module cache. */
const tfjsLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@tensorflow'));

test('the onnx engine never loads tfjs; the tfjs engine does', async () => {
  const onnx = createGenerator({ dir, engine: 'onnx' });
  assert.equal(onnx.engine, 'onnx');
  await onnx.initialize();
  assert.equal(onnx.engine, 'onnx-cpu');
  assert.equal((await onnx.generate(seededLatents(1, 100, 1)))[0].length, 16384);
  await onnx.dispose();
  assert.equal(tfjsLoaded(), false);

  const tfjs = createGenerator({ dir, engine: 'tfjs', backend: 'cpu' });
  await tfjs.initialize();
  assert.equal(tfjs.engine, 'tfjs-cpu');
  assert.equal(tfjsLoaded(), true);
  await tfjs.dispose();
});

test('an unknown engine is a config error; use before initialize is an engine error', async () => {
  const unknown = createGenerator({ dir, engine: 'torch' as EngineKind });
  await assert.rejects(unknown.initialize(), (error: Error) => hasCode(error, 'WAVECAST_ERR_CONFIG'));
  const early = createGenerator({ dir, engine: 'onnx' });
  assert.throws(() => early.info, (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
  await assert.rejects(early.generate([]), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
});
