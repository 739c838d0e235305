/**
 * The symbolic family's representation (MuseGAN-style multi-track piano roll).
 *
 * A phrase is 4 bars of 4/4 on a 16th-note grid: 64 steps. Each step holds one row per pitch of
 * three tracks, 81 rows in all:
 *
 *     rows  0– 8  drums   the 9 Magenta drum classes (kick 36, snare 38, closed hat 42, open hat 46,
 *                         low tom 45, mid tom 48, high tom 50, crash 49, ride 51)
 *     rows  9–32  bass    24 pitches, MIDI 36–59 (C2–B3, two octaves)
 *     rows 33–80  chords  48 pitches, MIDI 48–95 (C3–B6, four octaves; piano, keys or pad)
 *
 * A phrase is a Float32Array of 64 × 81 values, step-major: `roll[step * ROWS + row]`, so one bar is
 * the contiguous slice of 16 × 81 values the model's bar generator emits. Values are 0/1 in data and
 * probabilities in model output; `binarizeRoll` thresholds them (MuseGAN's hard thresholding).
 *
 * Pitched cells mean "this pitch sounds during this step": consecutive active steps are one held
 * note, so a repeated note needs a step of rest between. Drum cells are onsets (one step each).
 * The model writes no velocity; `roll-notes.ts` gives notes velocities from their metric position.
 *
 * All phrases are in one common key (C major / A minor), so the model learns harmony once; the
 * importer transposes user MIDI there.
 */

export const STEPS_PER_BEAT = 4;
export const BEATS_PER_BAR = 4;
export const STEPS_PER_BAR = STEPS_PER_BEAT * BEATS_PER_BAR;
export const BARS_PER_PHRASE = 4;
export const STEPS_PER_PHRASE = STEPS_PER_BAR * BARS_PER_PHRASE;

export type TrackName = 'drums' | 'bass' | 'chords';

export interface Track {
  readonly name: TrackName;
  /** First row of the track in a step. */
  readonly firstRow: number;
  /** MIDI pitch of each row, lowest row first. */
  readonly pitches: readonly number[];
  /** True for drums: cells are onsets, notes are one step long, MIDI channel 10. */
  readonly percussive: boolean;
}

/** The 9 Magenta drum classes, in row order. */
export const DRUM_PITCHES = [36, 38, 42, 46, 45, 48, 50, 49, 51] as const;
export const DRUM_NAMES = ['kick', 'snare', 'closed hat', 'open hat', 'low tom', 'mid tom', 'high tom', 'crash', 'ride'] as const;
export const BASS_LOWEST = 36;
export const CHORDS_LOWEST = 48;

const range = (low: number, count: number) => Array.from({ length: count }, (_, i) => low + i);

export const TRACKS: readonly Track[] = [
  { name: 'drums', firstRow: 0, pitches: DRUM_PITCHES, percussive: true },
  { name: 'bass', firstRow: 9, pitches: range(BASS_LOWEST, 24), percussive: false },
  { name: 'chords', firstRow: 33, pitches: range(CHORDS_LOWEST, 48), percussive: false },
];

export const ROWS = 81;
export const BAR_VALUES = STEPS_PER_BAR * ROWS;
export const PHRASE_VALUES = STEPS_PER_PHRASE * ROWS;

/** One phrase: `PHRASE_VALUES` values, step-major (see the file header). */
export type PianoRoll = Float32Array;

export function track(name: TrackName): Track {
  return TRACKS.find((t) => t.name === name)!;
}

export function emptyRoll(): PianoRoll {
  return new Float32Array(PHRASE_VALUES);
}

/** Index of a cell. `row` counts from the track's first row. */
export function cellIndex(step: number, trackName: TrackName, row: number): number {
  return step * ROWS + track(trackName).firstRow + row;
}

/** Row of `pitch` within `trackName`, or -1 when the track cannot play it. */
export function rowOfPitch(trackName: TrackName, pitch: number): number {
  return track(trackName).pitches.indexOf(pitch);
}

/** Thresholds model probabilities to 0/1 (MuseGAN's hard thresholding at 0.5 by default). */
export function binarizeRoll(roll: PianoRoll, threshold = 0.5): PianoRoll {
  const out = new Float32Array(roll.length);
  for (let i = 0; i < roll.length; i++) out[i] = roll[i] > threshold ? 1 : 0;
  return out;
}

/** Throws with the offending length when `roll` is not one phrase. */
export function assertPhrase(roll: Float32Array): asserts roll is PianoRoll {
  if (roll.length !== PHRASE_VALUES) {
    throw new RangeError(`a phrase has ${PHRASE_VALUES} values (${STEPS_PER_PHRASE} steps × ${ROWS} rows), got ${roll.length}`);
  }
}

/** Musical styles of the built-in corpus; the model is conditioned on one (one-hot). */
export const STYLES = ['house', 'cafe', 'ambient'] as const;
export type Style = (typeof STYLES)[number];

/** The one-hot condition vector of a style. */
export function styleVector(style: Style): Float32Array {
  const v = new Float32Array(STYLES.length);
  v[STYLES.indexOf(style)] = 1;
  return v;
}

/** A symbolic model's input: the latent z followed by the style's one-hot. */
export function conditionedInput(z: Float32Array, style: Style): Float32Array {
  const input = new Float32Array(z.length + STYLES.length);
  input.set(z);
  input.set(styleVector(style), z.length);
  return input;
}
