/**
 * Engine parity: the onnx engine (model.onnx exported by wavecast's own writer) and the tfjs
 * engine (waveGanForward) load the same seeded d = 64 checkpoint, the paper's size, and must
 * return the same clips for the same latents.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeL2, seededLatents } from '../families/model-fixtures.test-helper.js';
import { temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import type { Generator } from './generator.js';
import { OnnxGenerator } from './onnx-generator.js';
import { TfjsGenerator } from './tfjs-generator.js';

let remove: () => Promise<void>;
let onnx: Generator;
let tfjs: Generator;

before(async () => {
  const models = await temporaryModelsDir();
  remove = models.remove;
  const dir = await writeSeededCheckpoint(models.modelsDir, 'parity', { d: 64, seed: 42 });
  onnx = new OnnxGenerator({ dir });
  tfjs = new TfjsGenerator({ dir });
  await Promise.all([onnx.initialize(), tfjs.initialize()]);
});

after(async () => {
  await Promise.all([onnx?.dispose(), tfjs?.dispose()]);
  await remove?.();
});

for (const batch of [1, 3]) {
  test(`onnx and tfjs agree on a batch of ${batch} (relative L2 < 1e-4)`, async (t) => {
    assert.match(onnx.engine, /^onnx-(cpu|cuda)$/);
    assert.match(tfjs.engine, /^tfjs-(tensorflow|wasm|cpu)$/);
    const latents = seededLatents(batch, 100, batch);
    const [fromOnnx, fromTfjs] = [await onnx.generate(latents), await tfjs.generate(latents)];
    for (const clips of [fromOnnx, fromTfjs]) {
      assert.equal(clips.length, batch);
      for (const clip of clips) {
        assert.equal(clip.length, 16384);
        assert.ok(clip.every((sample) => sample >= -1 && sample <= 1));
      }
    }
    // Different latents give different clips (a constant output would agree trivially).
    if (batch > 1) assert.ok(relativeL2([fromOnnx[1]], [fromOnnx[0]]) > 0.1);
    const error = relativeL2(fromOnnx, fromTfjs);
    t.diagnostic(`${onnx.engine} vs ${tfjs.engine}: relative L2 error ${error.toExponential(2)}`);
    assert.ok(error < 1e-4, `relative L2 error ${error}`);
  });
}
