/**
 * Piano roll ↔ notes. Pure data conversion: no model, no files, no MIDI bytes (`midi-file.ts` does
 * those). See `piano-roll.ts` for what a cell means.
 */
import type { Seconds } from '../../core/units.js';
import {
  BARS_PER_PHRASE,
  ROWS,
  STEPS_PER_BAR,
  STEPS_PER_BEAT,
  STEPS_PER_PHRASE,
  TRACKS,
  emptyRoll,
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
}

/**
 * Velocity from metric position: the model writes none, so notes get a groove accent instead
 * (downbeat strongest, then beats, then 8ths, then 16ths). Chords sit a little under the rhythm.
 */
export function grooveVelocity(step: number, trackName: TrackName): number {
  const inBar = step % STEPS_PER_BAR;
  const accent = inBar === 0 ? 104 : inBar % STEPS_PER_BEAT === 0 ? 92 : inBar % 2 === 0 ? 80 : 70;
  return trackName === 'chords' ? accent - 12 : accent;
}

/** Reads the notes of a (binary) phrase, ordered by onset then pitch. */
export function rollToNotes(roll: PianoRoll): Note[] {
  const notes: Note[] = [];
  for (const t of TRACKS) {
    for (const [row, pitch] of t.pitches.entries()) {
      const column = t.firstRow + row;
      for (let step = 0; step < STEPS_PER_PHRASE; step++) {
        if (roll[step * ROWS + column] < 0.5) continue;
        let end = step + 1;
        if (!t.percussive) while (end < STEPS_PER_PHRASE && roll[end * ROWS + column] >= 0.5) end++;
        notes.push({ track: t.name, pitch, step, steps: end - step, velocity: grooveVelocity(step, t.name) });
        step = end - 1;
      }
    }
  }
  return notes.sort((a, b) => a.step - b.step || a.pitch - b.pitch);
}

/**
 * Writes notes into a phrase. Notes starting outside the phrase or on a pitch the track cannot
 * play are skipped and counted; a note running past the phrase end is cut there.
 */
export function notesToRoll(notes: readonly Note[]): { roll: PianoRoll; skipped: number } {
  const roll = emptyRoll();
  let skipped = 0;
  for (const note of notes) {
    const t = TRACKS.find((candidate) => candidate.name === note.track)!;
    const row = t.pitches.indexOf(note.pitch);
    if (row < 0 || note.step < 0 || note.step >= STEPS_PER_PHRASE) {
      skipped++;
      continue;
    }
    const end = t.percussive ? note.step + 1 : Math.min(STEPS_PER_PHRASE, note.step + Math.max(1, note.steps));
    for (let step = note.step; step < end; step++) roll[step * ROWS + t.firstRow + row] = 1;
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

/** Seconds per 16th-note step at `bpm` quarter notes per minute. */
export function stepSeconds(bpm: number): Seconds {
  return 60 / bpm / STEPS_PER_BEAT;
}

/** Seconds per 4/4 bar at `bpm`. */
export function barSeconds(bpm: number): Seconds {
  return stepSeconds(bpm) * STEPS_PER_BAR;
}
