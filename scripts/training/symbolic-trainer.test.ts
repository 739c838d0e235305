import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildCorpus } from './corpus/build-corpus.js';
import { PHRASE_VALUES } from '../../server/families/symbolic/piano-roll.js';
import { DEFAULT_SYMBOLIC_DIMS } from '../../server/families/symbolic/symbolic-architecture.js';
import { SymbolicTrainer } from './symbolic-trainer.js';

await tf.setBackend('cpu');
const dims = { ...DEFAULT_SYMBOLIC_DIMS, phraseHidden: 8, barLatent: 4, barHidden: 8, stepHidden: 4, criticStep: 4, criticBar: 4, criticHidden: 4 };
const data = buildCorpus({ seed: 3, phrasesPerStyle: 6 });
const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-train-'));
after(() => rm(dir, { recursive: true, force: true }));

const weightsOf = (trainer: SymbolicTrainer) => [...trainer.generatorWeights().values()].map((w) => [...w.data]);

test('a step updates both networks and reports finite losses', () => {
  const trainer = new SymbolicTrainer({ data, dims, batch: 4, criticSteps: 2, seed: 5 });
  const before = weightsOf(trainer);
  const losses = trainer.trainStep();
  assert.equal(losses.step, 1);
  for (const value of [losses.criticLoss, losses.generatorLoss, losses.gradientPenalty, losses.wasserstein]) assert.ok(Number.isFinite(value));
  assert.notDeepEqual(weightsOf(trainer), before, 'the generator moved');
  const [phrase] = trainer.sample(['cafe'], 1);
  assert.equal(phrase.length, PHRASE_VALUES);
  assert.ok(phrase.every((p) => p >= 0 && p <= 1), 'probabilities');
  trainer.dispose();
});

test('a resumed run continues exactly where an uninterrupted one would be', async () => {
  const straight = new SymbolicTrainer({ data, dims, batch: 4, criticSteps: 2, seed: 9 });
  for (let i = 0; i < 4; i++) straight.trainStep();

  const first = new SymbolicTrainer({ data, dims, batch: 4, criticSteps: 2, seed: 9 });
  first.trainStep();
  first.trainStep();
  await first.saveState(path.join(dir, 'state'));
  first.dispose();
  const resumed = new SymbolicTrainer({ data, dims, batch: 4, criticSteps: 2, seed: 9 });
  assert.equal(await resumed.loadState(path.join(dir, 'state')), true);
  assert.equal(resumed.step, 2);
  resumed.trainStep();
  resumed.trainStep();
  assert.equal(resumed.history.length, 4);
  assert.deepEqual(resumed.history.map((h) => h.generatorLoss), straight.history.map((h) => h.generatorLoss));
  assert.deepEqual(weightsOf(resumed), weightsOf(straight));
  straight.dispose();
  resumed.dispose();
});

test('no saved state means a fresh start; a state of another model is refused by name', async () => {
  const trainer = new SymbolicTrainer({ data, dims, batch: 4, criticSteps: 1, seed: 1 });
  assert.equal(await trainer.loadState(path.join(dir, 'nothing-here')), false);
  await trainer.saveState(path.join(dir, 'small'));
  trainer.dispose();
  const wider = new SymbolicTrainer({ data, dims: { ...dims, barHidden: 16 }, batch: 4, criticSteps: 1, seed: 1 });
  await assert.rejects(wider.loadState(path.join(dir, 'small')), /small\.json: training state of another model/);
  wider.dispose();
});
