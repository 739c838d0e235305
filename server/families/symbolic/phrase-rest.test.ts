import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longestRest } from './phrase-rest.js';
import { STEPS_PER_PHRASE } from './piano-roll.js';
import type { Note } from './roll-notes.js';

const note = (track: Note['track'], step: number, steps: number): Note => ({ track, pitch: 60, step, steps, velocity: 90 });

test('an empty phrase rests for all of it', () => {
  assert.equal(longestRest([]), STEPS_PER_PHRASE);
});

test('a pitched note sounds for its length, a drum hit for its own step only', () => {
  // chords 0–7, a gap 8–11, a hit at 12, a gap 13–63.
  assert.equal(longestRest([note('chords', 0, 8), note('drums', 12, 1)]), STEPS_PER_PHRASE - 13);
  assert.equal(longestRest([note('chords', 0, 8), note('drums', 12, 1), note('bass', 13, 51)]), 4);
});

test('the rest before the first note and after the last count, notes past the end are cut', () => {
  assert.equal(longestRest([note('lead', 10, 100)]), 10);
  assert.equal(longestRest([note('lead', 0, 50)]), STEPS_PER_PHRASE - 50);
});

test('a phrase sounding throughout has no rest', () => {
  const notes = Array.from({ length: STEPS_PER_PHRASE / 2 }, (_, i) => note('bass', i * 2, 2));
  assert.equal(longestRest(notes), 0);
});
