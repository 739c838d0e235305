/**
 * Shared by the engine tests: seeded checkpoints in temporary folders, seeded latents and a
 * relative-error measure, so each test states only what it expects.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckpointManifest } from './checkpoint-manifest.js';
import { asWaveformManifest, WAVEFORM, type WaveformManifest, type WaveformManifestInput } from '../families/waveform/waveform-manifest.js';
import { saveCheckpoint } from './checkpoint-save.js';
import { CLIP_SAMPLES, initWaveGanWeights, SAMPLE_RATE } from '../families/waveform/wavegan-architecture.js';

/** A valid manifest for checkpoint `id`; `overrides` replace fields. */
export function manifestFor(id: string, overrides: Partial<WaveformManifestInput> = {}): WaveformManifestInput {
  return {
    id,
    family: WAVEFORM,
    instrument: 'untrained',
    sampleRate: SAMPLE_RATE,
    clipSamples: CLIP_SAMPLES,
    latentDim: 100,
    d: 4,
    trained: false,
    trainingSteps: 0,
    created: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Narrows a manifest to the waveform family (throws otherwise). */
export function asWaveform(manifest: CheckpointManifest): WaveformManifest {
  return asWaveformManifest(manifest);
}

/** A temporary models folder; `remove()` deletes it and everything in it. */
export async function temporaryModelsDir(): Promise<{ modelsDir: string; remove: () => Promise<void> }> {
  const modelsDir = await mkdtemp(path.join(tmpdir(), 'wavecast-models-'));
  return { modelsDir, remove: () => rm(modelsDir, { recursive: true, force: true }) };
}

/** Writes a seeded checkpoint `<modelsDir>/<id>` and returns its folder. */
export async function writeSeededCheckpoint(
  modelsDir: string,
  id: string,
  { d = 4, latentDim = 100, seed = 1 }: { d?: number; latentDim?: number; seed?: number } = {},
): Promise<string> {
  const dir = path.join(modelsDir, id);
  await saveCheckpoint(dir, manifestFor(id, { d, latentDim }), initWaveGanWeights({ d, latentDim, seed }));
  return dir;
}
