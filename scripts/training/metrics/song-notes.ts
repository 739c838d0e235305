/**
 * How the quality figures read a Song: its notes split by track, keeping only notes whose onset
 * lies inside the song (steps 0 … bars·16 − 1), each sounding from its onset for its length (a drum
 * hit for one step) and cut at the song's end. musegan-metrics.ts and listener-figures.ts both read
 * songs through here, so "a bar where the bass sounds" means the same thing in both.
 */
import { STEPS_PER_BAR, TRACK_NAMES, type TrackName } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';

/** A song as the figures read it. */
export interface SongTracks {
  readonly bars: number;
  /** bars × 16: the first step past the song. */
  readonly steps: number;
  /** Each track's notes with their onset inside the song, in the song's order. */
  readonly notes: Readonly<Record<TrackName, readonly Note[]>>;
}

/**
 * Splits a song's notes by track, dropping notes that start before step 0 or at/after the song's
 * end (a model never writes them; a hand-made song might). Throws `RangeError` for a song whose
 * `bars` is not a whole number ≥ 0, since every per-bar figure depends on it.
 */
export function readSong(song: Song): SongTracks {
  if (!Number.isInteger(song.bars) || song.bars < 0) throw new RangeError(`a song's bars must be a whole number ≥ 0, got ${song.bars}`);
  const steps = song.bars * STEPS_PER_BAR;
  const notes = Object.fromEntries(TRACK_NAMES.map((name) => [name, [] as Note[]])) as Record<TrackName, Note[]>;
  for (const note of song.notes) {
    if (note.step >= 0 && note.step < steps) notes[note.track].push(note);
  }
  return { bars: song.bars, steps, notes };
}

/**
 * The first step after `note` stops sounding: onset + length (at least one step; drums always
 * one, as they are one-shots), cut at `songSteps`.
 */
export function soundingEnd(note: Note, songSteps: number): number {
  const length = note.track === 'drums' ? 1 : Math.max(1, note.steps);
  return Math.min(songSteps, note.step + length);
}

/** numerator / denominator, or 0 when there is nothing to average over (the caller keeps the support). */
export function meanOrZero(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** How many keys two sorted lists of distinct keys share, by one merge (the Jaccard measures' core). */
export function sharedKeys(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}
