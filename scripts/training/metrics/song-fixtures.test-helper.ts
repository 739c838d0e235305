/**
 * Songs for the metrics tests: `note` and `song` to hand-build a few bars whose figures a reader
 * can work out, and `plausibleSongs`, seeded 32-bar A A B A songs that look like the corpus (a
 * groove, a bass line, struck chords, a melody in C), for tests that compare whole sets.
 */
import type { Style, TrackName } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';

/** A note at `step` (from the song's start), `steps` long, velocity 100. */
export function note(track: TrackName, pitch: number, step: number, steps = 1): Note {
  return { track, pitch, step, steps, velocity: 100 };
}

/** A song of `bars` bars holding `notes`. */
export function song(notes: readonly Note[], bars = 4, style: Style = 'house'): Song {
  return { style, bars, notes };
}

export interface PlausibleOptions {
  /** Without drums (as ambient). @default true */
  drums?: boolean;
  /** Chords chopped into one-step blips, a GAN artifact QN and oneStep catch. @default false */
  fragment?: boolean;
  /** Every phrase written anew instead of the A A B A replays. @default false */
  noRepeats?: boolean;
}

const TRIADS = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]];
const SCALE = [0, 2, 4, 5, 7, 9, 11];
/** Phrase role → the role it replays (section-plan.ts's A A B A form). */
const REPLAYS: Readonly<Record<number, number>> = { 2: 0, 3: 1, 6: 0 };

/** `count` seeded 32-bar songs of about 1,400 notes each (see the file header). */
export function plausibleSongs(count: number, seed: number, options: PlausibleOptions = {}): Song[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const phrases: Note[][] = [];
    for (let role = 0; role < 8; role++) {
      const replay = options.noRepeats ? undefined : REPLAYS[role];
      phrases.push(replay === undefined ? phrase(uniform, options) : phrases[replay]);
    }
    return song(phrases.flatMap((notes, k) => notes.map((n) => ({ ...n, step: n.step + k * 64 }))), 32);
  });
}

/** One 4-bar phrase, steps from its start. */
function phrase(uniform: () => number, { drums = true, fragment = false }: PlausibleOptions): Note[] {
  const notes: Note[] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(uniform() * items.length)];
  for (let step = 0; step < 64; step++) {
    if (!drums) break;
    if (step % 4 === 0) notes.push(note('drums', 36, step));
    if (step % 8 === 4) notes.push(note('drums', 38, step));
    if (uniform() < (step % 2 === 0 ? 0.8 : 0.4)) notes.push(note('drums', 42, step));
  }
  for (let bar = 0; bar < 4; bar++) {
    const triad = pick(TRIADS);
    for (let beat = 0; beat < 4; beat++) {
      const start = bar * 16 + beat * 4;
      for (const pitch of triad) {
        if (fragment) notes.push(note('chords', pitch, start), note('chords', pitch, start + 2));
        else notes.push(note('chords', pitch, start, 3));
      }
    }
    for (let eighth = 0; eighth < 8; eighth++) {
      const root = pick(triad) - 24;
      notes.push(note('bass', root < 36 ? root + 12 : root, bar * 16 + eighth * 2, uniform() < 0.5 ? 1 : 2));
    }
    for (let step = bar * 16; step < bar * 16 + 16; step += uniform() < 0.5 ? 1 : 2) {
      notes.push(note('lead', 60 + 12 * Math.floor(uniform() * 2) + pick(SCALE), step, 1));
    }
  }
  return notes;
}
