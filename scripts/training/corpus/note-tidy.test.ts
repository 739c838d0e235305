import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { endBy, holdRepeatedPitches, monophonicLine, singleDrumHits, tidyTracks } from './note-tidy.js';

const note = (track: Note['track'], pitch: number, step: number, steps: number, velocity = 80): Note => ({ track, pitch, step, steps, velocity });

test('a chord tone struck again right after it stopped is held instead', () => {
  const joined = holdRepeatedPitches([note('chords', 60, 0, 16), note('chords', 64, 0, 16), note('chords', 60, 16, 16), note('chords', 65, 16, 16)]);
  assert.deepEqual(joined, [note('chords', 60, 0, 32), note('chords', 64, 0, 16), note('chords', 65, 16, 16)]);
  // two steps of silence: a real re-strike, kept
  assert.equal(holdRepeatedPitches([note('chords', 60, 0, 2), note('chords', 60, 4, 2)]).length, 2);
  // one step: still a stutter, joined
  assert.deepEqual(holdRepeatedPitches([note('chords', 60, 0, 3), note('chords', 60, 4, 2)]), [note('chords', 60, 0, 6)]);
});

test('a line is one voice: overlaps are cut, stutters get a 2-step rest or are joined', () => {
  assert.deepEqual(monophonicLine([note('lead', 60, 0, 8), note('lead', 62, 4, 4)]), [note('lead', 60, 0, 4), note('lead', 62, 4, 4)]);
  assert.deepEqual(monophonicLine([note('lead', 60, 0, 8), note('lead', 60, 8, 4)]), [note('lead', 60, 0, 6), note('lead', 60, 8, 4)]);
  assert.deepEqual(monophonicLine([note('lead', 60, 0, 2), note('lead', 60, 2, 2)]), [note('lead', 60, 0, 4)]);
  assert.deepEqual(monophonicLine([note('lead', 60, 0, 2), note('lead', 64, 0, 2)]), [note('lead', 60, 0, 2)], 'of two struck together the first stays');
});

test('doubled drum hits become one, the louder', () => {
  const hits = singleDrumHits([note('drums', 36, 0, 1, 90), note('drums', 36, 0, 1, 110), note('drums', 42, 0, 1, 60)]);
  assert.deepEqual(hits.map((hit) => [hit.pitch, hit.velocity]), [[36, 110], [42, 60]]);
});

test('tidyTracks treats each track its way', () => {
  const tidy = tidyTracks([note('bass', 40, 0, 8), note('bass', 43, 4, 4), note('chords', 60, 0, 16), note('chords', 60, 16, 8), note('drums', 36, 0, 1), note('drums', 36, 0, 1)]);
  assert.deepEqual(tidy.filter((n) => n.track === 'bass').map((n) => n.steps), [4, 4]);
  assert.deepEqual(tidy.filter((n) => n.track === 'chords').map((n) => n.steps), [24]);
  assert.equal(tidy.filter((n) => n.track === 'drums').length, 1);
});

test('endBy drops notes from the limit on and cuts those ringing past it', () => {
  assert.deepEqual(endBy([note('lead', 60, 0, 10), note('lead', 62, 8, 2), note('lead', 64, 10, 2)], 9), [note('lead', 60, 0, 9), note('lead', 62, 8, 1)]);
});
