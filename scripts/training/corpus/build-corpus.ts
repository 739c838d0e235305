/**
 * The seeded built-in training corpus: phrases of every style, written by the rule-based style
 * writers (`house-style.ts`, `cafe-style.ts`, `ambient-style.ts`, whose headers document the rules)
 * and converted to piano rolls. The same seed gives the same corpus, byte for byte.
 */
import { STYLES, type PianoRoll, type Style } from '../../../server/families/symbolic/piano-roll.js';
import { notesToRoll, type Note } from '../../../server/families/symbolic/roll-notes.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { writeAmbientPhrase } from './ambient-style.js';
import { writeCafePhrase } from './cafe-style.js';
import { writeHousePhrase } from './house-style.js';
import type { Random } from './random-choice.js';

/** The phrase writer of each style. */
export const STYLE_WRITERS: Readonly<Record<Style, (random: Random) => Note[]>> = {
  house: writeHousePhrase,
  cafe: writeCafePhrase,
  ambient: writeAmbientPhrase,
};

/** One training example: a phrase and the style it is conditioned on. */
export interface CorpusPhrase {
  readonly style: Style;
  readonly roll: PianoRoll;
}

export interface BuildCorpusOptions {
  /** Seed of the one mulberry32 stream all phrases draw from. */
  readonly seed: number;
  /** Phrases written for each style. */
  readonly phrasesPerStyle: number;
  /** Styles to write, in interleaving order (default: all of `STYLES`). */
  readonly styles?: readonly Style[];
}

/**
 * Writes `phrasesPerStyle` phrases of each style, interleaved (house, cafe, ambient, house, …), so
 * any prefix of the corpus is balanced.
 * @throws RangeError when a writer produced a note the roll cannot hold (a bug in its rules).
 * @example const corpus = buildCorpus({ seed: 1, phrasesPerStyle: 500 }); // 1500 phrases
 */
export function buildCorpus({ seed, phrasesPerStyle, styles = STYLES }: BuildCorpusOptions): CorpusPhrase[] {
  const random = mulberry32(seed);
  const corpus: CorpusPhrase[] = [];
  for (let i = 0; i < phrasesPerStyle; i++) {
    for (const style of styles) {
      const { roll, skipped } = notesToRoll(STYLE_WRITERS[style](random));
      if (skipped > 0) throw new RangeError(`${style} phrase ${i} has ${skipped} notes outside the piano roll`);
      corpus.push({ style, roll });
    }
  }
  return corpus;
}
