/**
 * The training pipeline at tiny size (the real run is 30 minutes): the autoencoder learns to
 * write a phrase back, the code GAN trains on codes, and a whole run yields served weights of the
 * right shapes, a calibrated decoding and a 36-figure report, for the styles it saw only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PHRASE_VALUES } from '../../server/families/symbolic/piano-roll.js';
import { notesToRoll, type Note } from '../../server/families/symbolic/roll-notes.js';
import { decodePhrase, EXACT_DECODING, type Decoding } from '../../server/families/symbolic/phrase-decoder.js';
import { conditionSize, DEFAULT_SYMBOLIC_DIMS, symbolicGeneratorShapes } from '../../server/families/symbolic/symbolic-architecture.js';
import { buildCorpus } from './corpus/build-corpus.js';
import { CodeGan } from './code-gan.js';
import { PhraseAutoencoder } from './phrase-autoencoder.js';
import { trainSymbolic } from './symbolic-training.js';
import { sparsePhrase, songsToExamples } from './training-phrases.js';

await tf.setBackend('cpu');
const TINY = { latentDim: 4, codeDim: 6, mapHidden: 16, phraseHidden: 16, barLatent: 8, barHidden: 16, stepHidden: 8, encoderStep: 4, encoderBar: 8, criticHidden: 8 };
const dims = { ...DEFAULT_SYMBOLIC_DIMS, ...TINY };

test('the autoencoder learns to write a phrase back: loss falls and the decoded notes come back', () => {
  const notes: Note[] = [
    { track: 'chords', pitch: 60, step: 0, steps: 16, velocity: 90 },
    { track: 'chords', pitch: 64, step: 0, steps: 16, velocity: 90 },
    { track: 'bass', pitch: 36, step: 0, steps: 8, velocity: 100 },
    { track: 'lead', pitch: 72, step: 4, steps: 4, velocity: 70 },
  ];
  const phrase = sparsePhrase(notesToRoll(notes).roll);
  const autoencoder = new PhraseAutoencoder([phrase, phrase], { dims, batch: 2, learningRate: 1e-2, codeNoise: 0 });
  const first = autoencoder.trainStep().loss;
  for (let i = 0; i < 150; i++) autoencoder.trainStep();
  const last = autoencoder.history.at(-1)!.loss;
  assert.ok(last < first / 5, `loss ${first.toFixed(4)} → ${last.toFixed(4)}`);
  const written = autoencoder.decode(autoencoder.encode([phrase]));
  const back = decodePhrase(written.subarray(0, PHRASE_VALUES), EXACT_DECODING).map((n) => [n.track, n.pitch, n.step, n.steps]);
  assert.deepEqual(back, notes.map((n) => [n.track, n.pitch, n.step, n.steps]).sort((a, b) => Number(a[2]) - Number(b[2]) || String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1])));
  autoencoder.dispose();
});

test('the code GAN trains on codes and samples codes for conditions, seeded', () => {
  const count = 16;
  const codes = Float32Array.from({ length: count * dims.codeDim }, (_, i) => Math.sin(i));
  const conditions = new Float32Array(count * conditionSize(dims));
  const gan = new CodeGan({ dims, codes, conditions, batch: 4, seed: 3 });
  const losses = [gan.trainStep(), gan.trainStep()];
  assert.ok(losses.every((l) => Number.isFinite(l.wasserstein) && Number.isFinite(l.generatorLoss)));
  const sampled = gan.sample(conditions.subarray(0, 2 * conditionSize(dims)), 9);
  assert.equal(sampled.length, 2 * dims.codeDim);
  assert.deepEqual(gan.sample(conditions.subarray(0, 2 * conditionSize(dims)), 9), sampled);
  gan.dispose();
});

test('a whole run at tiny size: served weights of the right shapes, a decoding, a report; only the styles it saw; calibrated snapshots', async () => {
  const songs = buildCorpus({ seed: 2, songsPerStyle: 1, styles: ['cafe'] });
  const snapshots: Array<{ step: number; decoding: Decoding; weights: number }> = [];
  const result = await trainSymbolic({
    songs,
    dims: TINY,
    autoencoder: { steps: 3, seconds: 60, batch: 4 },
    gan: { steps: 2, seconds: 60, batch: 4 },
    calibrationSongs: 1,
    reportSongs: 1,
    snapshotEvery: 1,
    snapshotCalibrationSongs: 1,
    onSnapshot: async ({ step, decoding, weights }) => void snapshots.push({ step, decoding, weights: weights.size }),
  });
  // Each snapshot comes with a decoding calibrated for it (the plain 0.5 rule would play an early model as near silence).
  assert.deepEqual(snapshots.map((s) => [s.step, s.weights]), [[1, result.weights.size], [2, result.weights.size]]);
  for (const { decoding } of snapshots) {
    assert.notDeepEqual(decoding, EXACT_DECODING);
    assert.equal(decoding.bass.monophonic, true, 'calibrated against the data: its bass plays one note at a time');
  }
  assert.deepEqual(result.styles, ['cafe']);
  assert.equal(result.dims.styleCount, 1);
  const shapes = symbolicGeneratorShapes(result.dims);
  assert.deepEqual([...result.weights.keys()].sort(), [...shapes.keys()].sort());
  for (const [name, shape] of shapes) assert.deepEqual(result.weights.get(name)!.shape, shape, name);
  assert.deepEqual(Object.keys(result.decoding).sort(), ['bass', 'chords', 'drums', 'lead']);
  assert.equal(result.decoding.bass.monophonic, true, 'the corpus bass plays one note at a time');
  assert.equal(result.report.figures.length, 36);
  assert.deepEqual(Object.keys(result.perStyle), ['cafe']);
  assert.deepEqual([result.history.autoencoder.length, result.history.gan.length], [3, 2]);
  assert.equal(result.examples, songsToExamples(songs).length);
});
