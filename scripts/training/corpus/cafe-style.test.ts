import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { writeCafeSong } from './cafe-style.js';
import { chordPitchClasses, inCMajor, type Degree } from './harmony.js';
import { barNotes, soundingAt, trackFigures, trackNotes } from './corpus-checks.js';

const random = mulberry32(22);
const songs: Song[] = Array.from({ length: 30 }, () => writeCafeSong(random));
const SEVENTHS = ([0, 1, 2, 3, 4, 5] as Degree[]).map((degree) => [...chordPitchClasses(degree, 'seventh')].sort((a, b) => a - b).join());

test('café: every bar (and every half of a split bar) sounds one diatonic 7th chord', () => {
  for (const song of songs) {
    for (let bar = 0; bar < song.bars; bar++) {
      const pitchClasses = new Set<number>();
      for (let step = bar * STEPS_PER_BAR; step < bar * STEPS_PER_BAR + 8; step++) for (const pitch of soundingAt(song, 'chords', step)) pitchClasses.add(pitch % 12);
      assert.ok(SEVENTHS.includes([...pitchClasses].sort((a, b) => a - b).join()), `bar ${bar}: ${[...pitchClasses]}`);
    }
  }
});

test('café: the piano strikes 3–6 times a bar on average, in 8ths or longer, and anticipates some changes', () => {
  const figures = trackFigures(songs, 'chords');
  assert.ok(figures.onsetsPerBar >= 3 && figures.onsetsPerBar <= 6, `${figures.onsetsPerBar} attacks a bar`);
  for (const song of songs) for (const note of trackNotes(song, 'chords')) assert.ok(note.steps >= 2);
  const pushes = songs.flatMap((song) => trackNotes(song, 'chords')).filter((n) => n.step % STEPS_PER_BAR === 14 && n.steps > 2);
  assert.ok(pushes.length > 0, 'chords struck on the last 8th and held over the bar line');
});

test('café: the bass walks in quarters or plays half notes, on the beat', () => {
  let walking = 0;
  for (const song of songs) {
    const bass = trackNotes(song, 'bass');
    for (const note of bass) assert.equal(note.step % 4, 0, `bass at ${note.step}`);
    // quarters (legato or detached) or halves; a note before a section's end may be released early
    for (const note of bass.slice(0, -1)) assert.ok(note.steps >= 2 && note.steps <= 8, `bass of ${note.steps}`);
    assert.ok(bass.filter((n) => [3, 4, 8].includes(n.steps)).length / bass.length > 0.9);
    if (barNotes(song, 0, 1).filter((n) => n.track === 'bass').length === 4) walking++;
  }
  assert.ok(walking >= 10 && walking <= 26, `${walking} of 30 walk in the first A`);
});

test('café: the bass leaves the key only for a chromatic approach (≤ 3%), then moves a half step', () => {
  let chromatic = 0;
  let all = 0;
  for (const song of songs) {
    const bass = trackNotes(song, 'bass');
    all += bass.length;
    bass.forEach((note, i) => {
      if (inCMajor(note.pitch)) return;
      chromatic++;
      assert.equal(bass[i + 1].pitch - note.pitch, 1, 'resolves up a half step');
    });
  }
  assert.ok(chromatic / all <= 0.03, `${chromatic} of ${all}`);
});

test('café: the lead breathes: rests in every A, phrase ends held', () => {
  let sounding = 0;
  for (const song of songs) {
    const lead = barNotes(song, 0, 8).filter((n) => n.track === 'lead');
    sounding += lead.reduce((sum, n) => sum + n.steps, 0);
    const rests = lead.slice(1).map((n, i) => n.step - (lead[i].step + lead[i].steps));
    assert.ok(rests.some((rest) => rest >= 4) || lead[0].step >= 4, 'a rest of a quarter or more');
    assert.ok(lead.at(-1)!.steps >= 6, 'the phrase end held');
    for (const note of lead) assert.ok(note.steps >= 2, 'no 16ths');
  }
  assert.ok(sounding / (songs.length * 128) < 0.85, `the lead sounds ${sounding / (songs.length * 128)} of the time`);
});

test('café: soft drums, all on 8ths; none in the first A in about half the songs', () => {
  let silentA1 = 0;
  for (const song of songs) {
    const drums = trackNotes(song, 'drums');
    for (const hit of drums) {
      assert.equal(hit.step % 2, 0);
      assert.ok(hit.velocity <= 80, `soft: ${hit.velocity}`);
    }
    if (!drums.some((hit) => hit.step < 128)) silentA1++;
  }
  assert.ok(silentA1 >= 8 && silentA1 <= 22, `${silentA1} of 30 without drums in A1`);
});
