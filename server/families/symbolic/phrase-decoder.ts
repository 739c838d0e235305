/**
 * Model output → notes: the one decoding that the stream, the MIDI export and the quality report
 * all use, so what the report measures is what listeners hear. Its thresholds are part of the
 * model: the trainer calibrates them per track on the model's own output and writes them into the
 * manifest (`decoding`); binary data decodes exactly with `EXACT_DECODING`.
 *
 * Per pitched row, along the steps:
 *
 *     onset > θ_onset ─────────────────────────▶ strike (ends the note sounding on this row)
 *     sounding and hold > θ_hold ──────────────▶ keep sounding   (θ_hold < θ_onset: hysteresis,
 *     sounding and hold ≤ θ_hold ──────────────▶ release          so a noisy hold does not chop a note)
 *     step 0, hold > θ_hold, sounding before ──▶ tied in (no attack; the note goes on)
 *
 * A monophonic track (bass and lead, when the data plays one note at a time) takes only the
 * likeliest onset of a step, and a new onset ends the note before it. A legato track (one whose
 * data never strikes a pitch again at once) reads an onset on a pitch still sounding, or released
 * a step before, as the same note going on: a blurred hold is not a new attack. Drums are one-shots,
 * and a bar with fewer than `minBarHits` of them plays none: the stray hits of a bar the model
 * meant to be silent (an ambient song, a café song's drum-less A) are noise, not a groove.
 */
import { PLANES, ROWS, STEP_VALUES, STEPS_PER_BAR, STEPS_PER_PHRASE, TRACK_NAMES, TRACKS, assertPhrase, type PianoRoll, type TrackName } from './piano-roll.js';
import { byOnset } from './note-sequence.js';
import type { Note } from './roll-notes.js';

export interface TrackDecoding {
  /** An onset cell above this strikes a note. */
  readonly onset: number;
  /** A note goes on sounding while its hold cell stays above this. */
  readonly hold: number;
  /** One note at a time: the likeliest onset of a step wins, and it ends the note before it. */
  readonly monophonic: boolean;
  /** An onset on a pitch sounding, or released at most a step before, continues that note. */
  readonly legato: boolean;
  /** Drums: a bar with fewer hits than this plays none of them. @default 0 */
  readonly minBarHits?: number;
}

export type Decoding = Readonly<Record<TrackName, TrackDecoding>>;

/** Reads binary data (0/1 cells) back into exactly the notes written. */
export const EXACT_DECODING: Decoding = Object.fromEntries(
  TRACK_NAMES.map((name) => [name, { onset: 0.5, hold: 0.5, monophonic: false, legato: false }]),
) as unknown as Decoding;

export interface DecodeOptions {
  /**
   * `track:pitch` of the notes still sounding at the end of the phrase before (`openAtEnd`): a
   * hold at step 0 on one of those, without an onset, continues it. @default none
   */
  tiedFrom?: ReadonlySet<string>;
  /**
   * The channel's density, 0.1–0.9: 0.5 plays the calibrated thresholds, higher lets less certain
   * notes play (the thresholds move in logit space). @default 0.5
   */
  density?: number;
  /** Decode only these tracks (a calibration trying one track's thresholds). @default all */
  tracks?: readonly TrackName[];
}

const HOLD = PLANES.indexOf('hold') * ROWS;
const VELOCITY = PLANES.indexOf('velocity') * ROWS;

/** The key `tiedFrom` uses for a note. */
export const noteKey = (note: Pick<Note, 'track' | 'pitch'>): string => `${note.track}:${note.pitch}`;

/** The keys of the pitched notes of a phrase that sound to its very end (what the next phrase may tie). */
export function openAtEnd(notes: readonly Note[]): Set<string> {
  return new Set(notes.filter((n) => n.track !== 'drums' && n.step + n.steps >= STEPS_PER_PHRASE).map(noteKey));
}

/** Decoding thresholds moved for a density (see `DecodeOptions.density`). */
export function atDensity(decoding: Decoding, density: number): Decoding {
  if (density === 0.5) return decoding;
  const shift = (0.5 - density) * 4; // density 0.9: −1.6 in logit space, so θ 0.5 becomes 0.17
  const move = (p: number) => 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + shift)));
  return Object.fromEntries(
    TRACK_NAMES.map((name) => [name, { ...decoding[name], onset: move(decoding[name].onset), hold: move(decoding[name].hold) }]),
  ) as unknown as Decoding;
}

/** One phrase's notes (steps from the phrase start), ordered by onset. See the file header. */
export function decodePhrase(roll: PianoRoll, decoding: Decoding, options: DecodeOptions = {}): Note[] {
  assertPhrase(roll);
  const tiedFrom = options.tiedFrom ?? new Set<string>();
  const thresholds = options.density === undefined ? decoding : atDensity(decoding, options.density);
  const notes: Note[] = [];
  for (const t of TRACKS) {
    if (options.tracks && !options.tracks.includes(t.name)) continue;
    const rule = thresholds[t.name];
    const rows = t.pitches.map((pitch, i) => ({ pitch, row: t.firstRow + i, tied: tiedFrom.has(`${t.name}:${pitch}`) }));
    const velocityAt = (step: number, row: number) => Math.min(127, Math.max(1, Math.round(roll[step * STEP_VALUES + VELOCITY + row] * 127)));
    if (t.percussive) {
      const hits: Note[] = [];
      for (let step = 0; step < STEPS_PER_PHRASE; step++) {
        for (const { pitch, row } of rows) {
          if (roll[step * STEP_VALUES + row] > rule.onset) hits.push({ track: t.name, pitch, step, steps: 1, velocity: velocityAt(step, row) });
        }
      }
      const perBar = new Map<number, number>();
      for (const hit of hits) perBar.set(Math.floor(hit.step / STEPS_PER_BAR), (perBar.get(Math.floor(hit.step / STEPS_PER_BAR)) ?? 0) + 1);
      notes.push(...hits.filter((hit) => perBar.get(Math.floor(hit.step / STEPS_PER_BAR))! >= (rule.minBarHits ?? 0)));
      continue;
    }
    /** The note sounding on each row: its start, velocity and whether it was tied in. */
    const sounding = new Map<number, { pitch: number; start: number; velocity: number; tiedIn: boolean }>();
    /** The last note released on each row (a legato track may take it up again). */
    const released = new Map<number, Note>();
    const release = (row: number, end: number) => {
      const note = sounding.get(row)!;
      sounding.delete(row);
      const written: Note = { track: t.name, pitch: note.pitch, step: note.start, steps: end - note.start, velocity: note.velocity, ...(note.tiedIn ? { tiedIn: true } : {}) };
      notes.push(written);
      released.set(row, written);
    };
    for (let step = 0; step < STEPS_PER_PHRASE; step++) {
      const base = step * STEP_VALUES;
      let struck = rows.filter(({ row }) => roll[base + row] > rule.onset);
      if (rule.monophonic && struck.length > 1) struck = [struck.reduce((a, b) => (roll[base + b.row] > roll[base + a.row] ? b : a))];
      /** Rows whose note an onset keeps going at this step (legato): not released here. */
      const carried = new Set<number>();
      if (rule.legato) {
        // A pitch still sounding is not struck again; one released a step ago is taken up again.
        for (const { row } of struck) if (sounding.has(row)) carried.add(row);
        struck = struck.filter(({ row }) => !sounding.has(row));
        for (const { row } of struck) {
          const last = released.get(row);
          if (!last || step - (last.step + last.steps) > 1) continue;
          if (rule.monophonic && [...sounding.keys()].some((other) => other !== row)) continue;
          notes.splice(notes.lastIndexOf(last), 1);
          released.delete(row);
          sounding.set(row, { pitch: last.pitch, start: last.step, velocity: last.velocity, tiedIn: last.tiedIn === true });
          carried.add(row);
        }
        struck = struck.filter(({ row }) => !sounding.has(row));
      }
      const struckRows = new Set(struck.map(({ row }) => row));
      for (const row of [...sounding.keys()]) {
        if (carried.has(row) && !(rule.monophonic && struck.length > 0)) continue;
        if (struckRows.has(row) || roll[base + HOLD + row] <= rule.hold || (rule.monophonic && struck.length > 0)) release(row, step);
      }
      for (const { pitch, row } of struck) sounding.set(row, { pitch, start: step, velocity: velocityAt(step, row), tiedIn: false });
      if (step === 0 && !(rule.monophonic && struck.length > 0)) {
        let tied = rows.filter(({ row, tied }) => tied && !struckRows.has(row) && roll[base + HOLD + row] > rule.hold);
        if (rule.monophonic && tied.length > 1) tied = [tied.reduce((a, b) => (roll[base + HOLD + b.row] > roll[base + HOLD + a.row] ? b : a))];
        // No attack, so no velocity of its own (the note it continues keeps its own): 64.
        for (const { pitch, row } of tied) sounding.set(row, { pitch, start: 0, velocity: 64, tiedIn: true });
      }
    }
    for (const row of [...sounding.keys()]) release(row, STEPS_PER_PHRASE);
  }
  return notes.sort(byOnset);
}

/** A decoded phrase and the key it plays in (semitones from C, section-plan.ts). */
export interface DecodedPhrase {
  readonly notes: readonly Note[];
  readonly key: number;
}

/**
 * Decodes the phrase that follows `previous`: its notes may tie over from the previous phrase's
 * last notes, unless a key change lies between them (a transposed pitch is another pitch).
 */
export function decodeFollowing(phrase: PianoRoll, key: number, previous: DecodedPhrase | undefined, decoding: Decoding, options: Omit<DecodeOptions, 'tiedFrom'> = {}): DecodedPhrase {
  const tiedFrom = previous && previous.key === key ? openAtEnd(previous.notes) : undefined;
  return { notes: decodePhrase(phrase, decoding, { ...options, tiedFrom }), key };
}
