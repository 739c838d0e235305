/**
 * Songs from a symbolic checkpoint on disk, written through the same Generator the server runs
 * (createGenerator, tfjs) and the same sequencing and decoding the stream uses; and the data it
 * was trained on, rebuilt from its manifest. The quality report of a committed model, and the test
 * that recomputes it, start here.
 */
import type { Song } from '../../server/families/symbolic/note-sequence.js';
import type { Style } from '../../server/families/symbolic/piano-roll.js';
import { asSymbolicManifest, symbolicDecoding, symbolicLayout, type SymbolicManifest } from '../../server/families/symbolic/symbolic-manifest.js';
import { inspectCheckpoint } from '../../server/inference/checkpoint.js';
import { createGenerator } from '../../server/inference/create-generator.js';
import { buildCorpus } from './corpus/build-corpus.js';
import { decodeSongs, sampleSongPhrases, songStyles } from './sample-songs.js';

/** How the built-in corpus of a run is described in its manifest's `training.corpus`. */
export interface BuiltInCorpus {
  source: 'built-in';
  seed: number;
  songsPerStyle: number;
}

/** `songsPerStyle` songs of each of the checkpoint's styles (or of `styles` only), sampled from `seed`. */
export async function checkpointSongs(dir: string, options: { songsPerStyle: number; seed: number; styles?: readonly Style[] }): Promise<{ manifest: SymbolicManifest; songs: Song[] }> {
  const { manifest: found } = await inspectCheckpoint(dir);
  const manifest = asSymbolicManifest(found);
  const generator = createGenerator({ dir, engine: 'tfjs' });
  await generator.initialize();
  try {
    const styles = songStyles(options.styles ?? manifest.styles, options.songsPerStyle);
    const forward = async (inputs: Float32Array, count: number) => {
      const width = inputs.length / count;
      const rows = Array.from({ length: count }, (_, i) => inputs.subarray(i * width, (i + 1) * width));
      const outputs = await generator.generate(rows);
      const joined = new Float32Array(outputs.length * outputs[0].length);
      outputs.forEach((row, i) => joined.set(row, i * row.length));
      return joined;
    };
    const phrases = await sampleSongPhrases(forward, symbolicLayout(manifest), styles, options.seed);
    return { manifest, songs: decodeSongs(phrases, styles, symbolicDecoding(manifest)) };
  } finally {
    await generator.dispose();
  }
}

/** The built-in corpus a checkpoint was trained on, as its manifest records it; undefined for an imported dataset. */
export function trainingCorpus(manifest: SymbolicManifest): Song[] | undefined {
  const corpus = manifest.training?.corpus as Partial<BuiltInCorpus> | undefined;
  if (corpus?.source !== 'built-in' || !corpus.seed || !corpus.songsPerStyle) return undefined;
  return buildCorpus({ seed: corpus.seed, songsPerStyle: corpus.songsPerStyle, styles: manifest.styles });
}
