import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notesToPhrases } from './phrase-cutting.js';
import { cellIndex, rowOfPitch } from '../../server/families/symbolic/piano-roll.js';
import { rollToNotes, type Note } from '../../server/families/symbolic/roll-notes.js';

test('notesToPhrases cuts 4-bar phrases, cuts notes at a phrase end, and leaves out mostly silent phrases', () => {
  const bass = (step: number): Note => ({ track: 'bass', pitch: 45, step, steps: 8, velocity: 90 });
  const notes: Note[] = [
    ...[0, 16, 32, 48].map(bass), // phrase 0: every bar
    { track: 'chords', pitch: 60, step: 60, steps: 10, velocity: 90 }, // runs 4 steps past phrase 0
    ...[64, 80, 96].map(bass), // phrase 1: bars 4–6, bar 7 silent: kept
    bass(128), // phrase 2: bar 8 only (bars 9–11 silent): left out
    { track: 'drums', pitch: 36, step: 144, steps: 1, velocity: 90 }, // drums do not count as sounding
  ];
  const phrases = notesToPhrases(notes, 10);
  assert.equal(phrases.length, 2);
  const [first, second] = phrases;
  const chordRow = rowOfPitch('chords', 60);
  assert.deepEqual([59, 60, 63].map((s) => first[cellIndex(s, 'chords', chordRow)]), [0, 1, 1]);
  assert.equal(second[cellIndex(0, 'chords', chordRow)], 0, 'the cut note does not spill into the next phrase');
  assert.deepEqual(
    rollToNotes(second).map((n) => [n.track, n.pitch, n.step, n.steps]),
    [0, 16, 32].map((step) => ['bass', 45, step, 8]),
  );
  // Two silent bars are too many: only bars 4 and 5 sounding.
  assert.equal(notesToPhrases(notes.filter((n) => n.step !== 96 && n.step < 128), 8).length, 1);
});
