/**
 * Seeded choices for the corpus writers: every variation in a song (progression, motif, voicing,
 * rhythm variant, fill, humanised velocity) is drawn through these from one `() => number` in
 * [0, 1), so a corpus is reproducible from its seed (see `server/core/seeded-random.ts`).
 */

/** A uniform random source in [0, 1), e.g. `mulberry32(seed)`. */
export type Random = () => number;

/** One of `items`, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick needs at least one item');
  return items[Math.floor(random() * items.length)];
}

/**
 * One of `items`, each as likely as its weight.
 * @example weightedPick(random, [['walk', 3], ['two-feel', 1]]) // 'walk' three times in four
 */
export function weightedPick<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw new RangeError('weightedPick needs a positive total weight');
  let left = random() * total;
  for (const [item, weight] of items) {
    left -= weight;
    if (left < 0) return item;
  }
  return items[items.length - 1][0];
}

/** One of `items` that is not `not` (by `===`); `not` itself only when nothing else is there. */
export function pickOther<T>(random: Random, items: readonly T[], not: T): T {
  const others = items.filter((item) => item !== not);
  return pick(random, others.length > 0 ? others : items);
}

/** True with probability `probability`. */
export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** An integer in [low, high], inclusive, uniformly. */
export function integerBetween(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}
