/**
 * Café / lo-fi piano phrases for the built-in corpus (the venue default; 4 bars, one chord per bar,
 * C major / A minor, played on piano).
 *
 * Fixed rules (every phrase):
 * - Chords: diatonic 7th chords (Cmaj7, Dm7, Em7, Fmaj7, G7, Am7), four notes, voice-led from bar to
 *   bar (least motion) in MIDI 52–84.
 * - Bass: the chord root in MIDI 36–47, as half notes or a whole note per bar.
 * - Drums, when present: kick on 1 and the "and" of 3, snare/rim on 2 and 4, ride or closed hat on
 *   every 8th.
 * - Progressions: ii–V–I–vi, I–vi–ii–V, IV–iii–ii–I, vi–ii–V–I, I–IV–iii–vi.
 *
 * Seeded variation (per phrase):
 * - drums in half the phrases, none in the rest; ride or closed hat.
 * - chords held a whole bar (15 steps), struck on beats 1 and 3 (7 steps each), or broken into an
 *   8th-note arpeggio (up and back down the voicing); first chord's inversion and register.
 * - bass whole notes (15 steps) or root–fifth half notes; in half the phrases, bars whose next chord
 *   changes end with a walking approach on beat 4: the scale tone a step above or below the next root.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { BARS_PER_PHRASE, STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { C_MAJOR_SCALE, bassRoot, chordPitchClasses, romanProgression, voiceLead, type Degree } from './harmony.js';
import { CLOSED_HAT, KICK, RIDE, SNARE, chordNotes, drumHit, pitchedNote } from './note-builders.js';
import { chance, integerBetween, pick, type Random } from './random-choice.js';

/** Café progressions, one 7th chord per bar. */
export const CAFE_PROGRESSIONS = ['ii–V–I–vi', 'I–vi–ii–V', 'IV–iii–ii–I', 'vi–ii–V–I', 'I–IV–iii–vi'] as const;

/** Arpeggio order over a 4-note voicing, one 8th (2 steps) each: up, then back down. */
const ARPEGGIO = [0, 1, 2, 3, 2, 1, 2, 3];

function cafeDrums(random: Random): Note[] {
  const cymbal = pick(random, [RIDE, CLOSED_HAT]);
  const notes: Note[] = [];
  for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
    const start = bar * STEPS_PER_BAR;
    notes.push(drumHit(KICK, start), drumHit(KICK, start + 10), drumHit(SNARE, start + 4), drumHit(SNARE, start + 12));
    for (let step = 0; step < STEPS_PER_BAR; step += 2) notes.push(drumHit(cymbal, start + step));
  }
  return notes;
}

/**
 * The bass-track pitch a diatonic step above or below `target`, staying in MIDI 36–59 and never
 * `previous` (the note just before it would merge with it into one held note).
 */
function approachNote(random: Random, target: number, previous: number): number {
  const scale = C_MAJOR_SCALE as readonly number[];
  const index = scale.indexOf(target % 12);
  const above = target - (target % 12) + scale[(index + 1) % 7] + (index === 6 ? 12 : 0);
  const below = target - (target % 12) + scale[(index + 6) % 7] - (index === 0 ? 12 : 0);
  if (below < 36 || below === previous) return above;
  if (above === previous) return below;
  return chance(random, 0.5) ? above : below;
}

function cafeBass(random: Random, degrees: readonly Degree[]): Note[] {
  const notes: Note[] = [];
  const halves = chance(random, 0.5);
  const walking = chance(random, 0.5);
  degrees.forEach((degree, bar) => {
    const start = bar * STEPS_PER_BAR;
    const root = bassRoot(degree);
    const next = bassRoot(degrees[(bar + 1) % degrees.length]);
    const approach = walking && next !== root;
    if (halves) {
      notes.push(pitchedNote('bass', root, start, 7));
      const fifth = root + 7; // the diatonic fifth above every root but B, which no café progression uses
      if (approach) notes.push(pitchedNote('bass', fifth, start + 8, 4), pitchedNote('bass', approachNote(random, next, fifth), start + 12, 3));
      else notes.push(pitchedNote('bass', fifth, start + 8, 7));
    } else if (approach) {
      notes.push(pitchedNote('bass', root, start, 11), pitchedNote('bass', approachNote(random, next, root), start + 12, 3));
    } else {
      notes.push(pitchedNote('bass', root, start, STEPS_PER_BAR - 1));
    }
  });
  return notes;
}

function cafeChords(random: Random, voicings: readonly (readonly number[])[]): Note[] {
  const notes: Note[] = [];
  const rhythm = pick(random, ['whole', 'halves', 'arpeggio'] as const);
  voicings.forEach((voicing, bar) => {
    const start = bar * STEPS_PER_BAR;
    if (rhythm === 'whole') notes.push(...chordNotes(voicing, start, STEPS_PER_BAR - 1));
    if (rhythm === 'halves') notes.push(...chordNotes(voicing, start, 7), ...chordNotes(voicing, start + 8, 7));
    if (rhythm === 'arpeggio') {
      ARPEGGIO.forEach((tone, i) => notes.push(pitchedNote('chords', voicing[tone], start + i * 2, 2)));
    }
  });
  return notes;
}

/** One café phrase (4 bars) as notes; see the file header for the rules. */
export function writeCafePhrase(random: Random): Note[] {
  const degrees = romanProgression(pick(random, CAFE_PROGRESSIONS));
  const voicings = voiceLead(
    degrees.map((degree) => chordPitchClasses(degree, 'seventh')),
    integerBetween(random, 0, 3),
    integerBetween(random, 52, 64),
    52,
    84,
  );
  const drums = chance(random, 0.5) ? cafeDrums(random) : [];
  return [...drums, ...cafeBass(random, degrees), ...cafeChords(random, voicings)];
}
