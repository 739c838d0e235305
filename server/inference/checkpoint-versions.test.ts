import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasCode } from '../core/errors.js';
import { initWaveGanWeights } from '../families/waveform/wavegan-architecture.js';
import { manifestFor, temporaryModelsDir, writeSeededCheckpoint } from './checkpoint.test-helper.js';
import { listCheckpoints } from './checkpoint-listing.js';
import { CURRENT_FILE, publishVersion, readCurrentVersion, setCurrentVersion, STAGING_DIR, versionsOf } from './checkpoint-versions.js';

let modelsDir: string;
let remove: () => Promise<void>;
before(async () => ({ modelsDir, remove } = await temporaryModelsDir()));
after(() => remove());

const publish = (id: string, options: { seed?: number; keep?: number; weights?: ReturnType<typeof initWaveGanWeights>; extraFiles?: Record<string, string> } = {}) =>
  publishVersion({
    modelsDir,
    manifest: manifestFor(id, { trained: true, trainingSteps: 100 * (options.seed ?? 1) }),
    weights: options.weights ?? initWaveGanWeights({ d: 4, seed: options.seed ?? 1 }),
    keep: options.keep,
    extraFiles: options.extraFiles,
  });

test('each publish is the next version, checked, with its ONNX export, and becomes current', async () => {
  const first = await publish('lineage', { extraFiles: { 'report.json': '{"steps":100}' } });
  const second = await publish('lineage', { seed: 2 });
  assert.deepEqual([first.version, second.version], [1, 2]);
  assert.equal(second.manifest.version, 2);
  const modelDir = path.join(modelsDir, 'lineage');
  assert.equal(await readCurrentVersion(modelDir), 2);
  assert.deepEqual(await versionsOf(modelDir), [1, 2]);
  assert.ok((await readdir(first.dir)).includes('model.onnx'), 'the export is written before publishing');
  assert.equal(await readFile(path.join(first.dir, 'report.json'), 'utf8'), '{"steps":100}');
  const listing = await listCheckpoints(modelsDir);
  assert.deepEqual(listing.checkpoints.filter((c) => c.manifest.id === 'lineage').map((c) => c.manifest.version), [1, 2]);
  assert.equal(listing.latest.lineage, 2);
  assert.deepEqual(await readdir(path.join(modelsDir, STAGING_DIR)), [], 'nothing is left in staging');
});

test('old versions beyond keep are removed, never the current one', async () => {
  for (let seed = 1; seed <= 4; seed++) await publish('kept', { seed, keep: 2 });
  assert.deepEqual(await versionsOf(path.join(modelsDir, 'kept')), [3, 4]);
  await setCurrentVersion(path.join(modelsDir, 'kept'), 3);
  const next = await publish('kept', { seed: 5, keep: 1 });
  // keep 1 keeps the newest; the pointer moved to it, so 3 may go.
  assert.equal(next.version, 5);
  assert.deepEqual(await versionsOf(path.join(modelsDir, 'kept')), [5]);
});

test('weights that give NaN are refused and nothing becomes visible', async () => {
  await publish('guarded');
  const weights = initWaveGanWeights({ d: 4, seed: 3 });
  weights.get('dense/bias')!.data.fill(Number.NaN);
  await assert.rejects(publish('guarded', { weights }), (error: Error) => hasCode(error, 'WAVECAST_ERR_ENGINE') && /NaN/.test(error.message));
  assert.deepEqual(await versionsOf(path.join(modelsDir, 'guarded')), [1]);
  assert.equal(await readCurrentVersion(path.join(modelsDir, 'guarded')), 1);
  assert.deepEqual(await readdir(path.join(modelsDir, STAGING_DIR)), []);
});

test('a publish that fails half-way (a write error) leaves nothing behind', async () => {
  await assert.rejects(publish('half', { extraFiles: { '../escape.txt': 'x' } }), /must be a file name/);
  assert.deepEqual(await readdir(path.join(modelsDir, STAGING_DIR)), []);
  assert.equal((await listCheckpoints(modelsDir)).checkpoints.some((c) => c.manifest.id === 'half'), false);
});

test('roll back names only kept versions', async () => {
  await publish('rollback');
  await publish('rollback', { seed: 2 });
  await setCurrentVersion(path.join(modelsDir, 'rollback'), 1);
  assert.equal((await listCheckpoints(modelsDir)).latest.rollback, 1);
  await assert.rejects(setCurrentVersion(path.join(modelsDir, 'rollback'), 7), (error: Error) => hasCode(error, 'WAVECAST_ERR_MODEL_VERSION') && /kept: 1, 2/.test(error.message));
});

test('a plain checkpoint folder is not published into', async () => {
  await writeSeededCheckpoint(modelsDir, 'plain');
  await assert.rejects(publish('plain'), (error: Error) => hasCode(error, 'WAVECAST_ERR_MODEL_VERSION') && /plain checkpoint/.test(error.message));
});

test('the listing never shows a version being written, and names a corrupt one and a bad pointer', async () => {
  const { modelsDir: dir, remove: removeDir } = await temporaryModelsDir();
  try {
    // A publish under way: staged files, and the model's versions/ folder made before its first rename.
    await mkdir(path.join(dir, STAGING_DIR, 'abc', 'fresh', 'versions', '1'), { recursive: true });
    await writeFile(path.join(dir, STAGING_DIR, 'abc', 'fresh', 'versions', '1', 'weights.bin'), 'partial');
    await mkdir(path.join(dir, 'fresh', 'versions'), { recursive: true });
    // A trainer's resume state, saved before its first version.
    await mkdir(path.join(dir, 'training', '.train-state'), { recursive: true });
    await writeFile(path.join(dir, 'training', '.train-state', 'state.json'), '{}');
    // An empty folder (being copied into, say) is not a model yet either.
    await mkdir(path.join(dir, 'empty'));
    let listing = await listCheckpoints(dir);
    assert.deepEqual(listing, { checkpoints: [], latest: {}, errors: [] });
    // A folder with files but no manifest is named as not a model.
    await writeFile(path.join(dir, 'empty', 'weights.bin'), 'x');
    listing = await listCheckpoints(dir);
    assert.deepEqual(listing.errors.map((e) => path.basename(e.dir)), ['empty']);
    await rm(path.join(dir, 'empty'), { recursive: true });

    const saved = await publishVersion({ modelsDir: dir, manifest: manifestFor('broken'), weights: initWaveGanWeights({ d: 4, seed: 1 }) });
    const corrupt = path.join(dir, 'broken', 'versions', '2');
    await mkdir(corrupt, { recursive: true });
    for (const file of ['manifest.json', 'weights.json']) {
      const text = (await readFile(path.join(saved.dir, file), 'utf8')).replace('"version": 1', '"version": 2');
      await writeFile(path.join(corrupt, file), text);
    }
    await writeFile(path.join(corrupt, 'weights.bin'), Buffer.alloc(100)); // truncated
    await writeFile(path.join(dir, 'broken', CURRENT_FILE), '{"version": 2}');
    listing = await listCheckpoints(dir);
    assert.deepEqual(listing.checkpoints.map((c) => c.manifest.version), [1]);
    assert.equal(listing.latest.broken, undefined, 'a pointer to a corrupt version names nothing playable');
    assert.match(listing.errors[0].error.message, /versions\/2\/weights\.bin: 100 bytes, too short/);

    await writeFile(path.join(dir, 'broken', CURRENT_FILE), 'three');
    listing = await listCheckpoints(dir);
    assert.ok(listing.errors.some(({ error }) => hasCode(error, 'WAVECAST_ERR_MODEL_VERSION') && /current\.json: must be/.test(error.message)));
  } finally {
    await removeDir();
  }
});
