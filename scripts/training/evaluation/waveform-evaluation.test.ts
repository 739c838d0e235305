import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillGaussian, mulberry32 } from '../../../server/core/seeded-random.js';
import { formatEvaluationTable } from './evaluation-table.js';
import { kMeans } from './k-means.js';
import { LogMelExtractor } from './log-mel.js';
import { binCounts, compareBins, jensenShannon } from './ndb.js';
import { meanNearestDistance } from './nearest-neighbour.js';
import { loudnessMatchedNoise } from './noise-clips.js';
import { evaluateWaveforms } from './waveform-evaluation.js';

const RATE = 16000;
const CLIP = 2048;

/**
 * Synthetic drum-like one-shots: a decaying sine ("kick" / "tom"), decaying noise ("snare" / "hat"),
 * each with a random pitch, decay and level, so there is structure for k-means to bin.
 */
function drumClips(count: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const kind = Math.floor(random() * 4);
    const frequency = [60, 150, 0, 0][kind] * (0.8 + 0.4 * random());
    const decay = [0.08, 0.12, 0.06, 0.02][kind] * (0.7 + 0.6 * random());
    const level = 0.3 + 0.6 * random();
    const noise = fillGaussian(new Float32Array(CLIP), random);
    return Float32Array.from({ length: CLIP }, (_, i) => {
      const t = i / RATE;
      const tone = frequency > 0 ? Math.sin(2 * Math.PI * frequency * t) : 0.3 * noise[i];
      return level * Math.exp(-t / decay) * tone;
    });
  });
}

test('NDB and JS: identical histograms give 0; disjoint ones give 1 and ln 2', () => {
  const counts = [10, 20, 30, 40, 0];
  assert.deepEqual(compareBins(counts, counts), { ndb: 0, ndbOverK: 0, js: 0 });
  const disjoint = compareBins([50, 50, 0, 0], [0, 0, 50, 50]);
  assert.equal(disjoint.ndbOverK, 1);
  assert.ok(Math.abs(disjoint.js - Math.LN2) < 1e-12);
  assert.ok(Math.abs(jensenShannon([0.5, 0.5], [0.5, 0.5])) < 1e-15);
  // 60 of 100 against 40 of 100: z ≈ 2.83 > 1.96, one bin of two differs each way.
  assert.equal(compareBins([60, 40], [40, 60]).ndb, 2);
  assert.equal(compareBins([52, 48], [48, 52]).ndb, 0);
});

test('k-means: the same points and seed give the same bins; well-separated groups are found', () => {
  const random = mulberry32(3);
  const centres = [[0, 0], [10, 0], [0, 10]];
  const points = Array.from({ length: 300 }, (_, i) => Float32Array.from(centres[i % 3], (c) => c + random() - 0.5));
  const first = kMeans(points, 3, { seed: 7 });
  assert.deepEqual(kMeans(points, 3, { seed: 7 }), first);
  for (let i = 3; i < points.length; i++) assert.equal(first.assignments[i], first.assignments[i % 3]);
  assert.equal(new Set(first.assignments).size, 3);
  assert.throws(() => kMeans(points.slice(0, 2), 3), RangeError);
});

test('evaluation: a set against itself scores 0; noise against drums scores high', () => {
  const extractor = new LogMelExtractor({ sampleRate: RATE });
  const drums = drumClips(300, 1).map((clip) => extractor.features(clip));
  const { centroids } = kMeans(drums, 50, { seed: 1 });
  const drumBins = binCounts(drums, centroids);
  assert.deepEqual(compareBins(drumBins, drumBins), { ndb: 0, ndbOverK: 0, js: 0 });
  assert.equal(meanNearestDistance(drums, drums), 0);
  const noise = loudnessMatchedNoise(drumClips(300, 1), 300, 2).map((clip) => extractor.features(clip));
  const noiseAgainstDrums = compareBins(drumBins, binCounts(noise, centroids));
  assert.ok(noiseAgainstDrums.ndbOverK > 0.3, `NDB/k ${noiseAgainstDrums.ndbOverK}`);
  assert.ok(noiseAgainstDrums.js > 0.3, `JS ${noiseAgainstDrums.js}`);
});

test('evaluation rows: real vs real near the floor, noise far above it, generated = real copies reads as memorised', () => {
  const train = drumClips(400, 11);
  const heldOut = drumClips(100, 12);
  const report = evaluateWaveforms({ sampleRate: RATE, train, heldOut, generated: train.slice(0, 100) }, { count: 100, k: 10, seed: 1 });
  const [generated, real, noise] = report.rows;
  assert.deepEqual(report.rows.map((row) => row.name), ['generated', 'real', 'noise']);
  assert.equal(report.referenceClips, 300);
  assert.ok(real.ndbOverK <= 0.3 && real.js < 0.1, `real vs real: NDB/k ${real.ndbOverK}, JS ${real.js}`);
  assert.ok(noise.ndbOverK >= 0.5 && noise.js > 0.3, `noise: NDB/k ${noise.ndbOverK}, JS ${noise.js}`);
  assert.ok(noise.nearestTrain > 2 * real.nearestTrain && noise.heldOutNearest > 2 * real.heldOutNearest);
  // The "generated" clips are training clips; those in the reference are at distance 0.
  assert.ok(generated.nearestTrain < real.nearestTrain);
  assert.deepEqual(evaluateWaveforms({ sampleRate: RATE, train, heldOut }, { count: 100, k: 10, seed: 1 }).rows, report.rows.slice(1));
  assert.match(formatEvaluationTable(report), /NDB \/ k \(k = 10, α = 0.05\)/);
  assert.throws(() => evaluateWaveforms({ sampleRate: RATE, train, heldOut, generated: [new Float32Array(100)] }), /a generated clip has 100/);
});
