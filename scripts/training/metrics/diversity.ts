/**
 * How varied a set of songs is, phrase by phrase: each song is cut into its 4-bar phrases (the
 * unit the model writes), a phrase is the set of its notes (track, pitch, step, length), and the
 * score is the mean Jaccard distance between random pairs of phrases (mode collapse drives it
 * towards 0), alongside the number of distinct phrases. Phrases are packed once into sorted integer
 * keys, so a pair costs one merge and thousands of pairs cost milliseconds.
 */
import { STEPS_PER_PHRASE, TRACK_NAMES } from '../../../server/families/symbolic/piano-roll.js';
import { cutPhrases, type Song } from '../../../server/families/symbolic/note-sequence.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { sharedKeys } from './song-notes.js';

/** How the diversity score samples its pairs. */
export interface DiversityOptions {
  /** Pairs to sample; when the set has no more distinct pairs than this, all are used exactly. */
  pairs?: number;
  /** Seed of the pair sampling, so a report is reproducible. */
  seed?: number;
}

/** What `measureDiversity` finds in a set of songs. */
export interface DiversityMeasurement {
  /** Mean Jaccard distance between pairs of phrases (see `diversityScore`). */
  readonly score: number;
  /** Distinct phrases (see `distinctPhraseCount`). */
  readonly distinct: number;
  /** Phrases in all. */
  readonly count: number;
}

/** A phrase as sorted, distinct integer keys, one per note (see `packPhrase`). */
export type PackedPhrase = Int32Array;

/**
 * A phrase's notes (steps from the phrase start, as `cutPhrases` gives them) as sorted, distinct
 * keys of (track, pitch, step, steps). A tied-in note is the note it is, (track, pitch, 0, its
 * length in this phrase); two equal notes are one. Throws `RangeError` for a note outside the
 * phrase, which would alias another note's key.
 */
export function packPhrase(notes: readonly Note[]): PackedPhrase {
  const keys = new Int32Array(notes.length);
  notes.forEach((note, i) => {
    const steps = Math.max(1, Math.min(note.steps, STEPS_PER_PHRASE));
    if (note.step < 0 || note.step >= STEPS_PER_PHRASE || note.pitch < 0 || note.pitch > 127) {
      throw new RangeError(`a phrase's note has step 0–${STEPS_PER_PHRASE - 1} and pitch 0–127, got step ${note.step}, pitch ${note.pitch}`);
    }
    // 2 bits track, 7 pitch, 6 step, 6 length − 1: 21 bits, all distinct notes distinct keys.
    keys[i] = (((TRACK_NAMES.indexOf(note.track) * 128 + note.pitch) * STEPS_PER_PHRASE + note.step) * STEPS_PER_PHRASE) + steps - 1;
  });
  keys.sort();
  let distinct = 0;
  for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[distinct++] = keys[i];
  return keys.slice(0, distinct);
}

/** Every phrase of every song, in order (`cutPhrases`: 8 per 32-bar song), packed. */
export function packSongs(songs: readonly Song[]): PackedPhrase[] {
  return songs.flatMap((song) => cutPhrases(song.notes, song.bars).map(packPhrase));
}

/**
 * Jaccard distance between two phrases' note sets: 1 − |a∩b| / |a∪b|; 0 when both are empty (two
 * silent phrases are the same phrase), 1 when they share no note.
 */
export function jaccardDistance(a: readonly Note[], b: readonly Note[]): number {
  return packedJaccardDistance(packPhrase(a), packPhrase(b));
}

/**
 * Mean Jaccard distance over seeded random pairs of phrases at distinct positions (two equal
 * phrases at different positions are a pair at distance 0, so a song replaying a phrase, as the A
 * A B A form does, lowers the score as it does in the data). A set whose phrases are all the same
 * scores 0; a set of fewer than 2 phrases has no pairs and scores 0.
 *
 * @param [options.pairs=2000] pairs sampled (with replacement); when n(n−1)/2 ≤ pairs every pair
 *   is used once instead, and the score is exact
 * @param [options.seed=1] seed of the sampling
 * @example
 *   diversityScore(generated) / diversityScore(data) // < 0.9: the generator repeats itself
 */
export function diversityScore(songs: readonly Song[], options: DiversityOptions = {}): number {
  return packedDiversity(packSongs(songs), options);
}

/** Number of distinct phrases among all the songs' phrases, comparing note sets exactly. */
export function distinctPhraseCount(songs: readonly Song[]): number {
  return packedDistinct(packSongs(songs));
}

/** Score, distinct count and phrase count, cutting and packing the songs once. */
export function measureDiversity(songs: readonly Song[], options: DiversityOptions = {}): DiversityMeasurement {
  const packed = packSongs(songs);
  return { score: packedDiversity(packed, options), distinct: packedDistinct(packed), count: packed.length };
}

/** `diversityScore` over phrases already packed. */
export function packedDiversity(packed: readonly PackedPhrase[], options: DiversityOptions = {}): number {
  const { pairs = 2000, seed = 1 } = options;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  const n = packed.length;
  if (n < 2) return 0;
  let total = 0;
  if ((n * (n - 1)) / 2 <= pairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) total += packedJaccardDistance(packed[i], packed[j]);
    return total / ((n * (n - 1)) / 2);
  }
  const uniform = mulberry32(seed);
  for (let k = 0; k < pairs; k++) {
    const i = Math.floor(uniform() * n);
    let j = Math.floor(uniform() * (n - 1));
    if (j >= i) j++; // skip i itself: a phrase is never paired with itself
    total += packedJaccardDistance(packed[i], packed[j]);
  }
  return total / pairs;
}

/** `distinctPhraseCount` over phrases already packed. */
export function packedDistinct(packed: readonly PackedPhrase[]): number {
  // The keys joined are an exact fingerprint, so no collision can merge two different phrases.
  return new Set(packed.map((keys) => keys.join(','))).size;
}

/** (|a∪b| − |a∩b|) / |a∪b| of two sorted distinct key sets, by one merge (one division, so 2/3 is exactly 2/3). */
function packedJaccardDistance(a: PackedPhrase, b: PackedPhrase): number {
  if (a.length === 0 && b.length === 0) return 0;
  const shared = sharedKeys(a, b);
  const union = a.length + b.length - shared;
  return (union - shared) / union;
}
