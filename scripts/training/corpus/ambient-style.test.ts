import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { cutPhrases, type Song } from '../../../server/families/symbolic/note-sequence.js';
import { writeAmbientSong } from './ambient-style.js';
import { drumFigures, soundingAt, trackFigures, trackNotes } from './corpus-checks.js';

const random = mulberry32(33);
const songs: Song[] = Array.from({ length: 30 }, () => writeAmbientSong(random));

test('ambient: harmony moves once per two bars: at most one chord attack a bar', () => {
  assert.ok(trackFigures(songs, 'chords').onsetsPerBar <= 1);
  for (const song of songs) {
    const onsets = new Set(trackNotes(song, 'chords').map((n) => n.step));
    for (const step of onsets) assert.equal(step % STEPS_PER_BAR, 0, `pad struck at ${step}`);
  }
});

test('ambient: pads are spread over more than an octave', () => {
  for (const song of songs) {
    for (let bar = 0; bar < song.bars; bar += 2) {
      const pitches = soundingAt(song, 'chords', bar * STEPS_PER_BAR + STEPS_PER_BAR);
      assert.ok(Math.max(...pitches) - Math.min(...pitches) > 12, `bar ${bar}: ${pitches}`);
    }
  }
});

test('ambient: bass roots held two to four bars', () => {
  for (const song of songs) for (const note of trackNotes(song, 'bass')) assert.ok(note.steps >= 26 && note.steps <= 64, `bass of ${note.steps}`);
});

test('ambient: the lead is sparse: 3–5 long notes per four bars', () => {
  let notes = 0;
  let phrases = 0;
  for (const song of songs) {
    for (const phrase of cutPhrases(song.notes, song.bars)) {
      const lead = phrase.filter((n) => n.track === 'lead' && !n.tiedIn);
      if (lead.length === 0) continue;
      notes += lead.length;
      phrases++;
      assert.ok(lead.length <= 5, `${lead.length} lead notes in a phrase`);
    }
    for (const note of trackNotes(song, 'lead')) assert.ok(note.steps >= 4, `lead note of ${note.steps}`);
  }
  assert.ok(notes / phrases >= 2.5 && notes / phrases <= 5, `${notes / phrases} a phrase`);
});

test('ambient: drums in at most half the songs, soft, on the beats', () => {
  assert.ok(drumFigures(songs).songsWithDrums <= songs.length / 2);
  for (const song of songs) {
    for (const hit of trackNotes(song, 'drums')) {
      assert.equal(hit.step % 4, 0);
      assert.ok(hit.velocity <= 64);
    }
  }
});
