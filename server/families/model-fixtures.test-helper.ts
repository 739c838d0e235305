/**
 * Models for tests that need one without files: a ModelInfo of each family, made the way a
 * loaded checkpoint's is (its manifest, validated, through the family's modelInfo).
 */
import type { ModelInfo } from './model.js';
import { symbolicFamily } from './symbolic/symbolic-family.js';
import { symbolicManifestSchema, type SymbolicManifestInput } from './symbolic/symbolic-manifest.js';
import { waveformFamily } from './waveform/waveform-family.js';
import { waveformManifestSchema, type WaveformManifestInput } from './waveform/waveform-manifest.js';
import { CLIP_SAMPLES, SAMPLE_RATE } from './waveform/wavegan-architecture.js';
import { ROWS, STEPS_PER_PHRASE } from './symbolic/piano-roll.js';

const common = { instrument: 'sine', latentDim: 100, trained: true, trainingSteps: 0, created: '2025-01-01T00:00:00.000Z' };

/** A waveform model (16 kHz, 16384-sample clips); `overrides` replace manifest fields. */
export function waveformModel(id = 'test-model', overrides: Partial<WaveformManifestInput> = {}): ModelInfo {
  const manifest = waveformManifestSchema.parse({ ...common, id, family: waveformFamily.name, sampleRate: SAMPLE_RATE, clipSamples: CLIP_SAMPLES, d: 4, ...overrides });
  return waveformFamily.modelInfo(manifest);
}

/** A symbolic model conditioned on house, cafe and ambient; `overrides` replace manifest fields. */
export function symbolicModel(id = 'sym', overrides: Partial<SymbolicManifestInput> = {}): ModelInfo {
  const manifest = symbolicManifestSchema.parse({
    ...common,
    id,
    family: symbolicFamily.name,
    instrument: 'x',
    latentDim: 8,
    steps: STEPS_PER_PHRASE,
    rows: ROWS,
    styles: ['house', 'cafe', 'ambient'],
    ...overrides,
  });
  return symbolicFamily.modelInfo(manifest);
}
