/**
 * MuseGAN's objective metrics (Dong et al., "MuseGAN: Multi-track Sequential Generative Adversarial
 * Networks for Symbolic Music Generation and Accompaniment", AAAI 2018, §"Objective metrics"), read
 * off a set of songs' notes on our 16th-note grid. Each metric is a statistic of the whole set, so
 * a generator is judged by how close its set's values come to the training data's (see
 * `quality-report.ts`), not by the values alone.
 *
 * MuseGAN works at 96 ticks per bar (24 per beat); we have 16 steps per bar, one step = 6 ticks.
 * Where a metric's threshold would be trivially met on the coarser grid, it moves to the grid's
 * next value; each metric's JSDoc says how.
 *
 * Every metric is pooled over the set (all bars, or all notes, of all songs), not averaged per
 * song, so a song with more notes weighs more in QN and DP, as in MuseGAN. Songs are read as
 * `song-notes.ts` says: a note sounds in every bar it overlaps, cut at the song's end.
 */
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { meanOrZero, readSong, soundingEnd } from './song-notes.js';

/** The metrics, in report order. `TD.bass-chords` is the one two-track metric. */
export const METRIC_NAMES = [
  'EB.drums',
  'EB.bass',
  'EB.chords',
  'UPC.bass',
  'UPC.chords',
  'QN.bass',
  'QN.chords',
  'DP.drums',
  'TD.bass-chords',
] as const;

/** One of the 9 metrics: the statistic, a dot, the track (or two tracks, for TD). */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * One value per metric. No value is ever NaN: a metric with nothing to average over (no notes, no
 * non-empty bars) is 0, and its `MetricSupport` entry is 0 so callers can tell "0" from "undefined".
 */
export type MuseganMetrics = Record<MetricName, number>;

/**
 * How many units each metric averaged over: bars (EB), non-empty bars (UPC), notes (QN), drum
 * onsets (DP), bars where bass and chords both sound (TD). 0 means the metric is undefined for the
 * set and its value is the placeholder 0.
 */
export type MetricSupport = Record<MetricName, number>;

/** A set's metrics together with what each was averaged over. */
export interface MetricMeasurement {
  readonly metrics: MuseganMetrics;
  readonly support: MetricSupport;
}

/** One line per metric, for reports. */
export const METRIC_DESCRIPTIONS: Readonly<Record<MetricName, string>> = {
  'EB.drums': 'empty-bar rate, drums',
  'EB.bass': 'empty-bar rate, bass',
  'EB.chords': 'empty-bar rate, chords',
  'UPC.bass': 'pitch classes per non-empty bar, bass',
  'UPC.chords': 'pitch classes per non-empty bar, chords',
  'QN.bass': 'notes ≥ 2 steps (an 8th), bass',
  'QN.chords': 'notes ≥ 2 steps (an 8th), chords',
  'DP.drums': 'drum onsets on the 8th-note grid',
  'TD.bass-chords': 'tonal distance, bass vs chords',
};

/**
 * Shortest qualified note, in steps. MuseGAN qualifies notes of ≥ 3 of 96 ticks (a 32nd); every
 * note on a 16th grid is ≥ 6 ticks, so we raise the bar to the grid's next value, an 8th: lone
 * one-step blips are the fragmentation artifact QN exists to catch.
 */
export const QUALIFIED_NOTE_STEPS = 2;

/**
 * Drum onsets count as "in pattern" on steps that are multiples of this (the 8th-note grid).
 * MuseGAN accepts the 16-beat pattern (every 16th, ±1 tick at 0.1 weight); on a 16th grid every
 * onset is on it, so the 8-beat pattern is the one left that can tell grooves apart.
 */
export const DRUM_PATTERN_STEPS = 2;

/**
 * Harte, Sandler & Gasser (2006) tonal centroid of a chroma vector: the chroma normalised to sum
 * 1, projected onto the circle of fifths (r1 = 1, angle 7π/6 per pitch class), minor thirds (r2 = 1,
 * 3π/2) and major thirds (r3 = 0.5, 2π/3). An all-zero chroma maps to the origin.
 *
 * @param chroma 12 pitch-class weights, C first (any non-negative scale)
 * @returns the 6-D centroid (sin, cos) × (fifths, minor thirds, major thirds)
 */
export function tonalCentroid(chroma: ArrayLike<number>): Float64Array {
  if (chroma.length !== 12) throw new RangeError(`a chroma has 12 pitch classes, got ${chroma.length}`);
  let total = 0;
  for (let pc = 0; pc < 12; pc++) total += chroma[pc];
  const centroid = new Float64Array(6);
  if (total <= 0) return centroid;
  for (let pc = 0; pc < 12; pc++) {
    const weight = chroma[pc] / total;
    if (weight === 0) continue;
    for (const [axis, radius, angle] of TONAL_AXES) {
      centroid[axis] += weight * radius * Math.sin(pc * angle);
      centroid[axis + 1] += weight * radius * Math.cos(pc * angle);
    }
  }
  return centroid;
}

/** [first output dimension, radius, angle per pitch class] of the three tonal circles. */
const TONAL_AXES: readonly (readonly [number, number, number])[] = [
  [0, 1, (7 * Math.PI) / 6],
  [2, 1, (3 * Math.PI) / 2],
  [4, 0.5, (2 * Math.PI) / 3],
];

/**
 * Euclidean distance between the tonal centroids of two chroma vectors (MuseGAN's TD for one bar):
 * 0 for chromas with the same pitch-class proportions, larger for less related harmony.
 */
export function tonalDistance(chromaA: ArrayLike<number>, chromaB: ArrayLike<number>): number {
  const a = tonalCentroid(chromaA);
  const b = tonalCentroid(chromaB);
  let sum = 0;
  for (let d = 0; d < 6; d++) sum += (a[d] - b[d]) ** 2;
  return Math.sqrt(sum);
}

/**
 * Measures a set of songs and says what each metric averaged over. The metrics:
 *
 * - **EB.<track>**, empty-bar rate: bars where nothing of the track sounds / all bars (for drums:
 *   bars with no drum onset). Same as MuseGAN (a bar is a bar on any grid).
 * - **UPC.bass / UPC.chords**, used pitch classes: distinct pitch classes (pitch mod 12) sounding in
 *   a bar, averaged over the bars where the track is non-empty. Same as MuseGAN; a note held
 *   across a bar line counts in both bars.
 * - **QN.bass / QN.chords**, qualified-note rate: notes at least `QUALIFIED_NOTE_STEPS` = 2 steps
 *   long / all notes (a note as written, ties joined). MuseGAN uses ≥ 3 of 96 ticks, which every
 *   note on our grid meets; see `QUALIFIED_NOTE_STEPS`.
 * - **DP.drums**, drum-pattern rate: drum onsets on even steps (the 8th grid) / all drum onsets.
 *   MuseGAN's 16-beat pattern is trivial on our grid; see `DRUM_PATTERN_STEPS`.
 * - **TD.bass-chords**, tonal distance: for each bar where bass and chords both sound, each track's
 *   chroma (steps sounded per pitch class in the bar, i.e. duration-weighted) → `tonalDistance`;
 *   mean over those bars. As in MuseGAN, but per bar rather than per beat window.
 *
 * Undefined cases are explicit, never NaN: a metric with nothing to average over is 0 and has
 * support 0 (an empty set gives all zeros).
 *
 * @example
 *   const { metrics, support } = measureSongs(songs);
 *   if (support['DP.drums'] === 0) console.log('no drums at all');
 */
export function measureSongs(songs: readonly Song[]): MetricMeasurement {
  const tally = {
    bars: 0,
    emptyBars: { drums: 0, bass: 0, chords: 0 },
    pitchClassSum: { bass: 0, chords: 0 },
    qualifiedNotes: { bass: 0, chords: 0 },
    notes: { bass: 0, chords: 0 },
    drumOnsets: 0,
    drumOnsetsInPattern: 0,
    tonalDistanceSum: 0,
    tonalBars: 0,
  };
  for (const song of songs) {
    const { bars, steps, notes } = readSong(song);
    tally.bars += bars;
    const drumBars = new Uint8Array(bars);
    for (const hit of notes.drums) {
      drumBars[Math.floor(hit.step / STEPS_PER_BAR)] = 1;
      tally.drumOnsets++;
      if (hit.step % DRUM_PATTERN_STEPS === 0) tally.drumOnsetsInPattern++;
    }
    for (const sounded of drumBars) if (sounded === 0) tally.emptyBars.drums++;
    const chromas = { bass: barChromas(notes.bass, bars, steps), chords: barChromas(notes.chords, bars, steps) };
    for (let bar = 0; bar < bars; bar++) {
      const bass = chromas.bass.subarray(bar * 12, bar * 12 + 12);
      const chords = chromas.chords.subarray(bar * 12, bar * 12 + 12);
      for (const [name, chroma] of [['bass', bass], ['chords', chords]] as const) {
        const used = usedPitchClasses(chroma);
        if (used === 0) tally.emptyBars[name]++;
        tally.pitchClassSum[name] += used;
      }
      if (usedPitchClasses(bass) > 0 && usedPitchClasses(chords) > 0) {
        tally.tonalDistanceSum += tonalDistance(bass, chords);
        tally.tonalBars++;
      }
    }
    for (const name of ['bass', 'chords'] as const) {
      for (const note of notes[name]) {
        tally.notes[name]++;
        if (note.steps >= QUALIFIED_NOTE_STEPS) tally.qualifiedNotes[name]++;
      }
    }
  }
  const nonEmpty = (name: 'bass' | 'chords') => tally.bars - tally.emptyBars[name];
  const support: MetricSupport = {
    'EB.drums': tally.bars,
    'EB.bass': tally.bars,
    'EB.chords': tally.bars,
    'UPC.bass': nonEmpty('bass'),
    'UPC.chords': nonEmpty('chords'),
    'QN.bass': tally.notes.bass,
    'QN.chords': tally.notes.chords,
    'DP.drums': tally.drumOnsets,
    'TD.bass-chords': tally.tonalBars,
  };
  const metrics: MuseganMetrics = {
    'EB.drums': meanOrZero(tally.emptyBars.drums, tally.bars),
    'EB.bass': meanOrZero(tally.emptyBars.bass, tally.bars),
    'EB.chords': meanOrZero(tally.emptyBars.chords, tally.bars),
    'UPC.bass': meanOrZero(tally.pitchClassSum.bass, nonEmpty('bass')),
    'UPC.chords': meanOrZero(tally.pitchClassSum.chords, nonEmpty('chords')),
    'QN.bass': meanOrZero(tally.qualifiedNotes.bass, tally.notes.bass),
    'QN.chords': meanOrZero(tally.qualifiedNotes.chords, tally.notes.chords),
    'DP.drums': meanOrZero(tally.drumOnsetsInPattern, tally.drumOnsets),
    'TD.bass-chords': meanOrZero(tally.tonalDistanceSum, tally.tonalBars),
  };
  return { metrics, support };
}

/**
 * The metrics of a set of songs (see `measureSongs` for definitions). A metric with nothing to
 * average over is 0, never NaN; use `measureSongs` to tell that case apart.
 */
export function computeMetrics(songs: readonly Song[]): MuseganMetrics {
  return measureSongs(songs).metrics;
}

/**
 * Steps sounded per pitch class in each bar of a pitched track (a duration-weighted chroma per
 * bar), as one array: bar b's chroma is `[b·12, b·12 + 12)`. A note counts in every bar it overlaps.
 */
function barChromas(notes: readonly Note[], bars: number, songSteps: number): Float64Array {
  const chromas = new Float64Array(bars * 12);
  for (const note of notes) {
    const end = soundingEnd(note, songSteps);
    const pitchClass = note.pitch % 12;
    for (let bar = Math.floor(note.step / STEPS_PER_BAR); bar * STEPS_PER_BAR < end; bar++) {
      const overlap = Math.min(end, (bar + 1) * STEPS_PER_BAR) - Math.max(note.step, bar * STEPS_PER_BAR);
      chromas[bar * 12 + pitchClass] += overlap;
    }
  }
  return chromas;
}

function usedPitchClasses(chroma: ArrayLike<number>): number {
  let used = 0;
  for (let pc = 0; pc < 12; pc++) if (chroma[pc] > 0) used++;
  return used;
}
