/**
 * A long run of notes ↔ the 4-bar phrases the model writes. A note that sounds over a phrase
 * boundary is cut into its first part and a tied-in continuation in the next phrase; joining
 * phrases glues such ties back into one note. Pure data conversion.
 *
 *     song notes ─ cutPhrases ─→ Note[] per phrase (tiedIn at step 0) ─ joinPhrases ─→ song notes
 */
import { STEPS_PER_PHRASE, track, type Style } from './piano-roll.js';
import type { Note } from './roll-notes.js';

/** A piece as notes, steps counted from its start: a corpus song, an imported tune, or what a model wrote. */
export interface Song {
  readonly style: Style;
  /** Its length in bars (a whole number of phrases for a corpus or model song). */
  readonly bars: number;
  readonly notes: readonly Note[];
}

const TRACK_ORDER: Readonly<Record<string, number>> = { bass: 0, chords: 1, drums: 2, lead: 3 };

/** Orders notes by onset, then track (alphabetically), then pitch (a stable order for files and tests). */
export function byOnset(a: Note, b: Note): number {
  return a.step - b.step || TRACK_ORDER[a.track] - TRACK_ORDER[b.track] || a.pitch - b.pitch;
}

/**
 * Cuts notes (steps from the start of a piece `bars` bars long) into consecutive phrases: phrase
 * k holds steps 64k…64k+63, counted from its own start; a pitched note sounding past its phrase's
 * end continues as a `tiedIn` note at step 0 of the next (and the next, while it lasts). A piece
 * whose length is not a whole number of phrases gets a last phrase padded with silence.
 */
export function cutPhrases(notes: readonly Note[], bars: number): Note[][] {
  const count = Math.max(1, Math.ceil((bars * 16) / STEPS_PER_PHRASE));
  const phrases: Note[][] = Array.from({ length: count }, () => []);
  for (const note of notes) {
    const first = Math.floor(note.step / STEPS_PER_PHRASE);
    if (first < 0 || first >= count) continue;
    const end = track(note.track).percussive ? note.step + 1 : note.step + Math.max(1, note.steps);
    for (let k = first; k < count && k * STEPS_PER_PHRASE < end; k++) {
      const start = Math.max(note.step, k * STEPS_PER_PHRASE);
      const stop = Math.min(end, (k + 1) * STEPS_PER_PHRASE);
      const part: Note = { ...note, step: start - k * STEPS_PER_PHRASE, steps: stop - start };
      phrases[k].push(k === first ? withoutTie(part) : { ...part, tiedIn: true });
    }
  }
  return phrases.map((phrase) => phrase.sort(byOnset));
}

function withoutTie(note: Note): Note {
  if (!note.tiedIn) return note;
  const { tiedIn: _tied, ...rest } = note;
  return rest;
}

/**
 * Lays phrases end to end (phrase k from step 64k) and glues each tied-in note to the note of the
 * same track and pitch that ended right at its phrase's start; a tied-in note with nothing to
 * continue is struck as a note of its own.
 */
export function joinPhrases(phrases: readonly (readonly Note[])[]): Note[] {
  const notes: Note[] = [];
  /** Notes still sounding at the end of the phrase before, by track and pitch: index into `notes`. */
  let open = new Map<string, number>();
  phrases.forEach((phrase, k) => {
    const offset = k * STEPS_PER_PHRASE;
    const nextOpen = new Map<string, number>();
    for (const note of [...phrase].sort(byOnset)) {
      const key = `${note.track}:${note.pitch}`;
      const held = note.tiedIn && note.step === 0 ? open.get(key) : undefined;
      let index: number;
      if (held !== undefined) {
        const before = notes[held];
        notes[held] = { ...before, steps: before.steps + note.steps };
        index = held;
      } else {
        index = notes.push(withoutTie({ ...note, step: note.step + offset })) - 1;
      }
      if (note.step + note.steps >= STEPS_PER_PHRASE && !track(note.track).percussive) nextOpen.set(key, index);
    }
    open = nextOpen;
  });
  return notes.sort(byOnset);
}
