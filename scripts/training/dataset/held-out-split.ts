/**
 * The held-out split: which clips the trainer never sees, so the evaluator can compare generated
 * clips with real ones the model did not learn from. Deterministic for a seed.
 *
 * Clips cut from one file overlap or sound alike, so a clip held out beside its neighbour in the
 * training set would make memorisation look like generalisation. The split therefore takes whole
 * sources (a file; a built-in hit is its own source) in a seeded order until it has the fraction
 * asked for. Where the sources are too few or too long for that (one long recording: taking it
 * would hold out everything), it falls back to single clips and says so (`by: 'clip'`).
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';

export interface HeldOutSplit {
  /** Held-out clip numbers, ascending. */
  heldOut: number[];
  /** Whole sources were held out, or single clips (see the file header). */
  by: 'source' | 'clip';
}

/**
 * A split by source whose size falls below this fraction of the target is given up for a split
 * by clip: with a 10 % target and sources of 8 % each, one source (8 %) is kept as is; with one
 * source of 90 %, none fits and single clips are taken instead.
 */
const SOURCE_SPLIT_MIN_FILL = 0.5;

/**
 * Chooses the held-out clips.
 *
 * @param sourceOfClip - for each clip, the number of the source it came from
 * @param fraction - share of the clips to hold out, 0 to 1 (rounded to whole clips; at least one
 *   clip stays for training)
 * @param seed - the same seed and sources give the same split
 * @example chooseHeldOut([0, 0, 1, 1, 2, 2], 0.34, 1) // → { heldOut: [4, 5], by: 'source' }: source 2's clips
 */
export function chooseHeldOut(sourceOfClip: ArrayLike<number>, fraction: number, seed: number): HeldOutSplit {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`the held-out fraction must be 0 to 1, got ${fraction}`);
  const count = sourceOfClip.length;
  const target = Math.min(Math.round(fraction * count), Math.max(0, count - 1));
  if (target === 0) return { heldOut: [], by: 'source' };
  const members = new Map<number, number[]>();
  for (let clip = 0; clip < count; clip++) {
    const source = sourceOfClip[clip];
    let list = members.get(source);
    if (!list) members.set(source, (list = []));
    list.push(clip);
  }
  const random = mulberry32(seed);
  const taken: number[] = [];
  for (const source of shuffled([...members.keys()].sort((a, b) => a - b), random)) {
    const clips = members.get(source)!;
    if (taken.length + clips.length <= target) taken.push(...clips);
    if (taken.length === target) break;
  }
  if (taken.length >= SOURCE_SPLIT_MIN_FILL * target) return { heldOut: taken.sort((a, b) => a - b), by: 'source' };
  const byClip = shuffled(Array.from({ length: count }, (_, i) => i), mulberry32(seed)).slice(0, target);
  return { heldOut: byClip.sort((a, b) => a - b), by: 'clip' };
}

/** A seeded Fisher–Yates shuffle of `items` (in place; returned for chaining). */
function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
