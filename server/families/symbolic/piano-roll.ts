/**
 * The symbolic family's representation: a multi-track piano roll (MuseGAN) with separate onset,
 * hold and velocity planes, so a held note, a re-struck note and a note tied over from the phrase
 * before are three different things, and every onset carries its own loudness.
 *
 * A phrase is 4 bars of 4/4 on a 16th-note grid: 64 steps. Each step holds three planes of one row
 * per pitch of four tracks, 105 rows:
 *
 *     rows   0–  8  drums   the 9 Magenta drum classes (kick 36, snare 38, closed hat 42, open hat 46,
 *                           low tom 45, mid tom 48, high tom 50, crash 49, ride 51)
 *     rows   9– 32  bass    24 pitches, MIDI 36–59 (C2–B3)
 *     rows  33– 80  chords  48 pitches, MIDI 48–95 (C3–B6; piano, keys or pad)
 *     rows  81–104  lead    24 pitches, MIDI 60–83 (C4–B5; the melody)
 *
 *     plane 0  onset     1 where a note starts (is struck)
 *     plane 1  hold      1 at every step a pitched note sounds, its onset step included; 0 for drums
 *                        (one-shots). Hold at step 0 without an onset: the note is tied over from
 *                        the phrase before, and is not struck again.
 *     plane 2  velocity  velocity / 127 at an onset cell, 0 elsewhere
 *
 * A phrase is a Float32Array of 64 × 315 values, step-major, plane-major within a step:
 * `roll[step * STEP_VALUES + plane * ROWS + row]`, so one bar is the contiguous slice the model's
 * bar generator emits. Values are 0/1 (velocity 0–1) in data and probabilities in model output;
 * `phrase-decoder.ts` turns either into notes.
 *
 * All phrases are in one common key (C major / A minor), so the model learns harmony once; the
 * importer transposes user MIDI there and the stream transposes at render (section-plan.ts).
 */

export const STEPS_PER_BEAT = 4;
export const BEATS_PER_BAR = 4;
export const STEPS_PER_BAR = STEPS_PER_BEAT * BEATS_PER_BAR;
export const BARS_PER_PHRASE = 4;
export const STEPS_PER_PHRASE = STEPS_PER_BAR * BARS_PER_PHRASE;

export const TRACK_NAMES = ['drums', 'bass', 'chords', 'lead'] as const;
export type TrackName = (typeof TRACK_NAMES)[number];
/** The tracks that play pitches (every one but drums). */
export const PITCHED_TRACKS = ['bass', 'chords', 'lead'] as const satisfies readonly TrackName[];
export type PitchedTrackName = (typeof PITCHED_TRACKS)[number];

export interface Track {
  readonly name: TrackName;
  /** First row of the track in a plane. */
  readonly firstRow: number;
  /** MIDI pitch of each row, lowest row first. */
  readonly pitches: readonly number[];
  /** True for drums: one-shots (no hold plane), MIDI channel 10. */
  readonly percussive: boolean;
}

/** The 9 Magenta drum classes, in row order. */
export const DRUM_PITCHES = [36, 38, 42, 46, 45, 48, 50, 49, 51] as const;
export const DRUM_NAMES = ['kick', 'snare', 'closed hat', 'open hat', 'low tom', 'mid tom', 'high tom', 'crash', 'ride'] as const;
export const BASS_LOWEST = 36;
export const CHORDS_LOWEST = 48;
export const LEAD_LOWEST = 60;

const range = (low: number, count: number) => Array.from({ length: count }, (_, i) => low + i);

export const TRACKS: readonly Track[] = [
  { name: 'drums', firstRow: 0, pitches: DRUM_PITCHES, percussive: true },
  { name: 'bass', firstRow: 9, pitches: range(BASS_LOWEST, 24), percussive: false },
  { name: 'chords', firstRow: 33, pitches: range(CHORDS_LOWEST, 48), percussive: false },
  { name: 'lead', firstRow: 81, pitches: range(LEAD_LOWEST, 24), percussive: false },
];

export const ROWS = 105;
export const PLANES = ['onset', 'hold', 'velocity'] as const;
export type Plane = (typeof PLANES)[number];
export const STEP_VALUES = PLANES.length * ROWS;
export const BAR_VALUES = STEPS_PER_BAR * STEP_VALUES;
export const PHRASE_VALUES = STEPS_PER_PHRASE * STEP_VALUES;

/** One phrase: `PHRASE_VALUES` values, step-major (see the file header). */
export type PianoRoll = Float32Array;

export function track(name: TrackName): Track {
  return TRACKS.find((t) => t.name === name)!;
}

export function emptyRoll(): PianoRoll {
  return new Float32Array(PHRASE_VALUES);
}

/** Index of a cell; `row` counts from the first row of all tracks (see `track(name).firstRow`). */
export function cellIndex(step: number, plane: Plane, row: number): number {
  return step * STEP_VALUES + PLANES.indexOf(plane) * ROWS + row;
}

/** Row (counted from the first of all tracks) of `pitch` in `trackName`, or -1 when the track cannot play it. */
export function rowOfPitch(trackName: TrackName, pitch: number): number {
  const t = track(trackName);
  const i = t.pitches.indexOf(pitch);
  return i < 0 ? -1 : t.firstRow + i;
}

/** Throws with the offending length when `roll` is not one phrase. */
export function assertPhrase(roll: Float32Array): asserts roll is PianoRoll {
  if (roll.length !== PHRASE_VALUES) {
    throw new RangeError(`a phrase has ${PHRASE_VALUES} values (${STEPS_PER_PHRASE} steps × ${PLANES.length} planes × ${ROWS} rows), got ${roll.length}`);
  }
}

/** Musical styles of the built-in corpus; a model is conditioned on those it was trained on (one-hot). */
export const STYLES = ['house', 'cafe', 'ambient'] as const;
export type Style = (typeof STYLES)[number];
