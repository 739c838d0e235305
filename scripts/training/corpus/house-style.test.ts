import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { writeHouseSong, HOUSE_LOOPS } from './house-style.js';
import { romanProgression } from './harmony.js';
import { CLOSED_HAT, CRASH, KICK, OPEN_HAT, SNARE } from './note-builders.js';
import { barNotes, trackNotes } from './corpus-checks.js';

const random = mulberry32(11);
const songs: Song[] = Array.from({ length: 30 }, () => writeHouseSong(random));
/** The bars of the A sections that carry the plain groove (not a section's last bar, nor the final bar). */
const GROOVE_BARS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 24, 25, 26, 27, 28, 29];
const hits = (song: Song, bar: number, pitch: number) => barNotes(song, bar, bar + 1).filter((n) => n.track === 'drums' && n.pitch === pitch).map((n) => n.step);

test('house: four on the floor, claps on 2 and 4, a hat on every off-beat 8th', () => {
  for (const song of songs) {
    for (const bar of GROOVE_BARS) {
      assert.deepEqual(hits(song, bar, KICK), [0, 4, 8, 12], `bar ${bar}`);
      assert.deepEqual(hits(song, bar, SNARE), [4, 12]);
      const hats = new Set([...hits(song, bar, CLOSED_HAT), ...hits(song, bar, OPEN_HAT)]);
      for (const step of [2, 6, 10, 14]) assert.ok(hats.has(step), `hat at ${step} of bar ${bar}`);
    }
  }
});

test('house: a crash opens the A sections, each A ends with a fill or a drop, the song with one hit', () => {
  for (const song of songs) {
    for (const bar of [0, 8, 24]) assert.ok(hits(song, bar, CRASH).includes(0), `crash at bar ${bar}`);
    for (const bar of [7, 15]) assert.notDeepEqual(barNotes(song, bar, bar + 1).filter((n) => n.track === 'drums').map((n) => [n.pitch, n.step]), barNotes(song, 6, 7).filter((n) => n.track === 'drums').map((n) => [n.pitch, n.step]));
    assert.deepEqual(barNotes(song, 31, 32).filter((n) => n.track === 'drums').map((n) => [n.pitch, n.step]).sort(), [[CRASH, 0], [KICK, 0]].sort());
  }
});

test('house: the breakdown drops the kick for its first half, thins the drums and holds pads', () => {
  for (const song of songs) {
    const drums = (from: number, to: number) => barNotes(song, from, to).filter((n) => n.track === 'drums');
    assert.ok(drums(16, 20).every((n) => n.pitch !== KICK));
    assert.ok(drums(16, 20).length < drums(0, 4).length);
    for (const note of barNotes(song, 16, 20).filter((n) => n.track === 'chords')) assert.ok(note.steps >= 14, `pad of ${note.steps}`);
  }
});

test('house: A harmony is one of the loops, one chord per bar (the bass starts each bar on its root)', () => {
  const loops = HOUSE_LOOPS.map((loop) => romanProgression(loop).map((degree) => [0, 2, 4, 5, 7, 9, 11][degree]).join());
  for (const song of songs) {
    const roots = [0, 1, 2, 3].map((bar) => barNotes(song, bar, bar + 1).filter((n) => n.track === 'bass')[0].pitch % 12);
    assert.ok(loops.includes(roots.join()), `roots ${roots}`);
  }
});

test('house: chord stabs last 2–4 steps, pads a bar or more; bass notes 2–10 steps', () => {
  for (const song of songs) {
    for (const note of barNotes(song, 0, 7).filter((n) => n.track === 'chords')) assert.ok((note.steps >= 2 && note.steps <= 4) || note.steps >= 14, `chord of ${note.steps}`);
    for (const note of barNotes(song, 0, 7).filter((n) => n.track === 'bass')) assert.ok(note.steps >= 2 && note.steps <= 10, `bass of ${note.steps}`);
  }
});

test('house: the riff is short notes, the same rhythm bar after bar (or two bars after two)', () => {
  let short = 0;
  let all = 0;
  for (const song of songs) {
    const lead = barNotes(song, 0, 7).filter((n) => n.track === 'lead');
    all += lead.length;
    short += lead.filter((n) => n.steps >= 2 && n.steps <= 4).length;
    const rhythm = (bar: number) => barNotes(song, bar, bar + 1).filter((n) => n.track === 'lead').map((n) => n.step);
    assert.deepEqual(rhythm(4), rhythm(0));
    assert.deepEqual(rhythm(5), rhythm(1));
  }
  assert.ok(short / all > 0.85, `${short} of ${all} riff notes are 2–4 steps`);
});

test('house: songs vary their grooves', () => {
  const bassRhythms = new Set(songs.map((song) => JSON.stringify(trackNotes(song, 'bass').filter((n) => n.step < STEPS_PER_BAR).map((n) => [n.step, n.steps]))));
  const chordRhythms = new Set(songs.map((song) => JSON.stringify(trackNotes(song, 'chords').filter((n) => n.step < STEPS_PER_BAR).map((n) => [n.step, n.steps]))));
  assert.ok(bassRhythms.size >= 4, `${bassRhythms.size} bass patterns`);
  assert.ok(chordRhythms.size >= 5, `${chordRhythms.size} chord patterns`);
});
