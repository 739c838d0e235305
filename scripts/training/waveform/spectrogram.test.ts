import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { FLOOR_DB, spectralDistanceDb, spectrogram } from './spectrogram.js';

const sine = (bin: number, amplitude = 1) => Float32Array.from({ length: 4096 }, (_, t) => amplitude * Math.sin((2 * Math.PI * bin * t) / 256));

test('a full-scale sine on bin 20 peaks there at 0 dB; half amplitude is −6 dB', () => {
  const { frames, bins, db } = spectrogram(sine(20));
  assert.equal(frames, 31);
  assert.equal(bins, 129);
  const frame = db.subarray(5 * bins, 6 * bins);
  assert.equal(frame.indexOf(Math.max(...frame)), 20);
  assert.ok(Math.abs(frame[20]) < 0.01, `${frame[20]} dB`);
  assert.ok(frame[60] < -60, 'far bins are quiet');
  const half = spectrogram(sine(20, 0.5)).db[5 * bins + 20];
  assert.ok(Math.abs(half + 6.02) < 0.01, `${half} dB`);
  assert.ok(spectrogram(new Float32Array(4096)).db.every((v) => v === FLOOR_DB), 'silence sits on the floor');
});

test('spectral distance: 0 for the same sound, small for two noises, large for noise vs a sine', () => {
  const random = mulberry32(1);
  const noise = () => Float32Array.from({ length: 4096 }, () => 0.5 * (random() * 2 - 1));
  const noises = [noise(), noise()];
  assert.equal(spectralDistanceDb(noises, noises), 0);
  assert.ok(spectralDistanceDb([noise(), noise()], [noise(), noise()]) < 1);
  assert.ok(spectralDistanceDb(noises, [sine(20, 0.5), sine(20, 0.5)]) > 20);
});
