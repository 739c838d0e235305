/**
 * Songs → the examples the symbolic model trains on: each song is cut into its 4-bar phrases
 * (ties over phrase boundaries kept, note-sequence.ts), each phrase written as a piano roll and
 * stored sparse, with its style, its role in the song (section-plan.ts) and which example came
 * just before it (the phrase the model is conditioned on: the song's previous phrase, or for a
 * song's first phrase the last phrase of the song before it in the same style).
 */
import { PHRASE_VALUES, type Style } from '../../server/families/symbolic/piano-roll.js';
import { cutPhrases, type Song } from '../../server/families/symbolic/note-sequence.js';
import { notesToRoll } from '../../server/families/symbolic/roll-notes.js';
import { PHRASES_PER_SONG } from '../../server/families/symbolic/section-plan.js';

/** A phrase's non-zero cells and their values (a dense phrase is 20,160 values, nearly all 0). */
export interface SparsePhrase {
  readonly cells: Uint32Array;
  readonly values: Float32Array;
}

export interface TrainingExample {
  readonly style: Style;
  /** The phrase's place in its song, 0–7. */
  readonly role: number;
  readonly phrase: SparsePhrase;
  /** Index of the example the phrase follows; undefined for the very first of its style. */
  readonly previous: number | undefined;
}

export function sparsePhrase(roll: Float32Array): SparsePhrase {
  let count = 0;
  for (let i = 0; i < PHRASE_VALUES; i++) if (roll[i] !== 0) count++;
  const cells = new Uint32Array(count);
  const values = new Float32Array(count);
  for (let i = 0, k = 0; i < PHRASE_VALUES; i++) {
    if (roll[i] !== 0) {
      cells[k] = i;
      values[k++] = roll[i];
    }
  }
  return { cells, values };
}

/**
 * The examples of `songs`, in song order. A song longer than a song form (an imported tune) has
 * roles that go round again (role = phrase index mod 8).
 * @throws RangeError naming the song when one of its notes cannot be written in the roll
 */
export function songsToExamples(songs: readonly Song[]): TrainingExample[] {
  const examples: TrainingExample[] = [];
  const lastOfStyle = new Map<Style, number>();
  songs.forEach((song, s) => {
    cutPhrases(song.notes, song.bars).forEach((notes, k) => {
      const { roll, skipped } = notesToRoll(notes);
      if (skipped > 0) throw new RangeError(`song ${s} (${song.style}), phrase ${k}: ${skipped} notes outside the piano roll`);
      examples.push({ style: song.style, role: k % PHRASES_PER_SONG, phrase: sparsePhrase(roll), previous: lastOfStyle.get(song.style) });
      lastOfStyle.set(song.style, examples.length - 1);
    });
  });
  return examples;
}
