/**
 * Notes, and writing them into a phrase's piano roll. Pure data conversion: no model, no files, no
 * MIDI bytes (`midi-file.ts` does those); reading a roll back is `phrase-decoder.ts`. See
 * `piano-roll.ts` for what a cell means.
 */
import type { Seconds } from '../../core/units.js';
import {
  BARS_PER_PHRASE,
  ROWS,
  STEP_VALUES,
  STEPS_PER_BAR,
  STEPS_PER_BEAT,
  STEPS_PER_PHRASE,
  emptyRoll,
  rowOfPitch,
  track,
  type PianoRoll,
  type TrackName,
} from './piano-roll.js';

/** One note on the step grid. */
export interface Note {
  readonly track: TrackName;
  /** MIDI note number (for drums, the General MIDI drum key). */
  readonly pitch: number;
  /** Onset, in 16th-note steps from the start of its phrase (or of a longer sequence). */
  readonly step: number;
  /** Length in steps, ≥ 1 (drums are always 1). */
  readonly steps: number;
  /** MIDI velocity, 1–127. */
  readonly velocity: number;
  /** It continues a note of the phrase before, tied over the phrase's start: no new attack. */
  readonly tiedIn?: boolean;
}

const ONSET = 0;
const HOLD = ROWS;
const VELOCITY = 2 * ROWS;

/**
 * Writes notes into a phrase: an onset (with its velocity) where each starts, unless it is tied
 * in, and hold at every step it sounds. Notes starting outside the phrase or on a pitch the track
 * cannot play are skipped and counted; a note running past the phrase end is cut there (its
 * continuation is the next phrase's tied-in note; see note-sequence.ts).
 */
export function notesToRoll(notes: readonly Note[]): { roll: PianoRoll; skipped: number } {
  const roll = emptyRoll();
  let skipped = 0;
  for (const note of notes) {
    const row = rowOfPitch(note.track, note.pitch);
    if (row < 0 || note.step < 0 || note.step >= STEPS_PER_PHRASE) {
      skipped++;
      continue;
    }
    const at = note.step * STEP_VALUES + row;
    if (!note.tiedIn) {
      roll[at + ONSET] = 1;
      roll[at + VELOCITY] = Math.min(127, Math.max(1, note.velocity)) / 127;
    }
    if (track(note.track).percussive) continue;
    const end = Math.min(STEPS_PER_PHRASE, note.step + Math.max(1, note.steps));
    for (let step = note.step; step < end; step++) roll[step * STEP_VALUES + row + HOLD] = 1;
  }
  return { roll, skipped };
}

/** The notes of bar `bar` (0-based) of a phrase's notes, with steps counted from that bar's start. */
export function notesOfBar(notes: readonly Note[], bar: number): Note[] {
  if (bar < 0 || bar >= BARS_PER_PHRASE) throw new RangeError(`bar must be 0–${BARS_PER_PHRASE - 1}, got ${bar}`);
  const first = bar * STEPS_PER_BAR;
  return notes
    .filter((n) => n.step >= first && n.step < first + STEPS_PER_BAR)
    .map((n) => ({ ...n, step: n.step - first }));
}

/** Moves pitched notes by `semitones` (drums stay); pitches stay within MIDI 0–127 by octaves. */
export function transposeBy(notes: readonly Note[], semitones: number): Note[] {
  if (semitones === 0) return [...notes];
  return notes.map((n) => {
    if (n.track === 'drums') return n;
    let pitch = n.pitch + semitones;
    while (pitch > 127) pitch -= 12;
    while (pitch < 0) pitch += 12;
    return { ...n, pitch };
  });
}

/** Seconds per 16th-note step at `bpm` quarter notes per minute. */
export function stepSeconds(bpm: number): Seconds {
  return 60 / bpm / STEPS_PER_BEAT;
}

/** Seconds per 4/4 bar at `bpm`. */
export function barSeconds(bpm: number): Seconds {
  return stepSeconds(bpm) * STEPS_PER_BAR;
}
