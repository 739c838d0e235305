/**
 * Figures a listener hears that the MuseGAN metrics miss: chopped notes (one-step blips, a pitch
 * re-struck right after it ended), how busy and how thick a track is, notes held over bar lines,
 * playing in key, and whether bars come back (a bar compared with the bar 4 and 8 later, against a
 * baseline of random bars from different songs). Like musegan-metrics.ts, each figure is pooled over
 * a whole set of songs and judged against the data's value (quality-report.ts).
 *
 *     figure        tracks          unit averaged over   value
 *     oneStep       bass chords lead  notes               share of notes 1 step long
 *     restrike      bass chords lead  notes               share struck ≤ 1 step after the same pitch ended
 *     onsetsPerBar  all four          bars                distinct onset steps per bar
 *     polyphony     bass chords lead  sounding steps      notes sounding at once
 *     heldAcross    bass chords lead  notes               share sounding over a bar line
 *     similarity4   all four          bar pairs           Jaccard of bar i and bar i+4
 *     similarity8   all four          bar pairs           Jaccard of bar i and bar i+8
 *     inKey         bass chords lead  notes               share in C major / A minor
 *
 * Drum hits on the 8th grid are DP.drums in the MuseGAN set, so they are not repeated here.
 */
import { PITCHED_TRACKS, STEPS_PER_BAR, TRACK_NAMES, type PitchedTrackName, type TrackName } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { meanOrZero, readSong, sharedKeys, soundingEnd } from './song-notes.js';

/** Figures of the pitched tracks, in report order. */
export const PITCHED_FIGURES = ['oneStep', 'restrike', 'onsetsPerBar', 'polyphony', 'heldAcross', 'similarity4', 'similarity8', 'inKey'] as const;
/** Figures of the drums, in report order. */
export const DRUM_FIGURES = ['onsetsPerBar', 'similarity4', 'similarity8'] as const;

/** A figure of a pitched track, before its track is added to the name. */
export type PitchedFigure = (typeof PITCHED_FIGURES)[number];
/** A figure of the drums, before '.drums' is added to the name. */
export type DrumFigure = (typeof DRUM_FIGURES)[number];
/** A figure of one track, named `figure.track`: 'oneStep.chords', 'similarity4.drums'. */
export type ListenerFigureName = `${DrumFigure}.drums` | `${PitchedFigure}.${PitchedTrackName}`;

/** Every figure, grouped by track (drums, bass, chords, lead), each track's in the order above. */
export const LISTENER_FIGURE_NAMES: readonly ListenerFigureName[] = TRACK_NAMES.flatMap((name) =>
  name === 'drums' ? DRUM_FIGURES.map((f) => `${f}.drums` as const) : PITCHED_FIGURES.map((f) => `${f}.${name}` as const),
);

/** A mean and how many units it averaged over; support 0 means undefined (and the value is 0). */
export interface Measured {
  readonly value: number;
  readonly support: number;
}

/** A set's figures together with what each averaged over (see `Measured`). */
export interface ListenerMeasurement {
  readonly figures: Readonly<Record<ListenerFigureName, number>>;
  readonly support: Readonly<Record<ListenerFigureName, number>>;
}

/** Pitch classes of C major (and so of A minor): the key every phrase is written in. */
export const IN_KEY_PITCH_CLASSES: ReadonlySet<number> = new Set([0, 2, 4, 5, 7, 9, 11]);

/** Bar lags the similarity figures compare at: 4 bars (half a section) and 8 (a section). */
export const SIMILARITY_LAGS = [4, 8] as const;

const FIGURE_DESCRIPTIONS: Readonly<Record<PitchedFigure, string>> = {
  oneStep: 'notes one step (a 16th) long',
  restrike: 'notes struck ≤ 1 step after the same pitch ended',
  onsetsPerBar: 'distinct onset steps per bar',
  polyphony: 'notes sounding at once, where the track sounds',
  heldAcross: 'notes held over a bar line',
  similarity4: 'bar vs the bar 4 later (Jaccard of pitch, onset)',
  similarity8: 'bar vs the bar 8 later (Jaccard of pitch, onset)',
  inKey: 'notes in C major / A minor',
};

/** One line per figure, for reports: 'notes one step (a 16th) long, chords'. */
export function listenerFigureDescription(name: ListenerFigureName): string {
  const [figure, trackName] = name.split('.') as [PitchedFigure, TrackName];
  return `${FIGURE_DESCRIPTIONS[figure]}, ${trackName}`;
}

/**
 * Measures every listener figure of a set of songs, pooled over the set (all notes, bars, bar
 * pairs or sounding steps of all songs). Definitions, per track:
 *
 * - **oneStep**: notes with `steps === 1` / notes.
 * - **restrike**: notes whose previous note (by onset) of the same pitch ended at most one step
 *   before their onset, i.e. onset − (prev.step + prev.steps) ≤ 1; overlapping same-pitch notes
 *   count too. Over all notes, so a pitch's first note counts in the denominator.
 * - **onsetsPerBar**: distinct onset steps (chords struck together count once) / bars, over all
 *   bars of all songs, silent ones included.
 * - **polyphony**: notes sounding, summed over steps where at least one sounds / those steps.
 * - **heldAcross**: notes sounding over a bar line inside the song (step < 16k < step + steps).
 * - **similarity4, similarity8**: see `similarityAtLag`, pooled over the pairs of all songs.
 * - **inKey**: notes whose pitch class is in `IN_KEY_PITCH_CLASSES` / notes.
 *
 * Nothing is ever NaN: a figure with nothing to average over is 0 with support 0.
 *
 * @example
 *   const { figures, support } = measureListenerFigures(songs);
 *   figures['similarity4.lead'] // 0.6: the melody comes back half a section later
 */
export function measureListenerFigures(songs: readonly Song[]): ListenerMeasurement {
  const sums = new Map<ListenerFigureName, { total: number; count: number }>(LISTENER_FIGURE_NAMES.map((name) => [name, { total: 0, count: 0 }]));
  const add = (name: ListenerFigureName, total: number, count: number) => {
    const sum = sums.get(name)!;
    sum.total += total;
    sum.count += count;
  };
  for (const song of songs) {
    const read = readSong(song);
    for (const trackName of TRACK_NAMES) {
      const notes = read.notes[trackName];
      add(`onsetsPerBar.${trackName}` as ListenerFigureName, distinctOnsets(notes, read.steps), read.bars);
      const barSets = barNoteSets(notes, read.bars);
      for (const lag of SIMILARITY_LAGS) {
        const { total, pairs } = lagSimilarity(barSets, lag);
        add(`similarity${lag}.${trackName}` as ListenerFigureName, total, pairs);
      }
      if (trackName === 'drums') continue;
      add(`oneStep.${trackName}`, count(notes, (n) => n.steps === 1), notes.length);
      add(`restrike.${trackName}`, restrikes(notes), notes.length);
      add(`heldAcross.${trackName}`, count(notes, (n) => heldOverBarLine(n, read.steps)), notes.length);
      add(`inKey.${trackName}`, count(notes, (n) => IN_KEY_PITCH_CLASSES.has(((n.pitch % 12) + 12) % 12)), notes.length);
      const { voices, soundingSteps } = polyphony(notes, read.steps);
      add(`polyphony.${trackName}`, voices, soundingSteps);
    }
  }
  const figures = {} as Record<ListenerFigureName, number>;
  const support = {} as Record<ListenerFigureName, number>;
  for (const [name, { total, count: units }] of sums) {
    figures[name] = meanOrZero(total, units);
    support[name] = units;
  }
  return { figures, support };
}

/**
 * How much a song's bars repeat `lag` bars later, in one track: over every pair of bars (i, i+lag)
 * of the song, the Jaccard similarity |A∩B| / |A∪B| of the two bars' note sets (a note being its
 * pitch and its onset step within the bar; notes held in from the bar before are not in it).
 * Pairs where both bars are empty are skipped; the value is the mean over the rest, `support`
 * their count.
 *
 * @example
 *   // a tune that repeats its first half: bars 4 apart share more than random bars do
 *   similarityAtLag(song, 'lead', 4).value > randomBarSimilarity(songs, 'lead').value
 */
export function similarityAtLag(song: Song, trackName: TrackName, lag: number): Measured {
  if (!Number.isInteger(lag) || lag < 1) throw new RangeError(`lag must be a whole number of bars ≥ 1, got ${lag}`);
  const read = readSong(song);
  const { total, pairs } = lagSimilarity(barNoteSets(read.notes[trackName], read.bars), lag);
  return { value: meanOrZero(total, pairs), support: pairs };
}

/** How `randomBarSimilarity` draws its pairs. */
export interface RandomBarOptions {
  /** Pairs of bars drawn; those where both bars are empty are skipped, as at a lag. */
  pairs?: number;
  /** Seed of the draw, so a report is reproducible. */
  seed?: number;
}

/**
 * The baseline the similarity figures are read against: the same bar Jaccard as
 * `similarityAtLag`, over seeded random pairs of bars from two different songs (uniform song,
 * then uniform bar). A song that repeats itself scores well above this; one that does not, near it.
 * Fewer than two songs with bars give support 0.
 *
 * @param [options.pairs=2000] pairs drawn (with replacement)
 * @param [options.seed=1] seed of the draw
 */
export function randomBarSimilarity(songs: readonly Song[], trackName: TrackName, options: RandomBarOptions = {}): Measured {
  const { pairs = 2000, seed = 1 } = options;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  const sets = songs.map(readSong).filter((read) => read.bars > 0).map((read) => barNoteSets(read.notes[trackName], read.bars));
  if (sets.length < 2) return { value: 0, support: 0 };
  const uniform = mulberry32(seed);
  const pick = (count: number) => Math.floor(uniform() * count);
  let total = 0;
  let counted = 0;
  for (let k = 0; k < pairs; k++) {
    const first = pick(sets.length);
    let second = pick(sets.length - 1);
    if (second >= first) second++; // bars of one song are the lag figures' business, not the baseline's
    const similarity = jaccardSimilarity(sets[first][pick(sets[first].length)], sets[second][pick(sets[second].length)]);
    if (Number.isNaN(similarity)) continue;
    total += similarity;
    counted++;
  }
  return { value: meanOrZero(total, counted), support: counted };
}

function count(notes: readonly Note[], predicate: (note: Note) => boolean): number {
  let n = 0;
  for (const note of notes) if (predicate(note)) n++;
  return n;
}

/** Distinct onset steps of a track's notes in a song. */
function distinctOnsets(notes: readonly Note[], songSteps: number): number {
  const struck = new Uint8Array(songSteps);
  let distinct = 0;
  for (const note of notes) {
    if (struck[note.step] === 0) distinct++;
    struck[note.step] = 1;
  }
  return distinct;
}

/** True when the note sounds on both sides of a bar line inside the song. */
function heldOverBarLine(note: Note, songSteps: number): boolean {
  const nextBarLine = (Math.floor(note.step / STEPS_PER_BAR) + 1) * STEPS_PER_BAR;
  return nextBarLine < soundingEnd(note, songSteps);
}

/** Notes struck at most one step after the previous note of their pitch ended (or while it sounds). */
function restrikes(notes: readonly Note[]): number {
  const ordered = [...notes].sort((a, b) => a.pitch - b.pitch || a.step - b.step || a.steps - b.steps);
  let restruck = 0;
  for (let i = 1; i < ordered.length; i++) {
    const [before, note] = [ordered[i - 1], ordered[i]];
    if (before.pitch === note.pitch && note.step - (before.step + before.steps) <= 1) restruck++;
  }
  return restruck;
}

/** Notes sounding summed over the steps where any sounds, and how many such steps there are. */
function polyphony(notes: readonly Note[], songSteps: number): { voices: number; soundingSteps: number } {
  const sounding = new Uint16Array(songSteps);
  let voices = 0;
  for (const note of notes) {
    const end = soundingEnd(note, songSteps);
    for (let step = note.step; step < end; step++) sounding[step]++;
    voices += end - note.step;
  }
  let soundingSteps = 0;
  for (const atStep of sounding) if (atStep > 0) soundingSteps++;
  return { voices, soundingSteps };
}

/**
 * Each bar's note set as sorted, distinct keys pitch·16 + onset step within the bar, so two sets
 * intersect by a merge, without allocating.
 */
function barNoteSets(notes: readonly Note[], bars: number): Int32Array[] {
  const keys: number[][] = Array.from({ length: bars }, () => []);
  for (const note of notes) {
    const bar = Math.floor(note.step / STEPS_PER_BAR);
    keys[bar].push(note.pitch * STEPS_PER_BAR + (note.step - bar * STEPS_PER_BAR));
  }
  return keys.map((bar) => {
    const sorted = Int32Array.from(bar).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
    return sorted.subarray(0, distinct);
  });
}

/** Sum of the Jaccard similarities of bar pairs (i, i+lag), skipping pairs of two empty bars. */
function lagSimilarity(barSets: readonly Int32Array[], lag: number): { total: number; pairs: number } {
  let total = 0;
  let pairs = 0;
  for (let bar = 0; bar + lag < barSets.length; bar++) {
    const similarity = jaccardSimilarity(barSets[bar], barSets[bar + lag]);
    if (Number.isNaN(similarity)) continue;
    total += similarity;
    pairs++;
  }
  return { total, pairs };
}

/** |a∩b| / |a∪b| of two sorted distinct key sets; NaN when both are empty (the caller skips the pair). */
function jaccardSimilarity(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return Number.NaN;
  const shared = sharedKeys(a, b);
  return shared / (a.length + b.length - shared);
}
