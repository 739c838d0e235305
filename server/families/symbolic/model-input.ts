/**
 * A symbolic model's input row: the latent z, then what the phrase is conditioned on — the style
 * (one-hot over the styles the model was trained on, in its manifest's order), the phrase's role
 * in its song (one-hot, section-plan.ts) and the code of the phrase before (zeros for the first).
 *
 *     [ z (latentDim) | style (styles) | role (8) | previous code (codeDim) ]
 */
import type { Style } from './piano-roll.js';
import { ROLES } from './section-plan.js';

export interface ModelLayout {
  /** The styles the model knows, in one-hot order. */
  readonly styles: readonly Style[];
  readonly latentDim: number;
  readonly codeDim: number;
}

/** Length of the condition (everything after z). */
export function conditionLength(layout: ModelLayout): number {
  return layout.styles.length + ROLES + layout.codeDim;
}

/** Writes the condition into `into` at `offset` (the trainers fill whole batches this way). */
export function writeCondition(layout: ModelLayout, style: Style, role: number, previousCode: Float32Array | undefined, into: Float32Array, offset = 0): void {
  const styleIndex = layout.styles.indexOf(style);
  if (styleIndex < 0) throw new RangeError(`style "${style}" is not one of the model's (${layout.styles.join(', ')})`);
  if (!Number.isInteger(role) || role < 0 || role >= ROLES) throw new RangeError(`role must be 0–${ROLES - 1}, got ${role}`);
  into.fill(0, offset, offset + conditionLength(layout));
  into[offset + styleIndex] = 1;
  into[offset + layout.styles.length + role] = 1;
  if (previousCode) {
    if (previousCode.length !== layout.codeDim) throw new RangeError(`a previous code has ${layout.codeDim} values, got ${previousCode.length}`);
    into.set(previousCode, offset + layout.styles.length + ROLES);
  }
}

/** The whole input row for latent `z`. */
export function modelInput(layout: ModelLayout, z: Float32Array, style: Style, role: number, previousCode: Float32Array | undefined): Float32Array {
  if (z.length !== layout.latentDim) throw new RangeError(`z has ${layout.latentDim} values, got ${z.length}`);
  const input = new Float32Array(layout.latentDim + conditionLength(layout));
  input.set(z);
  writeCondition(layout, style, role, previousCode, input, layout.latentDim);
  return input;
}
