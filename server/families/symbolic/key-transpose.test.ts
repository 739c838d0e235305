import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateKeyShift, transposeNotes } from './key-transpose.js';
import { midiToNotes, notesToMidi } from './midi-file.js';
import type { Note } from './roll-notes.js';

/** A melody and chords in D major (D E F# G A B C#), as a file would hold them. */
const D_MAJOR: Note[] = [62, 64, 66, 67, 69, 71, 73, 74, 69, 66, 62]
  .map((pitch, i): Note => ({ track: 'chords', pitch, step: i * 4, steps: 4, velocity: 90 }))
  .concat(
    [50, 55, 57, 50].map((pitch, i): Note => ({ track: 'bass', pitch, step: i * 16, steps: 16, velocity: 90 })),
    [{ track: 'drums', pitch: 42, step: 0, steps: 1, velocity: 90 }],
  );

const C_MAJOR_PITCH_CLASSES = new Set([0, 2, 4, 5, 7, 9, 11]);

test('estimateKeyShift finds D major (−2), and transposeNotes brings it to C, leaving drums alone', () => {
  assert.equal(estimateKeyShift(D_MAJOR), -2);
  const inC = transposeNotes(D_MAJOR, -2);
  assert.deepEqual(inC.slice(0, 3).map((n) => n.pitch), [60, 62, 64]);
  assert.ok(inC.every((n) => n.track === 'drums' || C_MAJOR_PITCH_CLASSES.has(n.pitch % 12)));
  assert.deepEqual(inC.at(-1), D_MAJOR.at(-1));
  assert.equal(estimateKeyShift(inC), 0);

  // Through a file: the same tune read back from bytes.
  const imported = midiToNotes(notesToMidi(D_MAJOR, { tempo: 100 }));
  assert.equal(estimateKeyShift(imported.notes), -2);
});

test('estimateKeyShift folds shifts into −6..+5 and reads minor keys as their relative A minor', () => {
  const shifted = (semitones: number) => transposeNotes(D_MAJOR, semitones - 2); // C major moved up
  assert.equal(estimateKeyShift(shifted(7)), 5); // G major: up 5 to C
  assert.equal(estimateKeyShift(shifted(6)), -6); // F# major
  assert.equal(estimateKeyShift(shifted(5)), -5); // F major
  // E harmonic minor (E F# G A B C D#) with an E minor bass: to A minor is +5.
  const eMinor: Note[] = [64, 66, 67, 71, 64, 63, 64, 72, 71, 67, 64, 64]
    .map((pitch, i): Note => ({ track: 'chords', pitch, step: i * 4, steps: 4, velocity: 90 }))
    .concat([40, 40, 47, 40].map((pitch, i): Note => ({ track: 'bass', pitch, step: i * 16, steps: 16, velocity: 90 })));
  assert.equal(estimateKeyShift(eMinor), 5);
  assert.equal(estimateKeyShift([]), 0);
  assert.equal(estimateKeyShift([{ track: 'drums', pitch: 36, step: 0, steps: 1, velocity: 90 }]), 0);
});

test('transposeNotes folds pitches that leave a track back into its range', () => {
  const out = transposeNotes(
    [
      { track: 'bass', pitch: 59, step: 0, steps: 1, velocity: 90 },
      { track: 'chords', pitch: 48, step: 0, steps: 1, velocity: 90 },
    ],
    -2 + 3,
  );
  assert.deepEqual(out.map((n) => n.pitch), [48, 49]);
});
