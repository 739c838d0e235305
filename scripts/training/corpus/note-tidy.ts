/**
 * Playability passes over a section's notes, run after a style writer has laid down its patterns:
 * what a player's hands do without thinking. A chord tone the next chord shares is held through
 * the change, not struck again; a bass or lead line is one voice, so a note ends where the next
 * begins; and the same pitch is never struck again straight after it stopped (the roll could not
 * tell such a re-strike from a held note, and it sounds like a stutter).
 *
 *     chords  C E G ─┐  A C E       →  C ────── (held)  E ────── (held)  G ─┐ A
 *     line    E4 ─┐E4               →  E4 ─┐ ·· E4  (a rest of 2 steps before the re-strike)
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { byOnset } from '../../../server/families/symbolic/note-sequence.js';

/** Steps of silence a pitch needs before it is struck again (less and it reads as a stutter). */
export const RESTRIKE_GAP = 2;

const end = (note: Note) => note.step + note.steps;

/**
 * Joins notes of one polyphonic track: a note of the same pitch that starts while the last one
 * sounds, or less than `RESTRIKE_GAP` steps after it ended, extends it instead of being struck.
 */
export function holdRepeatedPitches(notes: readonly Note[]): Note[] {
  const byPitch = [...notes].sort((a, b) => a.pitch - b.pitch || a.step - b.step);
  const joined: Note[] = [];
  for (const note of byPitch) {
    const last = joined[joined.length - 1];
    if (last && last.pitch === note.pitch && note.step - end(last) < RESTRIKE_GAP) {
      joined[joined.length - 1] = { ...last, steps: Math.max(end(last), end(note)) - last.step };
    } else {
      joined.push(note);
    }
  }
  return joined.sort(byOnset);
}

/**
 * Makes one monophonic line of a track's notes: of notes struck together the first stays; a note
 * still sounding when the next starts is cut there; a same-pitch note that would follow within
 * `RESTRIKE_GAP` steps shortens the one before to leave the gap, or, when that would leave it
 * under 2 steps, is joined to it as one held note.
 */
export function monophonicLine(notes: readonly Note[]): Note[] {
  const line: Note[] = [];
  for (const note of [...notes].sort((a, b) => a.step - b.step)) {
    const last = line[line.length - 1];
    if (!last) {
      line.push(note);
      continue;
    }
    if (note.step === last.step) continue;
    let before = end(last) > note.step ? { ...last, steps: note.step - last.step } : last;
    if (before.pitch === note.pitch && note.step - end(before) < RESTRIKE_GAP) {
      const shortened = note.step - RESTRIKE_GAP - before.step;
      if (shortened >= 2) {
        before = { ...before, steps: shortened };
      } else {
        line[line.length - 1] = { ...before, steps: end(note) - before.step };
        continue;
      }
    }
    line[line.length - 1] = before;
    line.push(note);
  }
  return line;
}

/** Drum hits with one per key and step (a doubled hit is one louder hit, the louder one kept). */
export function singleDrumHits(notes: readonly Note[]): Note[] {
  const byKey = new Map<string, Note>();
  for (const note of notes) {
    const key = `${note.pitch}:${note.step}`;
    const held = byKey.get(key);
    if (!held || held.velocity < note.velocity) byKey.set(key, note);
  }
  return [...byKey.values()].sort(byOnset);
}

/** Every track tidied its way: chords hold repeats, bass and lead are single lines, drums single hits. */
export function tidyTracks(notes: readonly Note[]): Note[] {
  const of = (name: Note['track']) => notes.filter((note) => note.track === name);
  return [
    ...singleDrumHits(of('drums')),
    ...monophonicLine(of('bass')),
    ...holdRepeatedPitches(of('chords')),
    ...monophonicLine(of('lead')),
  ].sort(byOnset);
}

/** `notes` cut to end by step `limit`: ones starting there or later go, ones sounding past it end there. */
export function endBy(notes: readonly Note[], limit: number): Note[] {
  return notes.filter((note) => note.step < limit).map((note) => (end(note) > limit ? { ...note, steps: limit - note.step } : note));
}
