/**
 * A symbolic checkpoint's manifest.json: the common fields plus the piano-roll grid it writes,
 * the styles it is conditioned on and its layer widths, e.g.
 * `{ "family": "symbolic", "steps": 64, "rows": 81, "styles": ["house", "cafe", "ambient"], … }`.
 */
import { z } from 'zod';
import { COMMON_MANIFEST_FIELDS, narrowManifest, type ModelManifest } from '../model.js';
import { ROWS, STEPS_PER_PHRASE, STYLES } from './piano-roll.js';
import { DEFAULT_SYMBOLIC_DIMS, type SymbolicDims } from './symbolic-architecture.js';

/** The family's name in manifest.json. */
export const SYMBOLIC = 'symbolic';

const layerWidth = z.number().int().positive();

export const symbolicManifestSchema = z.object({
  ...COMMON_MANIFEST_FIELDS,
  family: z.literal(SYMBOLIC),
  /** The representation (piano-roll.ts); a different grid is a different model. */
  steps: z.literal(STEPS_PER_PHRASE),
  rows: z.literal(ROWS),
  /** Styles the model is conditioned on, in one-hot order. */
  styles: z.array(z.enum(STYLES)).min(1),
  /** Generator layer widths (symbolic-architecture.ts). */
  layers: z
    .strictObject({ phraseHidden: layerWidth, barLatent: layerWidth, barHidden: layerWidth, stepHidden: layerWidth })
    .default({
      phraseHidden: DEFAULT_SYMBOLIC_DIMS.phraseHidden,
      barLatent: DEFAULT_SYMBOLIC_DIMS.barLatent,
      barHidden: DEFAULT_SYMBOLIC_DIMS.barHidden,
      stepHidden: DEFAULT_SYMBOLIC_DIMS.stepHidden,
    }),
  /** Training provenance (corpus, steps, time, machine), free-form. */
  training: z.record(z.string(), z.unknown()).optional(),
});

export type SymbolicManifest = z.output<typeof symbolicManifestSchema>;
/** As a trainer writes it (`layers` may be left out). */
export type SymbolicManifestInput = z.input<typeof symbolicManifestSchema>;

/** `manifest` as the symbolic manifest it is (validated on load); throws for another family's. */
export function asSymbolicManifest(manifest: ModelManifest): SymbolicManifest {
  return narrowManifest<SymbolicManifest>(manifest, SYMBOLIC);
}

/** The layer sizes a symbolic checkpoint's generator was built with. */
export function symbolicDims(manifest: SymbolicManifest): SymbolicDims {
  return { ...DEFAULT_SYMBOLIC_DIMS, ...manifest.layers, latentDim: manifest.latentDim, conditionDim: manifest.styles.length };
}
