import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bassRoot,
  chordPitchClasses,
  closeVoicing,
  dominantOf,
  inCMajor,
  nearestPitchOfClasses,
  nearestSpreadVoicing,
  nearestVoicing,
  romanProgression,
  scaleStep,
  spreadVoicing,
  voiceLead,
  type ChordKind,
  type Degree,
} from './harmony.js';

test('Roman numerals name 0-based scale degrees', () => {
  assert.deepEqual(romanProgression('ii–V–I–vi'), [1, 4, 0, 5]);
  assert.deepEqual(romanProgression('I-iii-IV-vii°'), [0, 2, 3, 6]);
  assert.throws(() => romanProgression('I–X'), /unknown Roman numeral 'X'/);
});

test('diatonic 7th chords have the qualities of C major', () => {
  assert.deepEqual(chordPitchClasses(0, 'seventh'), [0, 4, 7, 11]); // Cmaj7
  assert.deepEqual(chordPitchClasses(1, 'seventh'), [2, 5, 9, 0]); // Dm7
  assert.deepEqual(chordPitchClasses(4, 'seventh'), [7, 11, 2, 5]); // G7
  assert.deepEqual(chordPitchClasses(5, 'seventh'), [9, 0, 4, 7]); // Am7
  assert.deepEqual(chordPitchClasses(3, 'add9'), [5, 9, 0, 7]); // Fadd9
  assert.deepEqual(chordPitchClasses(4, 'sus2'), [7, 9, 2]); // Gsus2
  assert.throws(() => chordPitchClasses(2, 'add9'), /no add9 on degree III/);
});

test('every chord tone of every allowed chord is in C major', () => {
  for (const kind of ['triad', 'seventh', 'add9', 'sus2'] as ChordKind[]) {
    for (const degree of [0, 1, 3, 4, 5] as Degree[]) {
      for (const pitchClass of chordPitchClasses(degree, kind)) assert.ok(inCMajor(pitchClass), `${kind} on ${degree}`);
    }
  }
  assert.equal(inCMajor(61), false);
});

test('voicings ascend from the requested floor', () => {
  assert.deepEqual(closeVoicing([0, 4, 7], 0, 60), [60, 64, 67]);
  assert.deepEqual(closeVoicing([0, 4, 7], 1, 60), [64, 67, 72]);
  assert.deepEqual(spreadVoicing([0, 4, 7, 2], 48), [48, 55, 64, 74]);
  assert.equal(bassRoot(5), 45);
});

test('nearest voicing keeps common tones and stays in range', () => {
  // C major (60 64 67) → A minor: C and E stay, G moves up to A.
  assert.deepEqual(nearestVoicing([9, 0, 4], [60, 64, 67], 55, 79), [60, 64, 69]);
  for (const voicing of voiceLead([[0, 4, 7], [7, 11, 2], [9, 0, 4], [5, 9, 0]], 2, 67, 55, 79)) {
    assert.ok(Math.min(...voicing) >= 55 && Math.max(...voicing) <= 79, `${voicing}`);
  }
});

test('a spread voicing drifts to the nearest placement of the next chord', () => {
  const fAdd9 = nearestSpreadVoicing(chordPitchClasses(3, 'add9'), [], 48, 95);
  assert.deepEqual(fAdd9, [53, 60, 69, 79]); // F C | A G: root and fifth low, the rest an octave up
  const next = nearestSpreadVoicing(chordPitchClasses(0, 'add9'), fAdd9, 48, 95);
  assert.deepEqual(next, [60, 67, 76, 86], 'C, common to both, stays where it was; the root moves there rather than down to 48');
  assert.throws(() => nearestSpreadVoicing([0, 4, 7, 2], [], 90, 95), /no spread voicing/);
});

test('scale steps move along C major, across octaves, from off-scale pitches too', () => {
  assert.equal(scaleStep(60, 2), 64);
  assert.equal(scaleStep(60, -1), 59);
  assert.equal(scaleStep(71, 1), 72);
  assert.equal(scaleStep(64, 7), 76);
  assert.equal(scaleStep(61, 1), 62, 'C♯ moves from C');
});

test('the nearest pitch of a chord breaks ties the preferred way', () => {
  assert.equal(nearestPitchOfClasses([0, 4, 7], 66), 67);
  assert.equal(nearestPitchOfClasses([0, 4], 62, 1), 64);
  assert.equal(nearestPitchOfClasses([0, 4], 62, -1), 60);
  assert.throws(() => nearestPitchOfClasses([], 60), /at least one/);
});

test('the dominant of a degree is a fifth above it', () => {
  assert.equal(dominantOf(0), 4);
  assert.equal(dominantOf(1), 5);
  assert.equal(dominantOf(5), 2);
});
