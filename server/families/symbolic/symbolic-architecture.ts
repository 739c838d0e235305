/**
 * The symbolic GAN's shape, without any tensor library: layer sizes, weight names and shapes, and
 * seeded initial weights. The tfjs forward passes (symbolic-model.ts), the checkpoint loader and
 * the trainer read the layout from here.
 *
 * Generator (MuseGAN-style temporal + bar generators, dense layers only — see below why):
 *
 *   [z ⊕ style] ─dense─relu─▶ [phraseHidden] ─dense─relu─▶ [4 × barLatent]   (temporal: one latent per bar)
 *   per bar:  [barLatent ⊕ style ⊕ bar position] ─dense─relu─▶ [barHidden]
 *             ─dense─relu─▶ [16 steps × stepHidden]                           (bar generator, shared by all bars)
 *   per step: sigmoid( [stepHidden] ─dense─▶ [81 rows]                        (step decoder, shared by all steps)
 *                      + [barHidden] ─dense─▶ [81 rows] )                     (the bar's pitches, the same at every step)
 *
 * Critic (training only; WGAN-GP, so no normalisation layers):
 *
 *   per step: [81 rows] ─dense─lrelu─▶ [criticStep]                           (shared by all steps)
 *   per bar:  [16 × criticStep] ─dense─lrelu─▶ [criticBar]                    (shared by all bars)
 *   [4 × criticBar ⊕ style] ─dense─lrelu─▶ [criticHidden] ─dense─▶ score
 *
 * Why dense: tfjs's wasm backend (the fastest one that installs everywhere) multiplies matrices
 * 10–50× faster than the pure-JS cpu backend but has no convolution filter gradient
 * (Conv2DBackpropFilter), so a convolutional MuseGAN could only train on the cpu backend. The
 * per-step layers shared across time play the part of MuseGAN's convolutions along time (a
 * 1-wide convolution): a chord voicing is learned once, not once per step, so a held chord is
 * the same pitches at every step — and they cost a tenth of a dense layer over the whole bar.
 */
import { mulberry32, fillGaussian } from '../../core/seeded-random.js';
import type { NamedTensor } from '../model.js';
import { BARS_PER_PHRASE, ROWS, STEPS_PER_BAR, STYLES } from './piano-roll.js';

export interface SymbolicDims {
  /** Length of z. */
  latentDim: number;
  /** Number of styles the model is conditioned on (one-hot). */
  conditionDim: number;
  phraseHidden: number;
  barLatent: number;
  barHidden: number;
  stepHidden: number;
  criticStep: number;
  criticBar: number;
  criticHidden: number;
}

export const DEFAULT_SYMBOLIC_DIMS: SymbolicDims = {
  latentDim: 100,
  conditionDim: STYLES.length,
  phraseHidden: 256,
  barLatent: 96,
  barHidden: 512,
  stepHidden: 96,
  criticStep: 32,
  criticBar: 128,
  criticHidden: 128,
};

/** Generator weight names → shapes, in file order. */
export function symbolicGeneratorShapes(dims: SymbolicDims): Map<string, number[]> {
  const barInput = dims.barLatent + dims.conditionDim + BARS_PER_PHRASE;
  return new Map([
    ['gen/phrase/kernel', [dims.latentDim + dims.conditionDim, dims.phraseHidden]],
    ['gen/phrase/bias', [dims.phraseHidden]],
    ['gen/bars/kernel', [dims.phraseHidden, BARS_PER_PHRASE * dims.barLatent]],
    ['gen/bars/bias', [BARS_PER_PHRASE * dims.barLatent]],
    ['gen/bar/kernel', [barInput, dims.barHidden]],
    ['gen/bar/bias', [dims.barHidden]],
    ['gen/steps/kernel', [dims.barHidden, STEPS_PER_BAR * dims.stepHidden]],
    ['gen/steps/bias', [STEPS_PER_BAR * dims.stepHidden]],
    ['gen/out/kernel', [dims.stepHidden, ROWS]],
    ['gen/out/bias', [ROWS]],
    ['gen/pitches/kernel', [dims.barHidden, ROWS]],
    ['gen/pitches/bias', [ROWS]],
  ]);
}

/** Critic weight names → shapes (training state only; never in a served checkpoint). */
export function symbolicCriticShapes(dims: SymbolicDims): Map<string, number[]> {
  return new Map([
    ['critic/step/kernel', [ROWS, dims.criticStep]],
    ['critic/step/bias', [dims.criticStep]],
    ['critic/bar/kernel', [STEPS_PER_BAR * dims.criticStep, dims.criticBar]],
    ['critic/bar/bias', [dims.criticBar]],
    ['critic/phrase/kernel', [BARS_PER_PHRASE * dims.criticBar + dims.conditionDim, dims.criticHidden]],
    ['critic/phrase/bias', [dims.criticHidden]],
    ['critic/out/kernel', [dims.criticHidden, 1]],
    ['critic/out/bias', [1]],
  ]);
}

/**
 * The output layer's starting bias: sigmoid(−3) ≈ 5% of cells on, near the corpus's density, so
 * the generator starts from sparse rolls instead of half the keyboard at once.
 */
export const OUTPUT_BIAS_INIT = -3;

/**
 * Seeded initial weights: He-normal kernels (std √(2 / fanIn), for ReLU-family layers), zero
 * biases except the generator's output bias (OUTPUT_BIAS_INIT).
 */
export function initSymbolicWeights(shapes: Map<string, number[]>, seed: number): Map<string, NamedTensor> {
  const random = mulberry32(seed);
  const weights = new Map<string, NamedTensor>();
  for (const [name, shape] of shapes) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('/kernel')) {
      fillGaussian(data, random);
      const std = Math.sqrt(2 / shape[0]);
      for (let i = 0; i < data.length; i++) data[i] *= std;
    } else if (name === 'gen/out/bias') {
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
