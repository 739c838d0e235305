/**
 * A waveform checkpoint's manifest.json: the common fields plus the WaveGAN's clip format and
 * width `d`, e.g. `{ "family": "waveform", "sampleRate": 16000, "clipSamples": 16384, "d": 32, … }`.
 */
import { z } from 'zod';
import { COMMON_MANIFEST_FIELDS, narrowManifest, type ModelManifest } from '../model.js';
import { CLIP_SAMPLES, DEFAULT_MODEL_DIM, SAMPLE_RATE } from './wavegan-architecture.js';

/** The family's name in manifest.json. */
export const WAVEFORM = 'waveform';

export const waveformManifestSchema = z.object({
  ...COMMON_MANIFEST_FIELDS,
  family: z.literal(WAVEFORM),
  sampleRate: z.literal(SAMPLE_RATE),
  clipSamples: z.literal(CLIP_SAMPLES),
  /** Model width multiplier. */
  d: z.number().int().positive().default(DEFAULT_MODEL_DIM),
  /** How the weights were initialised (provenance; required reading for an untrained model). */
  init: z.strictObject({ scheme: z.literal('glorot-uniform'), gain: z.number().positive(), seed: z.number().int() }).optional(),
});

export type WaveformManifest = z.output<typeof waveformManifestSchema>;
/** As written by hand or by a trainer (`d` may be left out). */
export type WaveformManifestInput = z.input<typeof waveformManifestSchema>;

/** `manifest` as the waveform manifest it is (validated on load); throws for another family's. */
export function asWaveformManifest(manifest: ModelManifest): WaveformManifest {
  return narrowManifest<WaveformManifest>(manifest, WAVEFORM);
}
