/**
 * Plays the committed symbolic model through an instrument preset offline, on this thread, the
 * way a channel would (PhrasePlayer + NoteSynth), for the benchmark (render speed per preset) and
 * for calibrating the presets' levels (scripts/calibrate-presets.ts).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { fillGaussian, mulberry32 } from '../server/core/seeded-random.js';
import { PhrasePlayer } from '../server/families/symbolic/phrase-player.js';
import { conditionedInput, type Style } from '../server/families/symbolic/piano-roll.js';
import { resolveSound, type InstrumentPresetName } from '../server/families/symbolic/sound/instrument-presets.js';
import { NoteSynth } from '../server/families/symbolic/sound/note-synth.js';
import { createGenerator } from '../server/inference/create-generator.js';

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

/** The committed model's phrases (probabilities) in `style`, seeded. */
export async function modelPhrases(style: Style, count: number, seed: number): Promise<Float32Array[]> {
  const generator = createGenerator({ dir: path.join(PROJECT_ROOT, 'models', 'symbolic-corpus'), engine: 'tfjs' });
  await generator.initialize();
  const random = mulberry32(seed);
  const inputs = Array.from({ length: count }, () => conditionedInput(fillGaussian(new Float32Array(generator.info.latentDim), random), style));
  const phrases = await generator.generate(inputs);
  await generator.dispose();
  return phrases;
}

export interface Audition {
  /** Interleaved stereo at 44.1 kHz. */
  pcm: Float32Array;
  /** Seconds of audio per second of rendering (bank loading excluded). */
  realTimeFactor: number;
}

/** Renders `phrases` on `preset` at `bpm`, as one channel plays them one after the other. */
export async function audition(preset: InstrumentPresetName, phrases: readonly Float32Array[], bpm: number): Promise<Audition> {
  const sampleRate = 44100;
  const synth = await NoteSynth.create({ sampleRate, channels: 2, sound: resolveSound(preset) });
  const player = new PhrasePlayer({ sampleRate, bpm, threshold: 0.5, synth, historyBars: 1 });
  const bars: Float32Array[] = [];
  const started = performance.now();
  for (const phrase of phrases) for await (const bar of player.play(phrase)) bars.push(bar);
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
