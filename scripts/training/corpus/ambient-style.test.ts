import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { notesToRoll } from '../../../server/families/symbolic/roll-notes.js';
import { writeAmbientPhrase } from './ambient-style.js';
import { distinctCount, trackNotes } from './corpus-checks.js';

const random = mulberry32(33);
const phrases = Array.from({ length: 200 }, () => notesToRoll(writeAmbientPhrase(random)));

test('ambient: every note fits the roll', () => {
  for (const { skipped } of phrases) assert.equal(skipped, 0);
});

test('ambient: no drums', () => {
  for (const { roll } of phrases) assert.equal(trackNotes(roll, 'drums').length, 0);
});

test('ambient: bass and chords are sustained (a bar or longer, less the release step)', () => {
  for (const { roll } of phrases) {
    for (const note of trackNotes(roll, 'bass')) assert.ok(note.steps >= 15, `bass of ${note.steps} steps`);
    for (const note of trackNotes(roll, 'chords')) assert.ok(note.steps >= 8, `chord tone of ${note.steps} steps`);
  }
});

test('ambient: phrases vary (> 80% distinct of 200)', () => {
  assert.ok(distinctCount(phrases.map((p) => p.roll)) > 160);
});
