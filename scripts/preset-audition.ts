/**
 * Plays the committed symbolic model through an instrument preset offline, on this thread, the
 * way a channel would (PhrasePlayer + NoteSynth), for the benchmark (render speed per preset) and
 * for calibrating the presets' levels (scripts/calibrate-presets.ts).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { cutPhrases } from '../server/families/symbolic/note-sequence.js';
import { PhrasePlayer } from '../server/families/symbolic/phrase-player.js';
import type { Style } from '../server/families/symbolic/piano-roll.js';
import type { Note } from '../server/families/symbolic/roll-notes.js';
import { resolveSound, type InstrumentPresetName } from '../server/families/symbolic/sound/instrument-presets.js';
import { NoteSynth } from '../server/families/symbolic/sound/note-synth.js';
import { checkpointSongs } from './training/checkpoint-songs.js';

/** The committed symbolic model (the default config's channels play it). */
export const COMMITTED_SYMBOLIC_MODEL = path.join(PROJECT_ROOT, 'models', 'symbolic-songs');

/** The style each preset is made for (what the default config and the tests pair it with). */
export const PRESET_STYLE: Readonly<Record<InstrumentPresetName, Style>> = {
  piano: 'cafe',
  'cafe-piano': 'cafe',
  'rhodes-trio': 'cafe',
  'vibes-lounge': 'cafe',
  'strings-ambient': 'ambient',
  'nylon-bossa': 'cafe',
  band: 'house',
  electronic: 'house',
};

/** The committed model's first `count` phrases of a song in `style`, decoded as a channel decodes them, seeded. */
export async function modelPhrases(style: Style, count: number, seed: number): Promise<Note[][]> {
  const { songs } = await checkpointSongs(COMMITTED_SYMBOLIC_MODEL, { songsPerStyle: Math.ceil(count / 8), seed, styles: [style] });
  return songs.flatMap((song) => cutPhrases(song.notes, song.bars)).slice(0, count);
}

export interface Audition {
  /** Interleaved stereo at 44.1 kHz. */
  pcm: Float32Array;
  /** Seconds of audio per second of rendering (bank loading excluded). */
  realTimeFactor: number;
}

/** Renders `phrases` (notes, ties and all) on `preset` at `bpm`, as one channel plays them one after the other. */
export async function audition(preset: InstrumentPresetName, phrases: readonly (readonly Note[])[], bpm: number): Promise<Audition> {
  const sampleRate = 44100;
  const synth = await NoteSynth.create({ sampleRate, channels: 2, sound: resolveSound(preset) });
  const player = new PhrasePlayer({ sampleRate, bpm, synth, historyBars: 1 });
  const bars: Float32Array[] = [];
  const started = performance.now();
  for (const phrase of phrases) for await (const bar of player.play(phrase, { key: 0, section: 'A' })) bars.push(bar);
  const seconds = (performance.now() - started) / 1000;
  synth.dispose();
  const pcm = new Float32Array(bars.reduce((n, bar) => n + bar.length, 0));
  let at = 0;
  for (const bar of bars) {
    pcm.set(bar, at);
    at += bar.length;
  }
  return { pcm, realTimeFactor: pcm.length / 2 / sampleRate / seconds };
}
