/**
 * Small constructors the style writers build their `Note[]` with: named drum keys (the 9 rows of
 * the drum track, see `../piano-roll.ts`), drum hits, pitched notes and whole chords. Velocities come
 * from `grooveVelocity`, as they do for model output, so corpus and generated notes read alike.
 */
import { grooveVelocity, type Note } from '../../../server/families/symbolic/roll-notes.js';

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

/** A one-step drum onset. */
export function drumHit(pitch: number, step: number): Note {
  return { track: 'drums', pitch, step, steps: 1, velocity: grooveVelocity(step, 'drums') };
}

/** A pitched note on the bass or chords track. */
export function pitchedNote(trackName: 'bass' | 'chords', pitch: number, step: number, steps: number): Note {
  return { track: trackName, pitch, step, steps, velocity: grooveVelocity(step, trackName) };
}

/** Every pitch of a voicing, struck together on the chords track. */
export function chordNotes(voicing: readonly number[], step: number, steps: number): Note[] {
  return voicing.map((pitch) => pitchedNote('chords', pitch, step, steps));
}
