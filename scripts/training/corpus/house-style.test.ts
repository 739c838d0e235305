import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { notesToRoll } from '../../../server/families/symbolic/roll-notes.js';
import { writeHousePhrase } from './house-style.js';
import { CLOSED_HAT, KICK, OPEN_HAT, SNARE } from './note-builders.js';
import { distinctCount, drumSteps, trackNotes } from './corpus-checks.js';

const random = mulberry32(11);
const phrases = Array.from({ length: 200 }, () => notesToRoll(writeHousePhrase(random)));

test('house: every note fits the roll', () => {
  for (const { skipped } of phrases) assert.equal(skipped, 0);
});

test('house: kick on every beat, snare/clap on beats 2 and 4 of every bar', () => {
  const beats = Array.from({ length: 16 }, (_, beat) => beat * 4);
  const backbeats = beats.filter((step) => step % 16 === 4 || step % 16 === 12);
  for (const { roll } of phrases) {
    assert.deepEqual(drumSteps(roll, KICK), beats);
    for (const step of backbeats) assert.ok(drumSteps(roll, SNARE).includes(step), `snare at ${step}`);
  }
});

test('house: a hat (closed or open) on every off-beat 8th', () => {
  for (const { roll } of phrases) {
    const hats = new Set([...drumSteps(roll, CLOSED_HAT), ...drumSteps(roll, OPEN_HAT)]);
    for (let step = 2; step < 64; step += 4) assert.ok(hats.has(step), `hat at ${step}`);
  }
});

test('house: bass notes are short, chords sound in every bar', () => {
  for (const { roll } of phrases) {
    assert.ok(trackNotes(roll, 'bass').every((note) => note.steps === 1));
    const chordBars = new Set(trackNotes(roll, 'chords').map((note) => Math.floor(note.step / 16)));
    assert.deepEqual([...chordBars].sort(), [0, 1, 2, 3]);
  }
});

test('house: phrases vary (> 80% distinct of 200)', () => {
  assert.ok(distinctCount(phrases.map((p) => p.roll)) > 160);
});
