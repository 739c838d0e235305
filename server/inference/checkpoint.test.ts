import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasCode, type WavecastErrorCode } from '../core/errors.js';
import { asWaveform, manifestFor, temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { listCheckpoints } from './checkpoint-listing.js';
import { saveCheckpoint } from './checkpoint-save.js';
import { loadCheckpoint } from './checkpoint.js';
import { initWaveGanWeights } from '../families/waveform/wavegan-architecture.js';

let modelsDir: string;
let remove: () => Promise<void>;
before(async () => ({ modelsDir, remove } = await temporaryModelsDir()));
after(() => remove());

/** Asserts that `promise` rejects with `code` and a message containing every `fragment`. */
async function rejectsWith(promise: Promise<unknown>, code: WavecastErrorCode, ...fragments: string[]) {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(hasCode(error, code), `expected ${code}, got ${(error as { code?: string }).code}: ${error.message}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

/** A valid checkpoint, then `edit` applied to its manifest.json. */
async function checkpointWithManifest(id: string, edit: (manifest: Record<string, unknown>) => void) {
  const dir = await writeSeededCheckpoint(modelsDir, id);
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  edit(manifest);
  await writeFile(file, JSON.stringify(manifest));
  return dir;
}

test('save → load round-trip keeps every weight bit for bit, in architecture order', async () => {
  const weights = initWaveGanWeights({ d: 4, seed: 11 });
  const dir = path.join(modelsDir, 'round-trip');
  const { d: _d, ...withoutD } = manifestFor('round-trip', { d: 64 });
  // Without d the manifest means d = 64, which these d = 4 weights do not fit.
  await rejectsWith(saveCheckpoint(dir, withoutD, weights), 'WAVECAST_ERR_MODEL_SHAPE', '"dense/kernel"', 'expected [100,16384]');
  await saveCheckpoint(dir, manifestFor('round-trip', { instrument: 'drums', trained: true, trainingSteps: 1200 }), weights);
  const loaded = await loadCheckpoint(dir);
  assert.equal(loaded.manifest.instrument, 'drums');
  assert.equal(loaded.manifest.trainingSteps, 1200);
  assert.deepEqual([...loaded.weights.keys()], [...weights.keys()]);
  for (const [name, { shape, data }] of weights) {
    assert.deepEqual(loaded.weights.get(name)!.shape, shape);
    assert.deepEqual(loaded.weights.get(name)!.data, data, name);
  }
  assert.deepEqual((await readdir(dir)).sort(), ['manifest.json', 'weights.bin', 'weights.json'], 'no temporary files left');
  const weightsJson = JSON.parse(await readFile(path.join(dir, 'weights.json'), 'utf8'));
  assert.deepEqual(weightsJson[0].paths, ['weights.bin']);
  assert.deepEqual(weightsJson[0].weights[2], { name: 'upconv_0/kernel', shape: [25, 32, 64], dtype: 'float32' });
});

test('saving over a checkpoint removes its stale model.onnx', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'resaved');
  await writeFile(path.join(dir, 'model.onnx'), 'derived from the old weights');
  await writeSeededCheckpoint(modelsDir, 'resaved', { seed: 2 });
  await assert.rejects(stat(path.join(dir, 'model.onnx')), { code: 'ENOENT' });
});

test('a bad family names the file, the field and the value', async () => {
  const dir = await checkpointWithManifest('bad-family', (m) => (m.family = 'banana'));
  await rejectsWith(
    loadCheckpoint(dir),
    'WAVECAST_ERR_MODEL_MANIFEST',
    `${path.join(dir, 'manifest.json')}: field "family" must be "waveform" or "symbolic", got "banana"`,
  );
});

test('a missing field is named', async () => {
  const dir = await checkpointWithManifest('no-instrument', (m) => delete m.instrument);
  await rejectsWith(loadCheckpoint(dir), 'WAVECAST_ERR_MODEL_MANIFEST', 'manifest.json', 'field "instrument" is missing');
});

test('other bad fields: wrong type, bad date, id not the folder name', async () => {
  const typed = await checkpointWithManifest('bad-types', (m) => {
    m.trained = 'yes';
    m.created = 'yesterday';
    m.clipSamples = 8000;
  });
  await rejectsWith(
    loadCheckpoint(typed),
    'WAVECAST_ERR_MODEL_MANIFEST',
    'field "trained" must be a boolean, got "yes"',
    'field "created" must be an ISO 8601 date-time, got "yesterday"',
    'field "clipSamples": must be 16·4^L: 1024, 4096, 16384, 65536, got 8000',
  );
  const renamed = await checkpointWithManifest('folder-name', (m) => (m.id = 'other-name'));
  await rejectsWith(loadCheckpoint(renamed), 'WAVECAST_ERR_MODEL_MANIFEST', 'field "id" must equal the folder name "folder-name"');
});

test('a tensor of the wrong shape names weights.json and the tensor', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'bad-shape');
  const file = path.join(dir, 'weights.json');
  const groups = JSON.parse(await readFile(file, 'utf8'));
  groups[0].weights[4].shape = [25, 8, 32]; // upconv_1/kernel, [25, 16, 32] for d=4
  await writeFile(file, JSON.stringify(groups));
  await rejectsWith(
    loadCheckpoint(dir),
    'WAVECAST_ERR_MODEL_SHAPE',
    file,
    'tensor "upconv_1/kernel" has shape [25,8,32], expected [25,16,32] for WaveGAN d=4, latentDim=100',
  );
});

test('a d that does not match the weights is a shape error', async () => {
  const dir = await checkpointWithManifest('wrong-d', (m) => (m.d = 8));
  await rejectsWith(loadCheckpoint(dir), 'WAVECAST_ERR_MODEL_SHAPE', 'tensor "dense/kernel"', 'for WaveGAN d=8');
});

test('a truncated weights.bin names the file and the first tensor cut off', async () => {
  const dir = await writeSeededCheckpoint(modelsDir, 'truncated');
  const bin = path.join(dir, 'weights.bin');
  const size = (await stat(bin)).size;
  await truncate(bin, size - 100); // the last tensors are upconv_4/kernel (25·1·4 floats) and its bias
  await rejectsWith(loadCheckpoint(dir), 'WAVECAST_ERR_MODEL_SHAPE', bin, 'too short for tensor "upconv_4/kernel"');
  await writeFile(bin, Buffer.alloc(size + 4));
  await rejectsWith(loadCheckpoint(dir), 'WAVECAST_ERR_MODEL_SHAPE', bin, `${size + 4} bytes, but weights.json describes ${size}`);
});

test('a folder without manifest.json is not found; bad JSON is a manifest error', async () => {
  await rejectsWith(loadCheckpoint(path.join(modelsDir, 'nothing-here')), 'WAVECAST_ERR_MODEL_NOT_FOUND', 'manifest.json: missing');
  const dir = await writeSeededCheckpoint(modelsDir, 'bad-json');
  await writeFile(path.join(dir, 'weights.json'), '[{');
  await rejectsWith(loadCheckpoint(dir), 'WAVECAST_ERR_MODEL_MANIFEST', 'weights.json: not valid JSON');
});

test('listCheckpoints returns the valid ones and the errors of the rest, without throwing', async () => {
  const { modelsDir: dir, remove: removeList } = await temporaryModelsDir();
  try {
    await writeSeededCheckpoint(dir, 'b-valid');
    await writeSeededCheckpoint(dir, 'a-valid');
    const broken = await writeSeededCheckpoint(dir, 'broken');
    await truncate(path.join(broken, 'weights.bin'), 10);
    await writeFile(path.join(dir, 'README.md'), 'not a folder');
    const listing = await listCheckpoints(dir);
    assert.deepEqual(listing.checkpoints.map((c) => c.manifest.id), ['a-valid', 'b-valid']);
    assert.equal(listing.checkpoints[0].dir, path.join(dir, 'a-valid'));
    assert.equal(listing.errors.length, 1);
    assert.equal(listing.errors[0].dir, broken);
    assert.equal(listing.errors[0].error.code, 'WAVECAST_ERR_MODEL_SHAPE');
    const missing = await listCheckpoints(path.join(dir, 'no-such-folder'));
    assert.deepEqual(missing.checkpoints, []);
    assert.equal(missing.errors[0].error.code, 'WAVECAST_ERR_MODEL_NOT_FOUND');
  } finally {
    await removeList();
  }
});

test('the committed default checkpoint is valid', async () => {
  const modelsRoot = path.resolve(import.meta.dirname, '../../models');
  const { manifest } = await loadCheckpoint(path.join(modelsRoot, 'wavegan-untrained'));
  assert.equal(asWaveform(manifest).d, 32);
  assert.equal(manifest.trained, false);
});
