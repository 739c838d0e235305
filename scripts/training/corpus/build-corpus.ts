/**
 * The seeded built-in training corpus: 32-bar songs (A A B A, `song-form.ts`) of every style,
 * written by the rule-based style writers (`house-style.ts`, `cafe-style.ts`, `ambient-style.ts`,
 * whose headers document the rules). Songs are notes; the trainer cuts them into phrases
 * (`server/families/symbolic/note-sequence.ts` cutPhrases). The same seed gives the same corpus.
 */
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { STYLES, track, type Style } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { writeAmbientSong } from './ambient-style.js';
import { writeCafeSong } from './cafe-style.js';
import { writeHouseSong } from './house-style.js';
import type { Random } from './random-choice.js';

/** Writes one song of a style from a random stream. */
export type StyleWriter = (random: Random) => Song;

/** The song writer of each style. */
export const STYLE_WRITERS: Readonly<Record<Style, StyleWriter>> = {
  house: writeHouseSong,
  cafe: writeCafeSong,
  ambient: writeAmbientSong,
};

export interface BuildCorpusOptions {
  /** Seed of the one mulberry32 stream all songs draw from. */
  readonly seed: number;
  /** Songs written for each style. */
  readonly songsPerStyle: number;
  /** Styles to write, in interleaving order (default: all of `STYLES`). */
  readonly styles?: readonly Style[];
  /** Writers to use instead of `STYLE_WRITERS` for some styles (tests, experiments). */
  readonly writers?: Partial<Readonly<Record<Style, StyleWriter>>>;
}

/**
 * What is wrong with `song` for the model's roll, or undefined when nothing is: a note on a pitch
 * its track cannot play, starting outside the song, of no length, or with a velocity outside 1–127.
 */
export function songProblem(song: Song): string | undefined {
  const songSteps = song.bars * 16;
  for (const note of song.notes) {
    const at = `${note.track} note ${note.pitch} at step ${note.step}`;
    if (!track(note.track).pitches.includes(note.pitch)) return `${at} is outside the ${note.track} range`;
    if (!Number.isInteger(note.step) || note.step < 0 || note.step >= songSteps) return `${at} starts outside the song's ${songSteps} steps`;
    if (!Number.isInteger(note.steps) || note.steps < 1) return `${at} lasts ${note.steps} steps`;
    if (!Number.isInteger(note.velocity) || note.velocity < 1 || note.velocity > 127) return `${at} has velocity ${note.velocity}`;
  }
  return undefined;
}

/**
 * Writes `songsPerStyle` songs of each style, interleaved (house, cafe, ambient, house, …), so
 * any prefix of the corpus is balanced, all from one mulberry32(seed) stream.
 * @throws RangeError naming the style and song when a writer produced a note the roll cannot hold
 *   (a bug in its rules).
 * @example const songs = buildCorpus({ seed: 1, songsPerStyle: 200 }); // 600 songs, 4800 phrases
 */
export function buildCorpus({ seed, songsPerStyle, styles = STYLES, writers = {} }: BuildCorpusOptions): Song[] {
  const random = mulberry32(seed);
  const corpus: Song[] = [];
  for (let i = 0; i < songsPerStyle; i++) {
    for (const style of styles) {
      const song = (writers[style] ?? STYLE_WRITERS[style])(random);
      const problem = song.style === style ? songProblem(song) : `written as ${song.style}`;
      if (problem) throw new RangeError(`${style} song ${i}: ${problem}`);
      corpus.push(song);
    }
  }
  return corpus;
}
