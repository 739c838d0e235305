/**
 * A symbolic checkpoint's manifest.json: the common fields plus the piano-roll grid it writes,
 * the styles it was trained on, its code and layer sizes and its decoding thresholds, e.g.
 * `{ "family": "symbolic", "steps": 64, "rows": 105, "planes": 3, "styles": ["cafe"],
 *    "codeDim": 128, "decoding": { "bass": { "onset": 0.45, "hold": 0.3, "monophonic": true, "legato": true }, … } }`.
 */
import { z } from 'zod';
import { COMMON_MANIFEST_FIELDS, narrowManifest, type ModelManifest } from '../model.js';
import type { ModelLayout } from './model-input.js';
import type { Decoding } from './phrase-decoder.js';
import { PLANES, ROWS, STEPS_PER_PHRASE, STYLES, TRACK_NAMES } from './piano-roll.js';
import { DEFAULT_SYMBOLIC_DIMS, type SymbolicDims } from './symbolic-architecture.js';

/** The family's name in manifest.json. */
export const SYMBOLIC = 'symbolic';

const layerWidth = z.number().int().positive();
const probability = z.number().gt(0).lt(1);
const trackDecoding = z.strictObject({ onset: probability, hold: probability, monophonic: z.boolean(), legato: z.boolean(), minBarHits: z.number().int().min(0).max(64).optional() });

export const symbolicManifestSchema = z.object({
  ...COMMON_MANIFEST_FIELDS,
  family: z.literal(SYMBOLIC),
  /** The representation (piano-roll.ts); a different grid is a different model. */
  steps: z.literal(STEPS_PER_PHRASE),
  rows: z.literal(ROWS),
  planes: z.literal(PLANES.length),
  /** The styles it was trained on, in one-hot order: the only ones a channel may ask of it. */
  styles: z.array(z.enum(STYLES)).min(1).refine((styles) => new Set(styles).size === styles.length, 'styles are listed once each'),
  /** Length of a phrase's code (the previous-phrase input and the decoder's input). */
  codeDim: layerWidth.default(DEFAULT_SYMBOLIC_DIMS.codeDim),
  /** Layer widths (symbolic-architecture.ts). */
  layers: z
    .strictObject({ mapHidden: layerWidth, phraseHidden: layerWidth, barLatent: layerWidth, barHidden: layerWidth, stepHidden: layerWidth })
    .default({
      mapHidden: DEFAULT_SYMBOLIC_DIMS.mapHidden,
      phraseHidden: DEFAULT_SYMBOLIC_DIMS.phraseHidden,
      barLatent: DEFAULT_SYMBOLIC_DIMS.barLatent,
      barHidden: DEFAULT_SYMBOLIC_DIMS.barHidden,
      stepHidden: DEFAULT_SYMBOLIC_DIMS.stepHidden,
    }),
  /** Per-track decoding thresholds the trainer calibrated (phrase-decoder.ts). */
  decoding: z.strictObject(Object.fromEntries(TRACK_NAMES.map((name) => [name, trackDecoding])) as Record<(typeof TRACK_NAMES)[number], typeof trackDecoding>),
  /** Training provenance (corpus, steps, time, machine), free-form. */
  training: z.record(z.string(), z.unknown()).optional(),
});

export type SymbolicManifest = z.output<typeof symbolicManifestSchema>;
/** As a trainer writes it (`layers` and `codeDim` may be left out). */
export type SymbolicManifestInput = z.input<typeof symbolicManifestSchema>;

/** `manifest` as the symbolic manifest it is (validated on load); throws for another family's. */
export function asSymbolicManifest(manifest: ModelManifest): SymbolicManifest {
  return narrowManifest<SymbolicManifest>(manifest, SYMBOLIC);
}

/** The layer sizes a symbolic checkpoint was built with. */
export function symbolicDims(manifest: SymbolicManifest): SymbolicDims {
  return { ...DEFAULT_SYMBOLIC_DIMS, ...manifest.layers, latentDim: manifest.latentDim, codeDim: manifest.codeDim, styleCount: manifest.styles.length };
}

/** What its inputs hold (model-input.ts). */
export function symbolicLayout(manifest: SymbolicManifest): ModelLayout {
  return { styles: manifest.styles, latentDim: manifest.latentDim, codeDim: manifest.codeDim };
}

export function symbolicDecoding(manifest: SymbolicManifest): Decoding {
  return manifest.decoding;
}
