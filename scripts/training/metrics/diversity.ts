/**
 * How varied a set of phrases is: the mean Jaccard distance between random pairs (mode collapse
 * drives it towards 0) and the number of exact duplicates. Phrases are packed into bitsets once
 * (a cell is on at ≥ 0.5, as in `rollToNotes`), so thousands of pairs cost milliseconds.
 */
import { PHRASE_VALUES, assertPhrase, type PianoRoll } from '../../../server/families/symbolic/piano-roll.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';

export interface DiversityOptions {
  /** Pairs to sample; when the set has no more distinct pairs than this, all are used exactly. */
  pairs?: number;
  /** Seed of the pair sampling, so a report is reproducible. */
  seed?: number;
}

const WORDS = Math.ceil(PHRASE_VALUES / 32);

/**
 * Jaccard distance between the active cells of two phrases: |a xor b| / |a or b|, 0 when both are
 * empty (two silent phrases are the same phrase), 1 when they share no active cell.
 */
export function jaccardDistance(a: PianoRoll, b: PianoRoll): number {
  return packedJaccardDistance(packPhrase(a), packPhrase(b));
}

/**
 * Mean Jaccard distance over seeded random pairs of distinct phrases (distinct positions in the
 * set; two equal phrases at different positions are a pair at distance 0). A set whose phrases
 * are all the same scores 0; sets of fewer than 2 phrases have no pairs and score 0.
 *
 * @param [options.pairs=2000] pairs sampled (with replacement); when n(n-1)/2 ≤ pairs every pair
 *   is used once instead, and the score is exact
 * @param [options.seed=1] seed of the sampling
 * @example
 *   diversityScore(generated) / diversityScore(data) // < 0.7: the generator repeats itself
 */
export function diversityScore(phrases: readonly PianoRoll[], options: DiversityOptions = {}): number {
  const { pairs = 2000, seed = 1 } = options;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  const n = phrases.length;
  if (n < 2) return 0;
  const packed = phrases.map(packPhrase);
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

/**
 * Number of distinct phrases in the set, comparing active cells exactly (hash buckets, then an
 * exact comparison within a bucket, so a hash collision never merges two different phrases).
 */
export function distinctPhraseCount(phrases: readonly PianoRoll[]): number {
  const buckets = new Map<number, Uint32Array[]>();
  let distinct = 0;
  for (const phrase of phrases) {
    const bits = packPhrase(phrase);
    const hash = fnv1a(bits);
    const bucket = buckets.get(hash);
    if (bucket === undefined) {
      buckets.set(hash, [bits]);
      distinct++;
    } else if (!bucket.some((other) => equalBits(other, bits))) {
      bucket.push(bits);
      distinct++;
    }
  }
  return distinct;
}

/** The active cells of a phrase as a bitset, 32 cells a word. */
function packPhrase(phrase: PianoRoll): Uint32Array {
  assertPhrase(phrase);
  const bits = new Uint32Array(WORDS);
  for (let i = 0; i < PHRASE_VALUES; i++) if (phrase[i] >= 0.5) bits[i >>> 5] |= 1 << (i & 31);
  return bits;
}

function packedJaccardDistance(a: Uint32Array, b: Uint32Array): number {
  let union = 0;
  let difference = 0;
  for (let w = 0; w < WORDS; w++) {
    union += popcount(a[w] | b[w]);
    difference += popcount(a[w] ^ b[w]);
  }
  return union === 0 ? 0 : difference / union;
}

/** Set bits of a 32-bit word (SWAR). */
function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** FNV-1a-style 32-bit hash, a word at a time rather than a byte (only bucketing depends on it). */
function fnv1a(bits: Uint32Array): number {
  let hash = 0x811c9dc5;
  for (const word of bits) {
    hash = Math.imul(hash ^ word, 0x01000193) >>> 0;
  }
  return hash;
}

function equalBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < WORDS; w++) if (a[w] !== b[w]) return false;
  return true;
}
