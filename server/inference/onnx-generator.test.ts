import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasCode } from '../core/errors.js';
import { asWaveform, temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { seededLatents } from '../families/model-fixtures.test-helper.js';
import { WAVEFORM } from '../families/waveform/waveform-manifest.js';
import { ONNX_EXPORT_VERSION } from '../families/waveform/onnx-export.js';
import { OnnxGenerator } from './onnx-generator.js';

let modelsDir: string;
let remove: () => Promise<void>;
before(async () => ({ modelsDir, remove } = await temporaryModelsDir()));
after(() => remove());

test('exports model.onnx on first load, reuses it while fresh, re-exports when the weights are newer', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'lifecycle');
  const onnxFile = path.join(dir, 'model.onnx');
  const first = new OnnxGenerator({ dir, threads: 1 });
  assert.throws(() => first.info, (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
  await first.initialize();
  assert.equal(first.engine, 'onnx-cpu');
  const { manifest, ...info } = first.info;
  assert.deepEqual(info, { id: 'lifecycle', family: WAVEFORM, instrument: 'untrained', latentDim: 100, trained: false, inputSize: 100, outputSize: 16384 });
  assert.equal(asWaveform(manifest).sampleRate, 16000);
  const exported = await stat(onnxFile);
  const clips = await first.generate(seededLatents(2, 100, 1));
  assert.equal(clips.length, 2);
  assert.notEqual(clips[0].buffer, clips[1].buffer, 'each clip owns its buffer');
  assert.deepEqual(await first.generate([]), []);
  await first.dispose();
  await assert.rejects(first.generate(seededLatents(1, 100, 1)), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));

  const second = new OnnxGenerator({ dir });
  await second.initialize();
  assert.equal((await stat(onnxFile)).mtimeMs, exported.mtimeMs, 'a fresh model.onnx is reused');
  await second.dispose();

  // A model.onnx older than the weights is stale and is written again.
  const weightsModified = (await stat(path.join(dir, 'weights.bin'))).mtimeMs;
  const earlier = new Date(weightsModified - 5_000);
  await utimes(onnxFile, earlier, earlier);
  const third = new OnnxGenerator({ dir });
  await third.initialize();
  assert.ok((await stat(onnxFile)).mtimeMs > weightsModified, 're-exported');
  await third.dispose();

  // A fresh model.onnx from another exporter version (another graph layout) is replaced too.
  const bytes = await readFile(onnxFile);
  const versionAt = bytes.indexOf(Buffer.from([0x1a, ONNX_EXPORT_VERSION.length, ...Buffer.from(ONNX_EXPORT_VERSION)]));
  assert.ok(versionAt > 0 && versionAt < 64, 'producer_version sits in the first bytes');
  bytes[versionAt + 2] = '0'.charCodeAt(0); // version "0": an older export
  await writeFile(onnxFile, bytes);
  const patched = await stat(onnxFile);
  const fourth = new OnnxGenerator({ dir });
  await fourth.initialize();
  assert.ok((await stat(onnxFile)).mtimeMs > patched.mtimeMs, 'an old export is re-exported');
  assert.equal((await readFile(onnxFile)).indexOf(Buffer.from([0x1a, ONNX_EXPORT_VERSION.length, ...Buffer.from(ONNX_EXPORT_VERSION)])), versionAt);
  await fourth.dispose();
});

test('when model.onnx cannot be written, the export is served from memory', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'unwritable');
  // A folder in model.onnx's place: renaming the export over it fails, as in a read-only folder.
  await mkdir(path.join(dir, 'model.onnx'));
  const generator = new OnnxGenerator({ dir });
  await generator.initialize();
  const [clip] = await generator.generate(seededLatents(1, 100, 2));
  assert.equal(clip.length, 16384);
  assert.ok((await stat(path.join(dir, 'model.onnx'))).isDirectory());
  await generator.dispose();
});

test('a latent of the wrong length is refused, naming both lengths', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'latent-length');
  const generator = new OnnxGenerator({ dir });
  await generator.initialize();
  await assert.rejects(generator.generate([new Float32Array(100), new Float32Array(99)]), (error: Error) => {
    return hasCode(error, 'WAVECAST_ERR_ENGINE') && /latent 1 has 99 values, the model takes 100/.test(error.message);
  });
  await generator.dispose();
});

test('forced execution providers: an unavailable one fails with WAVECAST_ERR_ENGINE', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'providers');
  const generator = new OnnxGenerator({ dir, executionProviders: ['no-such-provider'] });
  await assert.rejects(generator.initialize(), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE'));
});
