/**
 * Models for tests that need one without files: a ModelInfo of each family, made the way a
 * loaded checkpoint's is (its manifest, validated, through the family's modelInfo); and seeded
 * latents with a relative-error measure, so each test states only what it expects.
 */
import type { ModelInfo } from './model.js';
import { symbolicFamily } from './symbolic/symbolic-family.js';
import { symbolicManifestSchema, type SymbolicManifestInput } from './symbolic/symbolic-manifest.js';
import { waveformFamily } from './waveform/waveform-family.js';
import { waveformManifestSchema, type WaveformManifest, type WaveformManifestInput } from './waveform/waveform-manifest.js';
import { CLIP_SAMPLES, SAMPLE_RATE } from './waveform/wavegan-architecture.js';
import { EXACT_DECODING } from './symbolic/phrase-decoder.js';
import { PLANES, ROWS, STEPS_PER_PHRASE } from './symbolic/piano-roll.js';
import { notesToRoll, type Note } from './symbolic/roll-notes.js';

const common = { instrument: 'sine', latentDim: 100, trained: true, trainingSteps: 0, created: '2025-01-01T00:00:00.000Z' };

/** A validated waveform manifest (16 kHz, 16384-sample clips, d=4); `overrides` replace fields. */
export function waveformManifest(id = 'test-model', overrides: Partial<WaveformManifestInput> = {}): WaveformManifest {
  return waveformManifestSchema.parse({ ...common, id, family: waveformFamily.name, sampleRate: SAMPLE_RATE, clipSamples: CLIP_SAMPLES, d: 4, ...overrides });
}

/** A waveform model (16 kHz, 16384-sample clips); `overrides` replace manifest fields. */
export function waveformModel(id = 'test-model', overrides: Partial<WaveformManifestInput> = {}): ModelInfo {
  return waveformFamily.modelInfo(waveformManifest(id, overrides));
}

/**
 * A symbolic model conditioned on house, cafe and ambient (latentDim 8, codeDim 4, decoding at
 * 0.5); `overrides` replace manifest fields.
 */
export function symbolicModel(id = 'sym', overrides: Partial<SymbolicManifestInput> = {}): ModelInfo {
  const manifest = symbolicManifestSchema.parse({
    ...common,
    id,
    family: symbolicFamily.name,
    instrument: 'x',
    latentDim: 8,
    steps: STEPS_PER_PHRASE,
    rows: ROWS,
    planes: PLANES.length,
    codeDim: 4,
    styles: ['house', 'cafe', 'ambient'],
    decoding: EXACT_DECODING,
    ...overrides,
  });
  return symbolicFamily.modelInfo(manifest);
}

/** What a symbolic model would output for a phrase of these notes: their roll, then a code of `code`s. */
export function symbolicOutput(model: ModelInfo, notes: readonly Note[], code = 0): Float32Array {
  const { roll } = notesToRoll(notes);
  const output = new Float32Array(model.outputSize).fill(code);
  output.set(roll);
  return output;
}

/** `count` latents of `latentDim` values, uniform in [-1, 1] (as the paper samples z), seeded. */
export function seededLatents(count: number, latentDim: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: latentDim }, next));
}

/** ‖a − b‖ / ‖b‖ over all clips. */
export function relativeL2(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let difference = 0;
  let reference = 0;
  a.forEach((clip, c) => {
    for (let i = 0; i < clip.length; i++) {
      difference += (clip[i] - b[c][i]) ** 2;
      reference += b[c][i] ** 2;
    }
  });
  return Math.sqrt(difference / reference);
}
