/**
 * The symbolic model's shape, without any tensor library: layer sizes, weight names and shapes,
 * and seeded initial weights. The tfjs forward passes (symbolic-model.ts), the checkpoint loader
 * and the trainers read the layout from here.
 *
 * The model is a latent-space GAN (Achlioptas et al. 2018's l-GAN) over a MuseGAN-style phrase
 * decoder. A phrase decoder learns to write phrases from 8-number codes (trained as an
 * autoencoder's decoder, with noise on the codes), and a conditional WGAN-GP learns which code
 * comes next:
 *
 *   served:  [z ⊕ style ⊕ role ⊕ previous code] ─mlp─▶ code ─phrase decoder─▶ piano roll (onset, hold, velocity)
 *
 *   code generator:  [z ⊕ style ⊕ role ⊕ previous code] ─dense─relu─▶ [mapHidden] ─dense─relu─▶ [mapHidden] ─dense─┐
 *                    atanh(previous code) ─skip (codeDim × codeDim, starts as the identity)───────────────────── + ─tanh─▶ [code]
 *   phrase decoder (MuseGAN's temporal + bar generators, dense layers shared over time):
 *     [code] ─dense─relu─▶ [phraseHidden] ─dense─relu─▶ [4 × barLatent]            (one latent per bar)
 *     per bar:  [barLatent ⊕ bar position] ─dense─relu─▶ [barHidden] ─dense─relu─▶ [16 × stepHidden]
 *     per step: sigmoid( [stepHidden] ─dense─▶ [315] + [barHidden] ─dense─▶ [315] ) (the bar's pitches at every step)
 *
 * Training only:
 *   phrase encoder:  per step [315] ─dense─lrelu─▶ [encoderStep]; per bar [16 × encoderStep] ─dense─lrelu─▶
 *                    [encoderBar]; [4 × encoderBar] ─dense─tanh─▶ [code]
 *   code critic:     [code ⊕ style ⊕ role ⊕ previous code] ─dense─lrelu─▶ [criticHidden] ×2 ─dense─▶ score
 *
 * Why this shape: trained end to end on a 2-core CPU within 30 minutes, a GAN over whole rolls
 * (three architectures tried) stayed 18–60 % off the data on note lengths and pitch classes; the
 * autoencoder learns to write notes by plain reconstruction (fast and stable), and the GAN's job
 * shrinks to 8 numbers a phrase. Larger codes (128, 32, 16) were tried: the GAN's codes then fall
 * between the data's, where the decoder writes thin phrases (docs/symbolic-model.md has the table).
 * Conditioning on the previous phrase's code is what lets a phrase continue and vary the one before.
 * Dense layers only: tfjs's wasm backend has no convolution filter gradient.
 */
import { mulberry32, fillGaussian } from '../../core/seeded-random.js';
import type { NamedTensor } from '../model.js';
import { BARS_PER_PHRASE, STEP_VALUES, STEPS_PER_BAR } from './piano-roll.js';
import { ROLES } from './section-plan.js';

export interface SymbolicDims {
  /** Length of z. */
  latentDim: number;
  /** Styles the model is conditioned on (one-hot). */
  styleCount: number;
  /** Length of a phrase's code. */
  codeDim: number;
  mapHidden: number;
  phraseHidden: number;
  barLatent: number;
  barHidden: number;
  stepHidden: number;
  encoderStep: number;
  encoderBar: number;
  criticHidden: number;
}

export const DEFAULT_SYMBOLIC_DIMS: SymbolicDims = {
  latentDim: 64,
  styleCount: 3,
  codeDim: 8,
  mapHidden: 256,
  phraseHidden: 512,
  barLatent: 128,
  barHidden: 512,
  stepHidden: 128,
  encoderStep: 64,
  encoderBar: 256,
  criticHidden: 256,
};

/** The code generator's input: z, style one-hot, role one-hot, previous phrase's code. */
export function conditionSize(dims: SymbolicDims): number {
  return dims.styleCount + ROLES + dims.codeDim;
}

/** Served weight names → shapes (code generator, then phrase decoder), in file order. */
export function symbolicGeneratorShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([...codeGeneratorShapes(dims), ...phraseDecoderShapes(dims)]);
}

export function codeGeneratorShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([
    ['gen/map1/kernel', [dims.latentDim + conditionSize(dims), dims.mapHidden]],
    ['gen/map1/bias', [dims.mapHidden]],
    ['gen/map2/kernel', [dims.mapHidden, dims.mapHidden]],
    ['gen/map2/bias', [dims.mapHidden]],
    ['gen/code/kernel', [dims.mapHidden, dims.codeDim]],
    ['gen/code/bias', [dims.codeDim]],
    // The previous code, straight to the output: a phrase that restates the one before starts out easy.
    ['gen/skip/kernel', [dims.codeDim, dims.codeDim]],
  ]);
}

export function phraseDecoderShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([
    ['dec/phrase/kernel', [dims.codeDim, dims.phraseHidden]],
    ['dec/phrase/bias', [dims.phraseHidden]],
    ['dec/bars/kernel', [dims.phraseHidden, BARS_PER_PHRASE * dims.barLatent]],
    ['dec/bars/bias', [BARS_PER_PHRASE * dims.barLatent]],
    ['dec/bar/kernel', [dims.barLatent + BARS_PER_PHRASE, dims.barHidden]],
    ['dec/bar/bias', [dims.barHidden]],
    ['dec/steps/kernel', [dims.barHidden, STEPS_PER_BAR * dims.stepHidden]],
    ['dec/steps/bias', [STEPS_PER_BAR * dims.stepHidden]],
    ['dec/out/kernel', [dims.stepHidden, STEP_VALUES]],
    ['dec/out/bias', [STEP_VALUES]],
    ['dec/pitches/kernel', [dims.barHidden, STEP_VALUES]],
    ['dec/pitches/bias', [STEP_VALUES]],
  ]);
}

/** The phrase encoder (training only). */
export function phraseEncoderShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([
    ['enc/step/kernel', [STEP_VALUES, dims.encoderStep]],
    ['enc/step/bias', [dims.encoderStep]],
    ['enc/bar/kernel', [STEPS_PER_BAR * dims.encoderStep, dims.encoderBar]],
    ['enc/bar/bias', [dims.encoderBar]],
    ['enc/code/kernel', [BARS_PER_PHRASE * dims.encoderBar, dims.codeDim]],
    ['enc/code/bias', [dims.codeDim]],
  ]);
}

/** The code critic (training only; never in a served checkpoint). */
export function codeCriticShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([
    ['critic/1/kernel', [dims.codeDim + conditionSize(dims), dims.criticHidden]],
    ['critic/1/bias', [dims.criticHidden]],
    ['critic/2/kernel', [dims.criticHidden, dims.criticHidden]],
    ['critic/2/bias', [dims.criticHidden]],
    ['critic/out/kernel', [dims.criticHidden, 1]],
    ['critic/out/bias', [1]],
  ]);
}

/**
 * The decoder output layer's starting bias: sigmoid(−4) ≈ 2 % of cells on, near the data's
 * density, so reconstruction starts from sparse rolls instead of half the keyboard at once.
 */
export const OUTPUT_BIAS_INIT = -4;

/**
 * Seeded initial weights: He-normal kernels (std √(2 / fanIn), for ReLU-family layers), zero
 * biases except the decoder's output bias (OUTPUT_BIAS_INIT), and the code generator's skip as
 * the identity with its last layer a tenth of He (so it starts by restating the previous phrase).
 */
export function initSymbolicWeights(shapes: Map<string, number[]>, seed: number): Map<string, NamedTensor> {
  const random = mulberry32(seed);
  const weights = new Map<string, NamedTensor>();
  for (const [name, shape] of shapes) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name === 'gen/skip/kernel') {
      for (let i = 0; i < shape[0]; i++) data[i * shape[1] + i] = 1;
    } else if (name.endsWith('/kernel')) {
      fillGaussian(data, random);
      // The code generator's last layer starts small: a new code starts near the previous one (the skip).
      const std = Math.sqrt(2 / shape[0]) * (name === 'gen/code/kernel' ? 0.1 : 1);
      for (let i = 0; i < data.length; i++) data[i] *= std;
    } else if (name === 'dec/out/bias') {
      data.fill(OUTPUT_BIAS_INIT);
    }
    weights.set(name, { shape, data });
  }
  return weights;
}

/** Total number of values in a set of shapes (parameter count). */
export function parameterCount(shapes: Map<string, number[]>): number {
  let count = 0;
  for (const shape of shapes.values()) count += shape.reduce((a, b) => a * b, 1);
  return count;
}
