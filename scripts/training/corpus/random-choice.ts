/**
 * Seeded choices for the corpus writers: every variation in a phrase (progression, voicing, rhythm
 * variant, fill) is drawn through these from one `() => number` in [0, 1), so a corpus is
 * reproducible from its seed (see `../../seeded-random.ts`).
 */

/** A uniform random source in [0, 1), e.g. `mulberry32(seed)`. */
export type Random = () => number;

/** One of `items`, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick needs at least one item');
  return items[Math.floor(random() * items.length)];
}

/** True with probability `probability`. */
export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** An integer in [low, high], inclusive, uniformly. */
export function integerBetween(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}
