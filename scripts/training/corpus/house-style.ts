/**
 * House phrases for the built-in corpus (4 bars, one chord per bar, C major / A minor).
 *
 * Fixed rules (every phrase):
 * - Drums: kick on every beat (four on the floor); snare/clap on beats 2 and 4; closed hat on the
 *   off-beat 8ths (the "and" of each beat).
 * - Bass: the chord root of the bar, short one-step notes.
 * - Chords: diatonic triads, voice-led from bar to bar (least motion) in MIDI 55–79.
 * - Progression, one chord per bar: I–V–vi–IV, vi–IV–I–V or ii–V–I–vi.
 *
 * Seeded variation (per phrase):
 * - hats: off-beat 8ths only, or with 16ths added; open hat none / on the last off-beat of each
 *   bar / on every off-beat (replacing the closed hat there); crash on the first downbeat (½);
 *   a tom fill (high → mid → low) in the last bar's last beat or two (⅓).
 * - bass: root on the off-beat 8ths (low or high octave), off-beat octaves (low, high, low,
 *   high), or every 8th alternating root and octave.
 * - chords: stabs of 1 or 2 steps on one syncopated pattern per phrase, or (¼) a held pad
 *   (15 steps per bar, so re-struck tones are heard); first chord's inversion and register.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { STEPS_PER_BAR, BARS_PER_PHRASE } from '../../../server/families/symbolic/piano-roll.js';
import { bassRoot, chordPitchClasses, romanProgression, voiceLead } from './harmony.js';
import { CLOSED_HAT, CRASH, HIGH_TOM, KICK, LOW_TOM, MID_TOM, OPEN_HAT, SNARE, chordNotes, drumHit, pitchedNote } from './note-builders.js';
import { chance, integerBetween, pick, type Random } from './random-choice.js';

/** House progressions, one chord per bar. */
export const HOUSE_PROGRESSIONS = ['I–V–vi–IV', 'vi–IV–I–V', 'ii–V–I–vi'] as const;

/** Stab onsets within a bar (16th steps); each leaves a rest step before the next. */
const STAB_PATTERNS: readonly (readonly number[])[] = [
  [2, 6, 10, 14], // every off-beat 8th
  [3, 6, 10, 14],
  [0, 3, 6, 10, 12], // 3-3-... (tresillo-like) push
  [3, 7, 11, 14],
  [2, 7, 10],
];

const OFF_BEATS = [2, 6, 10, 14];

function houseDrums(random: Random): Note[] {
  const notes: Note[] = [];
  const sixteenths = chance(random, 0.4);
  const openHat = pick(random, ['none', 'last', 'all'] as const);
  const crash = chance(random, 0.5);
  const fill = pick(random, ['none', 'none', 'one-beat', 'two-beats'] as const);
  const lastBar = (BARS_PER_PHRASE - 1) * STEPS_PER_BAR;
  for (let bar = 0; bar < BARS_PER_PHRASE; bar++) {
    const start = bar * STEPS_PER_BAR;
    for (let beat = 0; beat < 4; beat++) notes.push(drumHit(KICK, start + beat * 4));
    notes.push(drumHit(SNARE, start + 4), drumHit(SNARE, start + 12));
    for (const offBeat of OFF_BEATS) {
      const open = openHat === 'all' || (openHat === 'last' && offBeat === 14);
      notes.push(drumHit(open ? OPEN_HAT : CLOSED_HAT, start + offBeat));
    }
    if (sixteenths) for (let step = 1; step < STEPS_PER_BAR; step += 2) notes.push(drumHit(CLOSED_HAT, start + step));
  }
  if (crash) notes.push(drumHit(CRASH, 0));
  if (fill === 'one-beat') notes.push(drumHit(HIGH_TOM, lastBar + 13), drumHit(MID_TOM, lastBar + 14), drumHit(LOW_TOM, lastBar + 15));
  if (fill === 'two-beats') {
    for (const [offset, tom] of [[9, HIGH_TOM], [10, HIGH_TOM], [11, MID_TOM], [13, MID_TOM], [14, LOW_TOM], [15, LOW_TOM]]) {
      notes.push(drumHit(tom, lastBar + offset));
    }
  }
  return notes;
}

function houseBass(random: Random, roots: readonly number[]): Note[] {
  const notes: Note[] = [];
  const pattern = pick(random, ['off-beat', 'off-beat-octaves', 'eighth-octaves'] as const);
  const octaveUp = pattern === 'off-beat' && chance(random, 0.5) ? 12 : 0;
  roots.forEach((root, bar) => {
    const start = bar * STEPS_PER_BAR;
    if (pattern === 'off-beat') for (const step of OFF_BEATS) notes.push(pitchedNote('bass', root + octaveUp, start + step, 1));
    if (pattern === 'off-beat-octaves') {
      OFF_BEATS.forEach((step, i) => notes.push(pitchedNote('bass', root + (i % 2) * 12, start + step, 1)));
    }
    if (pattern === 'eighth-octaves') {
      for (let step = 0; step < STEPS_PER_BAR; step += 2) notes.push(pitchedNote('bass', root + ((step / 2) % 2) * 12, start + step, 1));
    }
  });
  return notes;
}

function houseChords(random: Random, voicings: readonly (readonly number[])[]): Note[] {
  const notes: Note[] = [];
  const pad = chance(random, 0.25);
  const pattern = pick(random, STAB_PATTERNS);
  const stabSteps = integerBetween(random, 1, 2);
  voicings.forEach((voicing, bar) => {
    const start = bar * STEPS_PER_BAR;
    if (pad) notes.push(...chordNotes(voicing, start, STEPS_PER_BAR - 1));
    else for (const step of pattern) notes.push(...chordNotes(voicing, start + step, stabSteps));
  });
  return notes;
}

/** One house phrase (4 bars) as notes; see the file header for the rules. */
export function writeHousePhrase(random: Random): Note[] {
  const degrees = romanProgression(pick(random, HOUSE_PROGRESSIONS));
  const voicings = voiceLead(
    degrees.map((degree) => chordPitchClasses(degree, 'triad')),
    integerBetween(random, 0, 2),
    integerBetween(random, 55, 67),
    55,
    79,
  );
  const roots = degrees.map((degree) => bassRoot(degree));
  return [...houseDrums(random), ...houseBass(random, roots), ...houseChords(random, voicings)];
}
