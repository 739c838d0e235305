import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { crossesBarLine, drumFigures, longestSemitoneRun, overlappingNotes, phraseAttacks, restrikes, trackFigures } from './corpus-checks.js';

const note = (track: Note['track'], pitch: number, step: number, steps: number, velocity = 80): Note => ({ track, pitch, step, steps, velocity });
const song = (notes: Note[]): Song => ({ style: 'cafe', bars: 32, notes });

test('a re-strike is the same pitch struck 0 or 1 steps after it stopped', () => {
  const notes = [note('lead', 60, 0, 4), note('lead', 60, 4, 2), note('lead', 60, 7, 2), note('lead', 60, 11, 2), note('lead', 62, 13, 1)];
  assert.deepEqual(restrikes(notes).map((n) => n.step), [4, 7]);
});

test('track figures count shares over all notes, onsets over sounding bars, density over sounding steps', () => {
  const figures = trackFigures(
    [song([note('chords', 60, 0, 1), note('chords', 64, 0, 20), note('chords', 67, 4, 4), note('chords', 61, 10, 2)])],
    'chords',
  );
  assert.equal(figures.notes, 4);
  assert.equal(figures.oneSixteenthShare, 0.25);
  assert.equal(figures.heldAcrossShare, 0.25);
  assert.equal(figures.inKeyShare, 0.75);
  assert.equal(figures.onsetsPerBar, 3 / 2);
  // steps 0–19 sound: 2 at 0, 1 at 1–3, 2 at 4–7, 1 at 8–9, 2 at 10–11, 1 at 12–19
  assert.equal(figures.meanSounding, (2 + 3 + 8 + 2 + 4 + 8) / 20);
  assert.equal(crossesBarLine(note('bass', 40, 12, 4)), false);
  assert.equal(crossesBarLine(note('bass', 40, 12, 5)), true);
});

test('drum figures, overlaps, clusters and phrase attacks', () => {
  const drums = drumFigures([song([note('drums', 36, 0, 1), note('drums', 42, 3, 1)]), song([])]);
  assert.deepEqual(drums, { hitsPerBar: 2 / 32, eighthGridShare: 0.5, songsWithDrums: 1 });
  assert.deepEqual(overlappingNotes(song([note('bass', 40, 0, 8), note('bass', 43, 4, 4), note('bass', 45, 8, 4)]), 'bass').map((n) => n.step), [4]);
  assert.equal(longestSemitoneRun([60, 61, 62, 64]), 3);
  assert.equal(longestSemitoneRun([60, 64, 65, 67]), 2);
  const attacks = phraseAttacks(song([note('lead', 72, 60, 8), note('lead', 74, 68, 4)]), 1);
  assert.deepEqual(attacks, [note('lead', 74, 4, 4)], 'the note tied in from phrase 0 is left out');
});
