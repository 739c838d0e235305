import assert from 'node:assert/strict';
import test from 'node:test';
import { cutPhrases, joinPhrases } from './note-sequence.js';
import type { Note } from './roll-notes.js';

const chord = (pitch: number, step: number, steps: number): Note => ({ track: 'chords', pitch, step, steps, velocity: 80 });

test('a note held over a phrase boundary is cut into its first part and a tied-in rest, and joins back into one', () => {
  const song: Note[] = [chord(60, 56, 16), chord(64, 0, 4), { track: 'drums', pitch: 36, step: 63, steps: 1, velocity: 100 }, chord(67, 60, 140)];
  const phrases = cutPhrases(song, 16);
  assert.equal(phrases.length, 4);
  assert.deepEqual(phrases[0].find((n) => n.pitch === 60), chord(60, 56, 8));
  assert.deepEqual(phrases[1].find((n) => n.pitch === 60), { ...chord(60, 0, 8), tiedIn: true });
  // A note over two boundaries continues in both phrases after it.
  assert.deepEqual(phrases.map((p) => p.find((n) => n.pitch === 67)?.steps), [4, 64, 64, 8]);
  assert.deepEqual(phrases.slice(1).map((p) => p.find((n) => n.pitch === 67)?.tiedIn), [true, true, true]);
  assert.ok(!phrases[1].some((n) => n.track === 'drums'), 'a drum hit is never tied over');
  assert.deepEqual(joinPhrases(phrases), [...song].sort((a, b) => a.step - b.step || a.track.localeCompare(b.track) || a.pitch - b.pitch));
});

test('a tied-in note with nothing to continue is struck as a note of its own', () => {
  const joined = joinPhrases([[chord(60, 0, 8)], [{ ...chord(60, 0, 4), tiedIn: true }, { ...chord(62, 0, 4), tiedIn: true }]]);
  assert.deepEqual(joined, [chord(60, 0, 8), chord(60, 64, 4), chord(62, 64, 4)]);
});
