/**
 * Small constructors the style writers build their `Note[]` with: named drum keys (the 9 rows of
 * the drum track, see `server/families/symbolic/piano-roll.ts`), drum hits, pitched notes and whole
 * chords, and moving notes in time. Velocities are the caller's (see `dynamics.ts`): loudness is
 * part of what the corpus teaches, so nothing here fixes it by position.
 */
import type { PitchedTrackName } from '../../../server/families/symbolic/piano-roll.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';

/** General MIDI keys of the drum track's 9 classes. */
export const KICK = 36;
export const SNARE = 38;
export const CLOSED_HAT = 42;
export const OPEN_HAT = 46;
export const LOW_TOM = 45;
export const MID_TOM = 48;
export const HIGH_TOM = 50;
export const CRASH = 49;
export const RIDE = 51;

/** A drum onset (drums are one-shots: always one step). */
export function drumHit(pitch: number, step: number, velocity: number): Note {
  return { track: 'drums', pitch, step, steps: 1, velocity };
}

/** A note on a pitched track. */
export function pitchedNote(trackName: PitchedTrackName, pitch: number, step: number, steps: number, velocity: number): Note {
  return { track: trackName, pitch, step, steps, velocity };
}

/** Every pitch of `pitches`, struck together on the chords track. */
export function chordNotes(pitches: readonly number[], step: number, steps: number, velocity: number): Note[] {
  return pitches.map((pitch) => pitchedNote('chords', pitch, step, steps, velocity));
}

/** `notes` moved `by` steps later (earlier when negative). */
export function shiftNotes(notes: readonly Note[], by: number): Note[] {
  return notes.map((note) => ({ ...note, step: note.step + by }));
}

/** The notes whose onset lies in [from, to). */
export function notesStartingIn(notes: readonly Note[], from: number, to: number): Note[] {
  return notes.filter((note) => note.step >= from && note.step < to);
}
