import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasCode } from '../../../server/core/errors.js';
import { loadCheckpoint } from '../../../server/inference/checkpoint.js';
import { selectTfjsBackend } from '../../../server/inference/tfjs-backend.js';
import { syntheticClips } from './synthetic-clips.js';
import { TRAIN_STATE_DIR, loadTrainState } from './train-state.js';
import { trainWaveform, type WaveformTrainingOptions } from './waveform-training.js';

await selectTfjsBackend('wasm');
let modelsDir: string;
before(async () => (modelsDir = await mkdtemp(path.join(os.tmpdir(), 'wavegan-train-'))));
after(async () => rm(modelsDir, { recursive: true, force: true }));

const data = { sampleRate: 16000, clipSamples: 4096, train: syntheticClips({ count: 12, clipSamples: 4096, sampleRate: 16000, seed: 4 }) };
const base = (id: string): WaveformTrainingOptions => ({
  data, out: path.join(modelsDir, id), d: 4, latentDim: 8, batch: 3, criticSteps: 2, seed: 7,
  steps: 4, seconds: 600, saveEvery: 2, reportEvery: 1, reportClips: 2,
});

test('N + M steps in one run equal N steps, save, resume, M steps: every weight and moment identical', async () => {
  const whole = await trainWaveform(base('whole'));
  assert.equal(whole.step, 4);
  assert.deepEqual(whole.published.map((p) => [p.version, p.step]), [[1, 2], [2, 4]]);

  const first = await trainWaveform({ ...base('split'), steps: 2 });
  assert.equal(first.step, 2);
  const second = await trainWaveform({ ...base('split'), steps: 4, resume: true });
  assert.equal(second.step, 4);
  assert.deepEqual(second.history.map((h) => h.step), [1, 2, 3, 4], 'the loss history carries on');

  const [a, b] = await Promise.all(['whole', 'split'].map((id) => loadTrainState(path.join(modelsDir, id, TRAIN_STATE_DIR))));
  for (const group of ['generator', 'critic'] as const) {
    for (const [name, tensor] of a.gan[group]) assert.deepEqual(b.gan[group].get(name)!.data, tensor.data, `${group} ${name}`);
  }
  for (const adam of ['generatorAdam', 'criticAdam'] as const) {
    assert.deepEqual({ ...b.gan[adam], moments: b.gan[adam].moments.map((m) => m.data) }, { ...a.gan[adam], moments: a.gan[adam].moments.map((m) => m.data) });
  }
  assert.deepEqual(second.history.map((h) => h.criticLoss), whole.history.map((h) => h.criticLoss));

  // The published version serves the trained generator, with the report beside it.
  const version = await loadCheckpoint(second.published.at(-1)!.dir);
  assert.deepEqual(version.weights.get('upconv_3/kernel')!.data, a.gan.generator.get('upconv_3/kernel')!.data);
  assert.equal(version.manifest.trainingSteps, 4);
  const report = JSON.parse(await readFile(path.join(second.published.at(-1)!.dir, 'report.json'), 'utf8'));
  assert.deepEqual(report.snapshots.map((s: { step: number }) => s.step), [0, 1, 2, 3, 4]);
  assert.equal(report.history.length, 4);
});

test('a dataset of another clip format is refused, naming both; so is resuming with other settings, or a fresh run over a state', async () => {
  const refused = (code: string, ...parts: string[]) => (error: Error) => hasCode(error, code as 'WAVECAST_ERR_CONFIG') && parts.every((p) => error.message.includes(p));
  await assert.rejects(trainWaveform({ ...base('format'), clipSamples: 16384, sampleRate: 22050 }),
    refused('WAVECAST_ERR_CONFIG', 'clips of 4096 samples at 16000 Hz', 'asked for 16384 samples at 22050 Hz'));
  await assert.rejects(trainWaveform({ ...base('whole'), d: 8, steps: 6, resume: true }),
    refused('WAVECAST_ERR_CONFIG', 'trained with d 4, this run asks for 8'));
  await assert.rejects(trainWaveform({ ...base('whole'), steps: 6 }), refused('WAVECAST_ERR_CONFIG', 'holds a training state', '--resume'));
  await assert.rejects(trainWaveform({ ...base('nothing'), resume: true }), refused('WAVECAST_ERR_MODEL_MANIFEST', 'nothing to resume'));
});
