/**
 * Songs from a symbolic model, written the way a channel writes them: each song walks the section
 * plan with a SongSequencer (the same one the stream uses: roles, the previous phrase's code,
 * replayed sections), many songs side by side in one batched model call per phrase, and is decoded
 * with the decoding the stream uses. Notes stay in the model's key (C): the report measures the
 * music before the renderer transposes it.
 */
import { mulberry32, fillGaussian } from '../../server/core/seeded-random.js';
import type { ModelLayout } from '../../server/families/symbolic/model-input.js';
import { joinPhrases, type Song } from '../../server/families/symbolic/note-sequence.js';
import { decodeFollowing, type DecodedPhrase, type Decoding } from '../../server/families/symbolic/phrase-decoder.js';
import type { Style, TrackName } from '../../server/families/symbolic/piano-roll.js';
import { BARS_PER_SONG, PHRASES_PER_SONG } from '../../server/families/symbolic/section-plan.js';
import { SongSequencer, type SequencedPhrase } from '../../server/families/symbolic/song-sequencer.js';

/** The style of each song of a sample: `perStyle` songs of each style, style after style. */
export function songStyles(styles: readonly Style[], perStyle: number): Style[] {
  return styles.flatMap((style) => Array<Style>(perStyle).fill(style));
}

/** Runs the model: `count` input rows → `count` output rows. */
export type BatchForward = (inputs: Float32Array, count: number) => Float32Array | Promise<Float32Array>;

/**
 * The phrases of one song per entry of `styles`, before decoding (decoding is cheap and the trainer
 * tries several). Each song starts a fresh sequencer, so songs are independent samples.
 */
export async function sampleSongPhrases(forward: BatchForward, layout: ModelLayout, styles: readonly Style[], seed: number): Promise<SequencedPhrase[][]> {
  const random = mulberry32(seed);
  const sequencers = styles.map((style) => new SongSequencer(layout, style));
  const songs: SequencedPhrase[][] = styles.map(() => []);
  const z = new Float32Array(layout.latentDim);
  for (let k = 0; k < PHRASES_PER_SONG; k++) {
    const rows = sequencers.map((sequencer) => {
      fillGaussian(z, random);
      return sequencer.input(z);
    });
    const width = rows[0].length;
    const inputs = new Float32Array(rows.length * width);
    rows.forEach((row, i) => inputs.set(row, i * width));
    const outputs = await forward(inputs, rows.length);
    const outputWidth = outputs.length / rows.length;
    sequencers.forEach((sequencer, i) => songs[i].push(sequencer.accept(outputs.subarray(i * outputWidth, (i + 1) * outputWidth))));
  }
  return songs;
}

/** Decodes sampled phrases into songs (ties glued within a song); `tracks` limits it to some tracks. */
export function decodeSongs(phrases: readonly (readonly SequencedPhrase[])[], styles: readonly Style[], decoding: Decoding, tracks?: readonly TrackName[]): Song[] {
  return phrases.map((song, i) => {
    let previous: DecodedPhrase | undefined;
    const decoded = song.map(({ phrase, plan }) => (previous = decodeFollowing(phrase, plan.key, previous, decoding, { tracks })).notes);
    return { style: styles[i], bars: BARS_PER_SONG, notes: joinPhrases(decoded) };
  });
}
