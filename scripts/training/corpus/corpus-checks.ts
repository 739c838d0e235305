/**
 * Readers the corpus tests share: which drum hits, pitch classes and notes a phrase's roll holds.
 * Test support only; the corpus itself does not import this file.
 */
import { STEPS_PER_BAR, type PianoRoll } from '../../../server/families/symbolic/piano-roll.js';
import { rollToNotes, type Note } from '../../../server/families/symbolic/roll-notes.js';

/** Steps (0–63) of the phrase where drum key `pitch` is hit. */
export function drumSteps(roll: PianoRoll, pitch: number): number[] {
  return rollToNotes(roll)
    .filter((note) => note.track === 'drums' && note.pitch === pitch)
    .map((note) => note.step);
}

/** Notes of one track. */
export function trackNotes(roll: PianoRoll, trackName: Note['track']): Note[] {
  return rollToNotes(roll).filter((note) => note.track === trackName);
}

/** Distinct pitch classes sounding on the chords track in bar `bar`. */
export function chordPitchClassesInBar(roll: PianoRoll, bar: number): Set<number> {
  const first = bar * STEPS_PER_BAR;
  return new Set(
    trackNotes(roll, 'chords')
      .filter((note) => note.step < first + STEPS_PER_BAR && note.step + note.steps > first)
      .map((note) => note.pitch % 12),
  );
}

/** How many of `rolls` differ from all others (as exact 0/1 patterns). */
export function distinctCount(rolls: readonly PianoRoll[]): number {
  return new Set(rolls.map((roll) => Buffer.from(roll.buffer, roll.byteOffset, roll.byteLength).toString('base64'))).size;
}
