import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chordAt, chordSpans, loopBars, slowBars, spanTones, voiceSpans } from './chord-plan.js';

test('bars become spans on the step grid; split bars give half-bar spans', () => {
  const spans = chordSpans([[1], [4], [0], [5, 4]], () => 'seventh');
  assert.deepEqual(
    spans.map(({ degree, step, steps }) => [degree, step, steps]),
    [[1, 0, 16], [4, 16, 16], [0, 32, 16], [5, 48, 8], [4, 56, 8]],
  );
  assert.deepEqual(spanTones(spans[0]), [2, 5, 9, 0]);
});

test('a repeated degree merges into one span unless asked not to', () => {
  const bars = slowBars([0, 3], 2, 4);
  assert.deepEqual(bars, [[0], [0], [3], [3]]);
  assert.deepEqual(chordSpans(bars, () => 'triad').map((s) => s.steps), [32, 32]);
  assert.deepEqual(chordSpans(bars, () => 'triad', false).map((s) => s.steps), [16, 16, 16, 16]);
});

test('the chord at a step, and past the end the last one', () => {
  const spans = chordSpans(loopBars([5, 3, 0, 4], 8), () => 'triad');
  assert.equal(chordAt(spans, 0).degree, 5);
  assert.equal(chordAt(spans, 31).degree, 3);
  assert.equal(chordAt(spans, 64).degree, 5);
  assert.equal(chordAt(spans, 500).degree, 4);
});

test('voicings are led from the start voicing with common tones kept, inside the window', () => {
  const spans = chordSpans(loopBars([0, 5], 2), () => 'triad');
  const [c, am] = voiceSpans(spans, [60, 64, 67], 55, 79);
  assert.deepEqual(c, [60, 64, 67]);
  assert.deepEqual(am, [60, 64, 69]);
  const [openC] = voiceSpans(spans, [], 48, 95, true);
  assert.deepEqual(openC, [48, 55, 64]);
});
