import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_NAMES, computeMetrics, measureSongs, tonalCentroid, tonalDistance } from './musegan-metrics.js';
import { note, song } from './song-fixtures.test-helper.js';

const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);

test('a C-major triad held a full bar uses 3 pitch classes in 3 qualified notes', () => {
  const { metrics, support } = measureSongs([song([note('chords', 60, 0, 16), note('chords', 64, 0, 16), note('chords', 67, 0, 16)])]);
  assert.equal(metrics['UPC.chords'], 3);
  assert.equal(metrics['QN.chords'], 1);
  assert.equal(support['QN.chords'], 3);
  assert.equal(support['UPC.chords'], 1, 'only the one non-empty bar counts for UPC');
  assert.equal(metrics['EB.chords'], 0.75, 'bars 2–4 are empty');
});

test('UPC counts pitch classes, not pitches: octaves of C are one class', () => {
  const metrics = computeMetrics([
    song([
      note('chords', 48, 0, 4), note('chords', 72, 4, 4), note('chords', 67, 8, 4),
      note('bass', 36, 16, 4), note('bass', 48, 20, 4),
    ]),
  ]);
  assert.equal(metrics['UPC.chords'], 2);
  assert.equal(metrics['UPC.bass'], 1);
});

test('a kick on all 16 steps of a bar has half its onsets on the 8th grid', () => {
  const { metrics, support } = measureSongs([song(Array.from({ length: 16 }, (_, step) => note('drums', 36, step)))]);
  assert.equal(metrics['DP.drums'], 0.5);
  assert.equal(support['DP.drums'], 16);
  assert.equal(metrics['EB.drums'], 0.75);
});

test('an on-beat groove is entirely in pattern; off-beat 16ths pull DP down', () => {
  const onBeat = song(Array.from({ length: 16 }, (_, i) => note('drums', 36, i * 4)));
  assert.equal(computeMetrics([onBeat])['DP.drums'], 1);
  assert.equal(computeMetrics([onBeat])['EB.drums'], 0);
  const offBeat = song([0, 3, 7, 11].map((step) => note('drums', 42, step)));
  assert.equal(computeMetrics([offBeat])['DP.drums'], 0.25);
});

test('a drum bar is empty without an onset, however long the hit is written', () => {
  // Drums are one-shots: a 20-step kick written in bar 1 does not sound in bar 2.
  const metrics = computeMetrics([song([note('drums', 36, 0, 20)], 2)]);
  assert.equal(metrics['EB.drums'], 0.5);
});

test('an empty bass bar counts towards EB.bass, pooled over songs of any length', () => {
  const three = song([0, 1, 2].map((bar) => note('bass', 40, bar * 16, 4)));
  const full = song([0, 1, 2, 3, 4, 5, 6, 7].map((bar) => note('bass', 40, bar * 16, 4)), 8);
  assert.equal(computeMetrics([three])['EB.bass'], 0.25);
  assert.equal(computeMetrics([three, full])['EB.bass'], 1 / 12);
  assert.equal(computeMetrics([three])['EB.drums'], 1);
});

test('QN counts notes of at least two steps; one-step blips do not qualify', () => {
  const { metrics, support } = measureSongs([
    song([note('bass', 36, 0), note('bass', 36, 2), note('bass', 38, 4), note('bass', 40, 6, 2)]),
  ]);
  assert.equal(support['QN.bass'], 4);
  assert.equal(metrics['QN.bass'], 0.25);
});

test('a note held across a bar line is one note for QN and sounds in both bars for UPC and EB', () => {
  const { metrics, support } = measureSongs([song([note('bass', 43, 15, 2)])]);
  assert.equal(support['QN.bass'], 1);
  assert.equal(metrics['QN.bass'], 1);
  assert.equal(support['UPC.bass'], 2);
  assert.equal(metrics['EB.bass'], 0.5);
});

test('a chord held over three bar lines sounds in all four bars', () => {
  const { metrics } = measureSongs([song([note('chords', 60, 8, 50), note('chords', 64, 8, 50)])]);
  assert.equal(metrics['EB.chords'], 0);
  assert.equal(metrics['UPC.chords'], 2);
});

test('notes are cut at the song end, and notes outside the song are ignored', () => {
  const { metrics, support } = measureSongs([song([note('bass', 36, 24, 40), note('bass', 38, 40), note('bass', 40, -1, 4)], 2)]);
  assert.equal(metrics['EB.bass'], 0.5, 'the long note sounds in bar 2 only, not past the song');
  assert.equal(support['QN.bass'], 1, 'the notes before and after the song are not counted');
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
  const same = song([note('bass', 36, 0, 16), note('chords', 72, 0, 8)], 1);
  const tritone = song([note('bass', 36, 0, 16), note('chords', 66, 0, 16)], 1);
  close(computeMetrics([same])['TD.bass-chords'], 0);
  close(computeMetrics([tritone])['TD.bass-chords'], 2 * Math.SQRT2);
  close(computeMetrics([same, tritone])['TD.bass-chords'], Math.SQRT2, 'mean over the two bars');
  const td = computeMetrics([song([note('bass', 36, 0, 16), note('chords', 67, 0, 16)], 1)])['TD.bass-chords'];
  assert.ok(td > 0 && td < 2 * Math.SQRT2, `a fifth is closer than a tritone: ${td}`);
});

test('TD weighs each pitch class by the steps it sounds in the bar', () => {
  // Bar 2 holds 12 steps of C and 4 of F# in the chords (a tied-over C from bar 1): C-heavy, so
  // closer to the bass's C than an even C + F# mix would be.
  const heavy = computeMetrics([song([note('bass', 36, 16, 16), note('chords', 60, 4, 24), note('chords', 66, 28, 4)], 2)]);
  const even = computeMetrics([song([note('bass', 36, 0, 16), note('chords', 60, 0, 8), note('chords', 66, 8, 8)], 1)]);
  assert.ok(heavy['TD.bass-chords'] < even['TD.bass-chords'], `${heavy['TD.bass-chords']} vs ${even['TD.bass-chords']}`);
});

test('TD averages only over bars where bass and chords both sound', () => {
  const { metrics, support } = measureSongs([
    song([note('bass', 36, 0, 16), note('chords', 66, 0, 16), note('bass', 36, 16, 16), note('chords', 60, 48, 16)]),
  ]);
  assert.equal(support['TD.bass-chords'], 1);
  close(metrics['TD.bass-chords'], 2 * Math.SQRT2);
});

test('undefined metrics are 0 with support 0, never NaN', () => {
  const empty = measureSongs([]);
  for (const name of METRIC_NAMES) {
    assert.equal(empty.metrics[name], 0, name);
    assert.equal(empty.support[name], 0, name);
  }
  const silent = measureSongs([song([])]);
  assert.equal(silent.metrics['EB.drums'], 1);
  assert.equal(silent.support['EB.drums'], 4);
  for (const name of ['UPC.bass', 'QN.chords', 'DP.drums', 'TD.bass-chords'] as const) {
    assert.equal(silent.metrics[name], 0, name);
    assert.equal(silent.support[name], 0, name);
  }
});

test('rejects a song whose bars is not a whole number', () => {
  assert.throws(() => computeMetrics([song([], 2.5)]), RangeError);
});
