import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { notesToRoll } from '../../../server/families/symbolic/roll-notes.js';
import { writeCafePhrase } from './cafe-style.js';
import { KICK, SNARE } from './note-builders.js';
import { chordPitchClassesInBar, distinctCount, drumSteps, trackNotes } from './corpus-checks.js';

const random = mulberry32(22);
const phrases = Array.from({ length: 200 }, () => notesToRoll(writeCafePhrase(random)));

test('cafe: every note fits the roll', () => {
  for (const { skipped } of phrases) assert.equal(skipped, 0);
});

test('cafe: every bar holds a 7th chord (4 pitch classes)', () => {
  for (const { roll } of phrases) {
    for (let bar = 0; bar < 4; bar++) assert.equal(chordPitchClassesInBar(roll, bar).size, 4, `bar ${bar}`);
  }
});

test('cafe: drums in about half the phrases, and then kick on 1 and the "and" of 3, snare on 2 and 4', () => {
  const withDrums = phrases.filter(({ roll }) => trackNotes(roll, 'drums').length > 0);
  assert.ok(withDrums.length > 60 && withDrums.length < 140, `${withDrums.length} of 200 have drums`);
  for (const { roll } of withDrums) {
    assert.deepEqual(drumSteps(roll, KICK), [0, 10, 16, 26, 32, 42, 48, 58]);
    assert.deepEqual(drumSteps(roll, SNARE), [4, 12, 20, 28, 36, 44, 52, 60]);
  }
});

test('cafe: the bass starts every bar on a note of at least a half note', () => {
  for (const { roll } of phrases) {
    for (let bar = 0; bar < 4; bar++) {
      const downbeat = trackNotes(roll, 'bass').find((note) => note.step === bar * 16);
      assert.ok(downbeat && downbeat.steps >= 7, `bar ${bar}`);
    }
  }
});

test('cafe: phrases vary (> 80% distinct of 200)', () => {
  assert.ok(distinctCount(phrases.map((p) => p.roll)) > 160);
});
