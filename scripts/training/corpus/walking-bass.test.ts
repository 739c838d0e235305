import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chordSpans, loopBars, spanTones } from './chord-plan.js';
import { scaleStep } from './harmony.js';
import { jazzBassLine, type BassLineOptions } from './walking-bass.js';

// ii V I vi, twice, with a ii–V split into the last bar
const spans = chordSpans([...loopBars([1, 4, 0, 5], 7), [1, 4]], () => 'seventh', false);
const walk: BassLineOptions = { feel: 'walk', noteSteps: 4, chromatic: 0.1, low: 38, high: 55, start: 45, velocity: 80, seed: 9 };

test('a walking line plays a quarter on every beat, the root on each change, never the same pitch twice running', () => {
  for (let seed = 0; seed < 40; seed++) {
    const line = jazzBassLine(spans, spans[0], { ...walk, seed });
    assert.deepEqual(line.map((n) => n.step), Array.from({ length: 32 }, (_, i) => i * 4));
    for (const span of spans) assert.equal(line.find((n) => n.step === span.step)!.pitch % 12, spanTones(span)[0], `root at ${span.step}`);
    for (let i = 1; i < line.length; i++) assert.notEqual(line[i].pitch, line[i - 1].pitch, `seed ${seed} repeats at ${line[i].step}`);
    for (const note of line) assert.ok(note.pitch >= 36 && note.pitch <= 59);
  }
});

test('the last beat before a change is a step (scale or chromatic) from the next root', () => {
  const line = jazzBassLine(spans, spans[0], walk);
  spans.forEach((span, i) => {
    const next = line.find((n) => n.step === (spans[i + 1]?.step ?? 128));
    const approach = line.find((n) => n.step === span.step + span.steps - 4)!;
    if (!next) return;
    const target = next.pitch;
    assert.ok([scaleStep(target, 1), scaleStep(target, -1), target - 1].includes(approach.pitch), `${approach.pitch} → ${target}`);
  });
});

test('a two-feel plays half notes; the last chord of a song is one held root', () => {
  const line = jazzBassLine(spans.slice(0, 4), null, { ...walk, feel: 'two-feel' });
  assert.deepEqual(line.map((n) => [n.step, n.steps]), [[0, 8], [8, 8], [16, 8], [24, 8], [32, 8], [40, 8], [48, 16]]);
  assert.equal(line[line.length - 1].pitch % 12, 9);
});

test('the same seed gives the same line', () => {
  assert.deepEqual(jazzBassLine(spans, spans[0], walk), jazzBassLine(spans, spans[0], walk));
  assert.notDeepEqual(jazzBassLine(spans, spans[0], walk), jazzBassLine(spans, spans[0], { ...walk, seed: 10 }));
});
