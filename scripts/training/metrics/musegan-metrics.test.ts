import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_NAMES, computeMetrics, measurePhrases, tonalCentroid, tonalDistance } from './musegan-metrics.js';
import { STEPS_PER_BAR, cellIndex, emptyRoll, rowOfPitch, type PianoRoll, type TrackName } from '../../../server/families/symbolic/piano-roll.js';

/** Sets `pitch` of `trackName` on steps [from, to). */
function hold(roll: PianoRoll, trackName: TrackName, pitch: number, from: number, to = from + 1): PianoRoll {
  const row = rowOfPitch(trackName, pitch);
  assert.ok(row >= 0, `${trackName} cannot play ${pitch}`);
  for (let step = from; step < to; step++) roll[cellIndex(step, trackName, row)] = 1;
  return roll;
}

const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);

test('a C-major triad held a full bar uses 3 pitch classes in 3 qualified notes', () => {
  const roll = emptyRoll();
  for (const pitch of [60, 64, 67]) hold(roll, 'chords', pitch, 0, STEPS_PER_BAR);
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(metrics['UPC.chords'], 3);
  assert.equal(metrics['QN.chords'], 1);
  assert.equal(support['QN.chords'], 3);
  assert.equal(support['UPC.chords'], 1, 'only the one non-empty bar counts for UPC');
  assert.equal(metrics['EB.chords'], 0.75, 'bars 2–4 are empty');
});

test('UPC counts pitch classes, not pitches: octaves of C are one class', () => {
  const roll = emptyRoll();
  hold(roll, 'chords', 48, 0, 4);
  hold(roll, 'chords', 72, 4, 8);
  hold(roll, 'chords', 67, 8, 12);
  hold(roll, 'bass', 36, 16, 20);
  hold(roll, 'bass', 48, 20, 24);
  const metrics = computeMetrics([roll]);
  assert.equal(metrics['UPC.chords'], 2);
  assert.equal(metrics['UPC.bass'], 1);
});

test('a kick on all 16 steps of a bar has half its onsets on the 8th grid', () => {
  const roll = emptyRoll();
  for (let step = 0; step < STEPS_PER_BAR; step++) roll[cellIndex(step, 'drums', 0)] = 1;
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(metrics['DP.drums'], 0.5);
  assert.equal(support['DP.drums'], 16);
  assert.equal(metrics['EB.drums'], 0.75);
});

test('an on-beat groove is entirely in pattern; off-beat 16ths pull DP down', () => {
  const onBeat = emptyRoll();
  for (let step = 0; step < 64; step += 4) onBeat[cellIndex(step, 'drums', 0)] = 1;
  assert.equal(computeMetrics([onBeat])['DP.drums'], 1);
  const offBeat = emptyRoll();
  for (const step of [0, 3, 7, 11]) offBeat[cellIndex(step, 'drums', 2)] = 1;
  assert.equal(computeMetrics([offBeat])['DP.drums'], 0.25);
});

test('an empty bass bar counts towards EB.bass, pooled over phrases', () => {
  const three = emptyRoll();
  for (let bar = 0; bar < 3; bar++) hold(three, 'bass', 40, bar * STEPS_PER_BAR, bar * STEPS_PER_BAR + 4);
  const full = emptyRoll();
  for (let bar = 0; bar < 4; bar++) hold(full, 'bass', 40, bar * STEPS_PER_BAR, bar * STEPS_PER_BAR + 4);
  assert.equal(computeMetrics([three])['EB.bass'], 0.25);
  assert.equal(computeMetrics([three, full])['EB.bass'], 1 / 8);
  assert.equal(computeMetrics([three])['EB.drums'], 1);
});

test('QN counts notes of at least two steps; one-step blips do not qualify', () => {
  const roll = emptyRoll();
  hold(roll, 'bass', 36, 0); // one step
  hold(roll, 'bass', 36, 2); // one step, a rest apart: a separate note
  hold(roll, 'bass', 38, 4); // one step
  hold(roll, 'bass', 40, 6, 8); // two steps: qualifies
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(support['QN.bass'], 4);
  assert.equal(metrics['QN.bass'], 0.25);
});

test('a note held across a bar line is one note for QN and sounds in both bars for UPC and EB', () => {
  const roll = emptyRoll();
  hold(roll, 'bass', 43, 15, 17);
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(support['QN.bass'], 1);
  assert.equal(metrics['QN.bass'], 1);
  assert.equal(support['UPC.bass'], 2);
  assert.equal(metrics['EB.bass'], 0.5);
});

test('tonal centroid of C and of a chroma scaled by any factor', () => {
  const c = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.deepEqual([...tonalCentroid(c)], [0, 1, 0, 1, 0, 0.5]);
  const triad = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
  close(tonalDistance(triad, triad.map((w) => w * 5)), 0, 'scaling a chroma');
  assert.deepEqual([...tonalCentroid(new Array(12).fill(0))], [0, 0, 0, 0, 0, 0]);
  assert.throws(() => tonalCentroid([1, 2, 3]), RangeError);
});

test('TD is 0 for bass and chords with the same pitch classes, and 2√2 for C against F#', () => {
  const same = emptyRoll();
  hold(same, 'bass', 36, 0, 16);
  hold(same, 'chords', 72, 0, 8);
  const tritone = emptyRoll();
  hold(tritone, 'bass', 36, 0, 16);
  hold(tritone, 'chords', 66, 0, 16);
  close(computeMetrics([same])['TD.bass-chords'], 0);
  close(computeMetrics([tritone])['TD.bass-chords'], 2 * Math.SQRT2);
  close(computeMetrics([same, tritone])['TD.bass-chords'], Math.SQRT2, 'mean over the two bars');
  const fifth = emptyRoll();
  hold(fifth, 'bass', 36, 0, 16);
  hold(fifth, 'chords', 67, 0, 16);
  const td = computeMetrics([fifth])['TD.bass-chords'];
  assert.ok(td > 0 && td < 2 * Math.SQRT2, `a fifth is closer than a tritone: ${td}`);
});

test('TD averages only over bars where bass and chords both sound', () => {
  const roll = emptyRoll();
  hold(roll, 'bass', 36, 0, 16);
  hold(roll, 'chords', 66, 0, 16);
  hold(roll, 'bass', 36, 16, 32); // bar 2: bass alone
  hold(roll, 'chords', 60, 48, 64); // bar 4: chords alone
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(support['TD.bass-chords'], 1);
  close(metrics['TD.bass-chords'], 2 * Math.SQRT2);
});

test('undefined metrics are 0 with support 0, never NaN', () => {
  const empty = measurePhrases([]);
  for (const name of METRIC_NAMES) {
    assert.equal(empty.metrics[name], 0, name);
    assert.equal(empty.support[name], 0, name);
  }
  const silent = measurePhrases([emptyRoll()]);
  assert.equal(silent.metrics['EB.drums'], 1);
  assert.equal(silent.support['EB.drums'], 4);
  for (const name of ['UPC.bass', 'QN.chords', 'DP.drums', 'TD.bass-chords'] as const) {
    assert.equal(silent.metrics[name], 0, name);
    assert.equal(silent.support[name], 0, name);
  }
});

test('cells count as active from 0.5, as rollToNotes reads them', () => {
  const roll = emptyRoll();
  roll[cellIndex(1, 'drums', 0)] = 0.7;
  roll[cellIndex(2, 'drums', 0)] = 0.3;
  const { metrics, support } = measurePhrases([roll]);
  assert.equal(support['DP.drums'], 1);
  assert.equal(metrics['DP.drums'], 0);
});

test('rejects an array that is not a phrase', () => {
  assert.throws(() => computeMetrics([new Float32Array(10)]), RangeError);
});
