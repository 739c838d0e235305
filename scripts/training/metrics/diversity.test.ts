import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctPhraseCount, diversityScore, jaccardDistance, measureDiversity, packPhrase, packSongs } from './diversity.js';
import { note, plausibleSongs, song } from './song-fixtures.test-helper.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';

const A = note('chords', 60, 0, 4);
const B = note('chords', 64, 0, 4);
const C = note('chords', 67, 0, 4);
/** A one-phrase (4-bar) song holding `notes`. */
const phraseSong = (...notes: Note[]) => song(notes, 4);

test('Jaccard distance is 1 − |a∩b| / |a∪b| of the note sets, 0 for two empty phrases', () => {
  assert.equal(jaccardDistance([A, B], [B, C]), 2 / 3);
  assert.equal(jaccardDistance([A, B], [B, A]), 0, 'order does not matter');
  assert.equal(jaccardDistance([A, A, B], [A, B]), 0, 'a set: a doubled note is one note');
  assert.equal(jaccardDistance([], []), 0);
  assert.equal(jaccardDistance([], [A]), 1);
});

test('a note is its track, pitch, step and length: change any and it is another note', () => {
  for (const other of [note('chords', 60, 0, 5), note('chords', 60, 1, 4), note('chords', 61, 0, 4), note('bass', 60, 0, 4)]) {
    assert.equal(jaccardDistance([A], [other]), 1, JSON.stringify(other));
  }
  assert.equal(jaccardDistance([A], [{ ...A, velocity: 30 }]), 0, 'velocity is not part of it');
  assert.equal(jaccardDistance([A], [{ ...A, tiedIn: true }]), 0, 'a tied-in note is the note it is');
  assert.throws(() => packPhrase([note('bass', 40, 64)]), RangeError);
});

test('songs are cut into their phrases; a note over a phrase boundary is a tied-in note in the next', () => {
  const held = song([note('chords', 60, 56, 16)], 8); // steps 56–71: 8 in phrase 1, 8 in phrase 2
  const struck = song([note('chords', 60, 56, 8), note('chords', 60, 64, 8)], 8);
  const packed = packSongs([held, struck]);
  assert.equal(packed.length, 4);
  assert.deepEqual(packed[0], packed[2]);
  assert.deepEqual(packed[1], packed[3], 'tied-in (chords, 60, 0, 8) and struck (chords, 60, 0, 8) are one phrase');
  assert.equal(distinctPhraseCount([held, struck]), 2);
  assert.equal(packSongs([song([], 32)]).length, 8, 'a 32-bar song is 8 phrases');
});

test('a set of identical phrases scores 0, a varied set more', () => {
  const same = Array.from({ length: 30 }, () => phraseSong(A, B, note('drums', 36, 20)));
  assert.equal(diversityScore(same), 0);
  assert.equal(distinctPhraseCount(same), 1);
  const halfSilent = Array.from({ length: 30 }, () => song([A, B], 8));
  assert.equal(distinctPhraseCount(halfSilent), 2, 'the phrase with notes, and the silent one');
  assert.ok(Math.abs(diversityScore(halfSilent) - 30 / 59) < 0.05, 'a silent phrase is at distance 1 from any other: about half the pairs');
  const varied = diversityScore(plausibleSongs(30, 3, { noRepeats: true }));
  assert.ok(varied > 0.6 && varied < 0.9, `random phrases share little more than the kick and snare: ${varied}`);
});

test('small sets are scored over every pair exactly', () => {
  const a = phraseSong(A, B);
  const b = phraseSong(B, C);
  assert.equal(diversityScore([a, b]), 2 / 3);
  // pairs: (a,a) 0, (a,b) 2/3, (a,b) 2/3 → 4/9
  assert.equal(diversityScore([a, a, b]), 4 / 9);
  assert.equal(diversityScore([a]), 0, 'one phrase has no pairs');
  assert.equal(diversityScore([]), 0);
});

test('sampling is seeded and close to the exact mean', () => {
  const songs = [...plausibleSongs(8, 11, { noRepeats: true }), ...Array.from({ length: 5 }, () => song([A, B, C], 32))];
  const phrases = songs.length * 8;
  const exact = diversityScore(songs, { pairs: (phrases * (phrases - 1)) / 2 });
  const sampled = diversityScore(songs, { pairs: 2000, seed: 5 });
  assert.equal(diversityScore(songs, { pairs: 2000, seed: 5 }), sampled, 'same seed, same score');
  assert.notEqual(diversityScore(songs, { pairs: 2000, seed: 6 }), sampled, 'another seed samples other pairs');
  assert.ok(Math.abs(sampled - exact) < 0.03, `sampled ${sampled} vs exact ${exact}`);
  assert.ok(exact > 0.4 && exact < 0.8, `40 silent and duplicate phrases pull the mean down: ${exact}`);
});

test('the A A B A replays are duplicates: 5 distinct phrases of 8 per song', () => {
  const songs = plausibleSongs(10, 9);
  const measured = measureDiversity(songs, { seed: 4 });
  assert.deepEqual(measured, { score: diversityScore(songs, { seed: 4 }), distinct: 50, count: 80 });
  assert.ok(measured.score < diversityScore(plausibleSongs(10, 9, { noRepeats: true }), { seed: 4 }), 'replays lower the score');
});

test('rejects bad options', () => {
  assert.throws(() => diversityScore([phraseSong(A), phraseSong(B)], { pairs: 0 }), RangeError);
});
