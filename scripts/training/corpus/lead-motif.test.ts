import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { chordAt, chordSpans, loopBars, spanTones } from './chord-plan.js';
import { inCMajor } from './harmony.js';
import { drawContour, writeLead, type Motif } from './lead-motif.js';

// vi IV I V, twice
const spans = chordSpans(loopBars([5, 3, 0, 4], 8), () => 'triad');
const voice = { home: 69, low: 60, high: 83, velocity: 80 };
const motif: Motif = {
  span: 32,
  notes: [
    { offset: 0, steps: 4, contour: 0 },
    { offset: 4, steps: 2, contour: 1 },
    { offset: 6, steps: 2, contour: 2 },
    { offset: 8, steps: 8, contour: -1 },
    { offset: 16, steps: 12, contour: 0 },
  ],
};

test('contours start at 0, stay in bounds and move mostly by step', () => {
  const random = mulberry32(4);
  let steps = 0;
  let moves = 0;
  for (let i = 0; i < 200; i++) {
    const contour = drawContour(random, 6);
    assert.equal(contour[0], 0);
    for (let j = 1; j < contour.length; j++) {
      assert.ok(contour[j] >= -4 && contour[j] <= 5, `${contour}`);
      assert.notEqual(contour[j], contour[j - 1], 'a contour always moves');
      moves++;
      if (Math.abs(contour[j] - contour[j - 1]) <= 2) steps++;
    }
  }
  assert.ok(steps / moves > 0.6, `${steps} of ${moves} moves are steps or thirds`);
});

test('a restatement over the same chords is the same notes; a sequence follows the chords', () => {
  const notes = writeLead(
    [
      { start: 0, motif, placement: 'home' },
      { start: 32, motif, placement: 'previous' },
      { start: 64, motif, placement: 'home' },
    ],
    spans,
    voice,
  );
  const statement = (start: number) => notes.filter((n) => n.step >= start && n.step < start + 32).map((n) => [n.pitch, n.step - start, n.steps]);
  assert.deepEqual(statement(64), statement(0));
  assert.notDeepEqual(statement(32), statement(0));
  for (const note of notes) {
    assert.ok(inCMajor(note.pitch));
    assert.ok(note.pitch >= 60 && note.pitch <= 83);
    if (note.step % 4 === 0 || note.steps >= 4) assert.ok(spanTones(chordAt(spans, note.step)).includes(note.pitch % 12), `${note.pitch} at ${note.step} is a chord tone`);
  }
});

test('a changed ending moves the last note; a held ending holds it; the home ending lands on the tonic', () => {
  const plain = writeLead([{ start: 0, motif, placement: 'home' }], spans, voice);
  const changed = writeLead([{ start: 0, motif, placement: 'home', endShift: 1, holdUntil: 30 }], spans, voice);
  assert.notEqual(changed[changed.length - 1].pitch, plain[plain.length - 1].pitch);
  assert.equal(changed[changed.length - 1].step + changed[changed.length - 1].steps, 30);
  const home = writeLead([{ start: 96, motif, placement: 'previous', homeAt: 112, holdUntil: 128 }], spans, voice);
  const last = home[home.length - 1];
  assert.deepEqual([last.pitch % 12, last.step, last.steps], [0, 112, 16]);
  assert.ok(home.every((n) => n === last || n.step < 112));
});

test('the lead is one voice and a fixed riff keeps its off-beat notes', () => {
  const riff: Motif = { span: 16, notes: [{ offset: 2, steps: 2, contour: 0 }, { offset: 6, steps: 2, contour: 2 }, { offset: 10, steps: 6, contour: 1 }] };
  const notes = writeLead(Array.from({ length: 8 }, (_, bar) => ({ start: bar * 16, motif: riff, placement: 'fixed' as const })), spans, voice);
  for (let i = 1; i < notes.length; i++) assert.ok(notes[i - 1].step + notes[i - 1].steps <= notes[i].step);
  const offBeats = (bar: number) => notes.filter((n) => n.step >= bar * 16 && n.step < bar * 16 + 16 && n.steps < 4).map((n) => n.pitch);
  for (let bar = 1; bar < 8; bar++) assert.deepEqual(offBeats(bar), offBeats(0));
});
