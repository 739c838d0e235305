/**
 * The song form every corpus song has (see `server/families/symbolic/section-plan.ts`): four 8-bar
 * sections A A B A, 32 bars. A style writer hands over three parts and this file lays them out:
 *
 *     bars   0 ─── 7 │ 8 ── 15 │ 16 ── 23 │ 24 ─ 27   28 ─ 31
 *            A       │ A (copy)│ B        │ A's 0–3    ending (the last A's new bars 4–7)
 *
 * so the second A is the first one exactly, and the last A starts like it and cadences home (a
 * note held from bar 27 into the ending rings as long as the ending has it, as a player's would).
 * Where one section meets the next, a note still sounding is released in time for the next
 * section's notes (two steps before the same pitch is struck again, and where a bass or lead note
 * starts); the same A notes are released for what follows either A, so both copies stay equal.
 */
import { PITCHED_TRACKS, STEPS_PER_BAR, type Style } from '../../../server/families/symbolic/piano-roll.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { BARS_PER_SONG, SECTION_BARS } from '../../../server/families/symbolic/section-plan.js';
import { byOnset, type Song } from '../../../server/families/symbolic/note-sequence.js';
import { RESTRIKE_GAP, endBy } from './note-tidy.js';
import { notesStartingIn, shiftNotes } from './note-builders.js';

/** Steps in one section (8 bars). */
export const SECTION_STEPS = SECTION_BARS * STEPS_PER_BAR;
/** Steps in one song (32 bars). */
export const SONG_STEPS = BARS_PER_SONG * STEPS_PER_BAR;
/** Where the last A's new ending starts within its section (bar 4, i.e. song bar 28). */
export const ENDING_STEP = SECTION_STEPS / 2;

/** The parts of a song, each written in section-relative steps. */
export interface SongParts {
  /** The A section (steps 0–127), played at bars 0 and 8, and its first half again at bar 24. */
  readonly a: readonly Note[];
  /** The B section (steps 0–127), at bar 16. */
  readonly b: readonly Note[];
  /**
   * The last A written whole (steps 0–127) with its cadence home, from the same choices as `a`, so
   * its bars 0–3 are A's. Its bars 4–7 become the song's bars 28–31; a note of its bar 4 that
   * rings on from bar 3 (a tone held through the change) sets how long A's note rings there.
   */
  readonly ending: readonly Note[];
}

const MONOPHONIC = new Set<Note['track']>(['bass', 'lead']);
const end = (note: Note) => note.step + note.steps;

/**
 * `notes` of a section ending at `boundary`, each pitched note released in time for `following`
 * (notes after the boundary, on the same timeline): at least `RESTRIKE_GAP` steps before its
 * pitch sounds again, and, on a one-voice track, by the next note's start. A note with nothing
 * left is dropped.
 */
export function releaseBefore(notes: readonly Note[], boundary: number, following: readonly Note[]): Note[] {
  const released: Note[] = [];
  for (const note of notes) {
    let stop = end(note);
    if ((PITCHED_TRACKS as readonly string[]).includes(note.track) && stop > boundary - RESTRIKE_GAP) {
      for (const next of following) {
        if (next.track !== note.track || next.step < boundary) continue;
        if (next.pitch === note.pitch) stop = Math.min(stop, next.step - RESTRIKE_GAP);
        else if (MONOPHONIC.has(note.track)) stop = Math.min(stop, next.step);
      }
    }
    if (stop - note.step >= 1) released.push(stop === end(note) ? note : { ...note, steps: stop - note.step });
  }
  return released;
}

/**
 * `tail` fitted after `head` (same timeline): a tail note that would strike a pitch still
 * sounding, or within `RESTRIKE_GAP` steps of its end, or start under a sounding note of a
 * one-voice track, starts later (keeping its end), or is dropped when nothing would be left; a
 * drum hit doubling one of the head is dropped.
 */
export function fitAfter(head: readonly Note[], tail: readonly Note[]): Note[] {
  const fitted: Note[] = [];
  for (const note of tail) {
    let start = note.step;
    for (const before of head) {
      if (before.track !== note.track || before.step > note.step) continue;
      if (note.track === 'drums') {
        if (before.pitch === note.pitch && before.step === note.step) start = Infinity;
      } else if (before.pitch === note.pitch) {
        if (note.step - end(before) < RESTRIKE_GAP) start = Math.max(start, end(before) + RESTRIKE_GAP);
      } else if (MONOPHONIC.has(note.track) && end(before) > note.step) {
        start = Math.max(start, end(before));
      }
    }
    if (note.track === 'drums' ? start === note.step : start < end(note)) {
      fitted.push(start === note.step ? note : { ...note, step: start, steps: end(note) - start });
    }
  }
  return fitted;
}

/**
 * `head` (notes starting before `boundary`) with each note that sounds past it lasting as the same
 * note (track, pitch, onset) does in `version`, the section written on from there another way; a
 * note `version` lacks ends at the boundary.
 */
export function ringOnAsIn(head: readonly Note[], version: readonly Note[], boundary: number): Note[] {
  const lengths = new Map(version.map((note) => [`${note.track}:${note.pitch}:${note.step}`, note.steps]));
  return head.map((note) => {
    if (end(note) <= boundary) return note;
    const steps = lengths.get(`${note.track}:${note.pitch}:${note.step}`) ?? boundary - note.step;
    return steps === note.steps ? note : { ...note, steps };
  });
}

/**
 * The 32-bar song of `parts` (see the file header), notes sorted by onset.
 * @example assembleSong('house', { a, b, ending }).notes.length
 */
export function assembleSong(style: Style, parts: SongParts): Song {
  const a = [...parts.a];
  const b = [...parts.b];
  const sectionA = releaseBefore(a, SECTION_STEPS, [...shiftNotes(a, SECTION_STEPS), ...shiftNotes(b, SECTION_STEPS)]);
  const sectionB = releaseBefore(b, SECTION_STEPS, shiftNotes(a, SECTION_STEPS));
  const head = ringOnAsIn(notesStartingIn(sectionA, 0, ENDING_STEP), parts.ending, ENDING_STEP);
  const ending = fitAfter(head, notesStartingIn(parts.ending, ENDING_STEP, SECTION_STEPS));
  const notes = [
    ...sectionA,
    ...shiftNotes(sectionA, SECTION_STEPS),
    ...shiftNotes(sectionB, 2 * SECTION_STEPS),
    ...shiftNotes(head, 3 * SECTION_STEPS),
    ...shiftNotes(ending, 3 * SECTION_STEPS),
  ];
  return { style, bars: BARS_PER_SONG, notes: endBy(notes, SONG_STEPS).sort(byOnset) };
}
