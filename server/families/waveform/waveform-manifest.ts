/**
 * A waveform checkpoint's manifest.json: the common fields plus the WaveGAN's clip format and
 * width `d`, e.g. `{ "family": "waveform", "sampleRate": 16000, "clipSamples": 16384, "d": 32, … }`.
 * The paper's 16384 samples at 16 kHz are one choice: any sample rate in hertz, and clips of
 * 16·4^L samples (1024, 4096, 16384, 65536; L upconvs, see wavegan-architecture.ts).
 */
import { z } from 'zod';
import { COMMON_MANIFEST_FIELDS, narrowManifest, type ModelManifest } from '../model.js';
import { CLIP_SAMPLES_CHOICES, DEFAULT_MODEL_DIM } from './wavegan-architecture.js';

/** The family's name in manifest.json. */
export const WAVEFORM = 'waveform';

export const waveformManifestSchema = z.object({
  ...COMMON_MANIFEST_FIELDS,
  family: z.literal(WAVEFORM),
  /** Sample rate of the clips in hertz (the paper's: 16000). */
  sampleRate: z.number().int().positive(),
  /** Samples per clip, 16·4^L for L upconvs (the paper's: 16384). */
  clipSamples: z
    .number()
    .int()
    .refine((n) => CLIP_SAMPLES_CHOICES.includes(n), {
      error: (issue) => `must be 16·4^L: ${CLIP_SAMPLES_CHOICES.join(', ')}, got ${String(issue.input)}`,
    }),
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
