/**
 * What the built-in datasets play: an endless, seeded sequence of one-shot hits (one drum hit, one
 * note or one chord per clip), planned here without a synth so the plan is cheap to test.
 *
 *     drums   the General MIDI drum channel: kicks, snares and claps, hi-hats, toms, cymbals and hand
 *             percussion, from the 8 GS kits of MuseScore General, velocities 40–127, each hit
 *             tuned up to ±2 semitones (the kits hold ~100 distinct sounds for these keys; tuning,
 *             as a drummer tunes a drum, makes every hit a little different)
 *     piano   the Salamander grand: single notes A1–C7 and chords (triads, sevenths, sus, fifths)
 *     notes   General MIDI melodic programs from MuseScore General and FluidR3 (no sound effects,
 *             synth FX or reverse cymbal), each in a range it plays well, notes and chords
 *     mixed   each hit drums, piano or notes, a third each
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { DRUM_KIT_NUMBERS, GM_PROGRAMS } from '../../../server/families/symbolic/sound/gm-names.js';
import type { SoundBankName } from '../../../server/families/symbolic/sound/sound-banks.js';

export const BUILTIN_SETS = ['drums', 'piano', 'notes', 'mixed'] as const;
export type BuiltinSet = (typeof BUILTIN_SETS)[number];

/** One clip's hit. */
export interface OneShotHit {
  /** What it is, counted in the dataset's summary: `kick`, `hi-hat`, `piano chord`, `Vibraphone`. */
  label: string;
  /** The GM drum channel (program = kit) or a melodic channel. */
  channel: 'drums' | 'melodic';
  bank: SoundBankName;
  /** GM program (melodic) or GS drum kit number (drums). */
  program: number;
  /** MIDI keys struck together at the clip's start. */
  pitches: number[];
  /** MIDI velocity, 1–127. */
  velocity: number;
  /**
   * When the key is let go, as a fraction of the clip (≥ 1: held past its end). Drum hits ring
   * out: GM drum kits ignore note-offs for most keys.
   */
  hold: number;
  /** Tuning in semitones: the hit is played faster or slower, like a tighter or slacker drum. */
  detune: number;
}

/** GM drum keys (channel 10) by kind of hit. */
export const DRUM_KEYS: Readonly<Record<string, readonly number[]>> = {
  kick: [35, 36],
  snare: [37, 38, 39, 40], // side stick, snare, clap, electric snare
  'hi-hat': [42, 44, 46], // closed, pedal, open
  tom: [41, 43, 45, 47, 48, 50],
  cymbal: [49, 51, 52, 53, 55, 57, 59], // crashes, rides, china, splash
  // tambourine, cowbell, bongos, congas, timbales, agogos, shakers, guiros, claves, blocks, triangles
  percussion: [54, 56, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 73, 74, 75, 76, 77, 80, 81],
};
/** How often each kind of drum hit is drawn, relative to the others: the kit's core kinds most. */
const DRUM_WEIGHTS: Readonly<Record<string, number>> = { kick: 3, snare: 3, 'hi-hat': 3, tom: 2, cymbal: 2, percussion: 1 };

/** Chord shapes in semitones above the root. */
const CHORD_SHAPES: readonly (readonly number[])[] = [
  [0, 4, 7], [0, 3, 7], [0, 4, 7, 11], [0, 3, 7, 10], [0, 4, 7, 10], [0, 5, 7], [0, 7, 12], [0, 4, 7, 12],
];

/**
 * Keys each GM instrument group (8 programs each, program >> 3) plays well, [lowest, highest]; a
 * chord's root is drawn from the lower part so the chord fits.
 */
const GROUP_RANGES: readonly (readonly [number, number])[] = [
  [36, 96], // pianos
  [60, 96], // chromatic percussion
  [36, 84], // organs
  [40, 79], // guitars
  [28, 55], // basses
  [40, 84], // strings
  [40, 84], // ensembles
  [40, 77], // brass
  [48, 84], // reeds
  [60, 96], // pipes
  [48, 84], // synth leads
  [40, 79], // synth pads
  [48, 84], // synth effects (not played: EXCLUDED_PROGRAMS)
  [48, 84], // ethnic
  [48, 79], // percussive
];
/** Programs left out of `notes`: synth effects (96–103) and the reverse cymbal and sound effects (119–127). */
const EXCLUDED_PROGRAMS = new Set([96, 97, 98, 99, 100, 101, 102, 103, 119, 120, 121, 122, 123, 124, 125, 126, 127]);
const NOTE_PROGRAMS = GM_PROGRAMS.map((_, program) => program).filter((program) => !EXCLUDED_PROGRAMS.has(program));
/** The Salamander piano's keys for single notes (A1–C7: the ends of the keyboard are thin). */
const PIANO_RANGE = [33, 96] as const;
/** Hold range for melodic hits, as a fraction of the clip: some notes end inside it, most ring through. */
const HOLD_RANGE = [0.5, 1.5] as const;
/** Largest tuning of a drum hit, semitones either way. */
export const DRUM_DETUNE = 2;

/**
 * The hits of a built-in set, for ever, the same for the same seed.
 *
 * @example for (const hit of builtinHits('drums', 1)) { … } // kick, hi-hat, tom, …
 */
export function* builtinHits(set: BuiltinSet, seed: number): Generator<OneShotHit, never> {
  const random = mulberry32(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const hold = () => HOLD_RANGE[0] + random() * (HOLD_RANGE[1] - HOLD_RANGE[0]);
  const drum = (): OneShotHit => {
    const kind = weightedPick(DRUM_WEIGHTS, random);
    const detune = Math.round((2 * random() - 1) * DRUM_DETUNE * 100) / 100;
    return { label: kind, channel: 'drums', bank: 'musescore', program: pick(DRUM_KIT_NUMBERS), pitches: [pick(DRUM_KEYS[kind])], velocity: between(40, 127), hold: Infinity, detune };
  };
  const chordOrNote = (low: number, high: number, chordShare: number): number[] => {
    if (random() >= chordShare) return [between(low, high)];
    const shape = pick(CHORD_SHAPES);
    const root = between(low, Math.max(low, high - shape.at(-1)!));
    return shape.map((interval) => root + interval);
  };
  const piano = (): OneShotHit => {
    const pitches = chordOrNote(PIANO_RANGE[0], PIANO_RANGE[1], 0.4);
    return { label: pitches.length > 1 ? 'piano chord' : 'piano note', channel: 'melodic', bank: 'salamander', program: 0, pitches, velocity: between(30, 127), hold: hold(), detune: 0 };
  };
  const note = (): OneShotHit => {
    const program = pick(NOTE_PROGRAMS);
    const [low, high] = GROUP_RANGES[program >> 3];
    const bank: SoundBankName = random() < 0.5 ? 'musescore' : 'fluid';
    return { label: GM_PROGRAMS[program], channel: 'melodic', bank, program, pitches: chordOrNote(low, high, 0.3), velocity: between(40, 127), hold: hold(), detune: 0 };
  };
  const makers = { drums: drum, piano, notes: note } as const;
  for (;;) {
    const kind = set === 'mixed' ? pick(['drums', 'piano', 'notes'] as const) : set;
    yield makers[kind]();
  }
}

function weightedPick(weights: Readonly<Record<string, number>>, random: () => number): string {
  const entries = Object.entries(weights);
  let draw = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [name, weight] of entries) {
    draw -= weight;
    if (draw < 0) return name;
  }
  return entries.at(-1)![0];
}
