/**
 * The musical rules every style keeps (see each style file's header and song-form.ts), measured
 * over 30 songs of each style.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PITCHED_TRACKS, STEPS_PER_BAR, STYLES, type Style } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { buildCorpus, songProblem } from './build-corpus.js';
import {
  barNotes,
  crossesBarLine,
  drumFigures,
  longestSemitoneRun,
  overlappingNotes,
  phraseAttacks,
  soundingAt,
  trackFigures,
  trackNotes,
} from './corpus-checks.js';

const SONGS = 30;
const corpus = buildCorpus({ seed: 5, songsPerStyle: SONGS });
const songsOf = (style: Style): Song[] => corpus.filter((song) => song.style === style);
const LAST_STEP = 32 * STEPS_PER_BAR - 1;

for (const style of STYLES) {
  const songs = songsOf(style);

  test(`${style}: 32 bars, every note inside the song and its track's range`, () => {
    assert.equal(songs.length, SONGS);
    for (const song of songs) {
      assert.equal(song.bars, 32);
      assert.equal(songProblem(song), undefined);
      for (const note of song.notes) assert.ok(note.step + note.steps <= 32 * STEPS_PER_BAR, `${note.track} runs past the end`);
      for (const name of ['drums', 'bass', 'chords', 'lead'] as const) assert.ok(name === 'drums' || trackNotes(song, name).length > 0, `${name} plays`);
    }
  });

  test(`${style}: the form is A A B A: A2 = A1, bars 24–27 = bars 0–3, a new ending`, () => {
    for (const song of songs) {
      // as the trainer cuts phrases: the same notes struck, lengths cut at the phrase end
      assert.deepEqual(phraseAttacks(song, 2), phraseAttacks(song, 0));
      assert.deepEqual(phraseAttacks(song, 3), phraseAttacks(song, 1));
      assert.deepEqual(phraseAttacks(song, 6), phraseAttacks(song, 0));
      assert.notDeepEqual(phraseAttacks(song, 7), phraseAttacks(song, 1));
      // and every A note struck is struck again 128 steps later, as loud
      const onsets = (from: number, to: number) => barNotes(song, from, to).map((n) => [n.track, n.pitch, n.step, n.velocity]);
      assert.deepEqual(onsets(8, 16), onsets(0, 8));
      assert.notDeepEqual(onsets(16, 24), onsets(0, 8), 'B is its own section');
    }
  });

  test(`${style}: the song ends home: tonic in the bass, an I chord and a held tonic in the lead`, () => {
    for (const song of songs) {
      assert.deepEqual(soundingAt(song, 'bass', LAST_STEP).map((p) => p % 12), [0]);
      const chord = new Set(soundingAt(song, 'chords', LAST_STEP).map((p) => p % 12));
      assert.ok(chord.has(0) && chord.has(7) && [...chord].every((pc) => [0, 2, 4, 7, 11].includes(pc)), `final chord ${[...chord]}`);
      const lead = trackNotes(song, 'lead').at(-1)!;
      assert.equal(lead.pitch % 12, 0);
      assert.ok(lead.step + lead.steps === LAST_STEP + 1 && lead.steps >= 8, `final lead note ${lead.steps} steps`);
    }
  });

  test(`${style}: bass and lead are one voice each`, () => {
    for (const song of songs) {
      assert.deepEqual(overlappingNotes(song, 'bass'), []);
      assert.deepEqual(overlappingNotes(song, 'lead'), []);
    }
  });

  test(`${style}: in C major (bass: chromatic approach tones at most 3%)`, () => {
    assert.equal(trackFigures(songs, 'chords').inKeyShare, 1);
    assert.equal(trackFigures(songs, 'lead').inKeyShare, 1);
    assert.ok(trackFigures(songs, 'bass').inKeyShare >= 0.97);
  });

  test(`${style}: few one-16th notes (≤ 25%) and no stutters (re-strikes ≤ 10%)`, () => {
    for (const name of PITCHED_TRACKS) {
      const figures = trackFigures(songs, name);
      assert.ok(figures.oneSixteenthShare <= 0.25, `${name}: ${figures.oneSixteenthShare}`);
      assert.ok(figures.restrikeShare <= 0.1, `${name}: ${figures.restrikeShare}`);
    }
  });

  test(`${style}: chords sound 3–5 tones at once in every bar, never a semitone cluster of 3`, () => {
    for (const song of songs) {
      for (let bar = 0; bar < song.bars; bar++) {
        let most = 0;
        for (let step = bar * STEPS_PER_BAR; step < (bar + 1) * STEPS_PER_BAR; step++) {
          const sounding = soundingAt(song, 'chords', step);
          most = Math.max(most, sounding.length);
          assert.ok(longestSemitoneRun(sounding) < 3, `cluster ${sounding} at ${step}`);
        }
        assert.ok(most >= 3 && most <= 5, `bar ${bar}: at most ${most} tones`);
      }
    }
  });

  test(`${style}: velocities are dynamics, not a table by position`, () => {
    const notes = songs.flatMap((song) => song.notes);
    assert.ok(new Set(notes.map((n) => n.velocity)).size > 8);
    const byPlace = new Map<string, Set<number>>();
    const counts = new Map<string, number>();
    for (const note of notes) {
      const key = `${note.track}:${note.pitch}:${note.step % STEPS_PER_BAR}`;
      byPlace.set(key, (byPlace.get(key) ?? new Set()).add(note.velocity));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const places = [...counts].filter(([, count]) => count >= 5).map(([key]) => key);
    const varied = places.filter((key) => byPlace.get(key)!.size > 1);
    assert.ok(places.length > 0 && varied.length / places.length > 0.9, `${varied.length} of ${places.length} places vary`);
    for (const note of notes) assert.ok(note.velocity >= 1 && note.velocity <= 127);
  });

  test(`${style}: the lead plays in every A, and a section's second half restates its first`, () => {
    let samePitch = 0;
    let sameOnset = 0;
    let total = 0;
    for (const song of songs) {
      assert.ok(barNotes(song, 0, 8).some((n) => n.track === 'lead'));
      assert.ok(barNotes(song, 24, 32).some((n) => n.track === 'lead'));
      // the first two bars against bars 4–5 (ambient: its four-bar motif against bars 4–7)
      const span = style === 'ambient' ? 4 : 2;
      const lead = (from: number) => barNotes(song, from, from + span).filter((n) => n.track === 'lead');
      const first = lead(0);
      const again = lead(4);
      samePitch += first.filter((n) => again.some((m) => m.step === n.step && m.pitch === n.pitch)).length;
      sameOnset += first.filter((n) => again.some((m) => m.step === n.step)).length;
      total += Math.max(first.length, again.length);
    }
    assert.ok(sameOnset / total > 0.8, `${sameOnset} of ${total} lead rhythms restated`);
    assert.ok(samePitch / total > (style === 'ambient' ? 0.3 : 0.6), `${samePitch} of ${total} lead notes restated`);
  });

  test(`${style}: songs differ from each other`, () => {
    const key = (song: Song, from: number, to: number, name: string) =>
      JSON.stringify(barNotes(song, from, to).filter((n) => n.track === name).map((n) => [n.pitch, n.step, n.steps]));
    assert.equal(new Set(songs.map((s) => JSON.stringify(s.notes))).size, SONGS);
    const mostly = 0.8 * SONGS;
    assert.ok(new Set(songs.map((s) => key(s, 0, 4, 'lead'))).size >= mostly, 'motifs');
    assert.ok(new Set(songs.map((s) => key(s, 0, 4, 'chords'))).size >= mostly, 'voiced progressions');
    assert.ok(new Set(songs.map((s) => key(s, 16, 24, 'lead') + key(s, 16, 24, 'chords'))).size >= mostly, 'B sections');
  });

  test(`${style}: drums on the 16th grid`, () => {
    for (const song of songs) for (const hit of trackNotes(song, 'drums')) assert.ok(Number.isInteger(hit.step) && hit.steps === 1);
  });
}

test('café and house drums sit mostly on the 8th grid', () => {
  for (const style of ['cafe', 'house'] as const) {
    const figures = drumFigures(songsOf(style));
    assert.ok(figures.eighthGridShare >= 0.75, `${style}: ${figures.eighthGridShare}`);
  }
});

test('café and ambient chords are held over bar lines, and so is the ambient bass', () => {
  for (const style of ['cafe', 'ambient'] as const) {
    const figures = trackFigures(songsOf(style), 'chords');
    assert.ok(figures.heldAcrossShare > 0.05, `${style}: ${figures.heldAcrossShare}`);
  }
  assert.ok(songsOf('ambient').some((song) => trackNotes(song, 'bass').some(crossesBarLine)));
  assert.ok(trackFigures(songsOf('ambient'), 'bass').heldAcrossShare > 0.5);
});
