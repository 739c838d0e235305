/**
 * Trains the code generator with WGAN-GP against the code critic (symbolic-architecture.ts): real
 * examples are the autoencoder's codes of the training phrases, each with its condition (style,
 * role, the code of the phrase before). One "step" is one generator update after `criticSteps`
 * critic updates, as in the WGAN-GP paper. Everything random is drawn from the seed and the step.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../server/families/model.js';
import { mulberry32 } from '../../server/core/seeded-random.js';
import { codeCriticShapes, codeGeneratorShapes, conditionSize, initSymbolicWeights, type SymbolicDims } from '../../server/families/symbolic/symbolic-architecture.js';
import { codeCritic, codeGenerator } from '../../server/families/symbolic/symbolic-model.js';
import { computeValues, readVariables, toVariables } from './tf-variables.js';
import { WganGp, type WganGpOptions } from './wgan-gp.js';
import { usePlainMatMulGradient } from './plain-matmul-gradient.js';

export interface GanLoss {
  step: number;
  criticLoss: number;
  generatorLoss: number;
  gradientPenalty: number;
  wasserstein: number;
}

export interface CodeGanOptions extends WganGpOptions {
  dims: SymbolicDims;
  /** Codes of the real phrases, row after row (codeDim each). */
  codes: Float32Array;
  /** Their conditions, row after row (conditionSize(dims) each). */
  conditions: Float32Array;
  /** Examples per batch. @default 64 */
  batch?: number;
  /** Critic updates per generator update. @default 3 */
  criticSteps?: number;
  /** @default 1 */
  seed?: number;
}

export class CodeGan {
  readonly dims: SymbolicDims;
  readonly batch: number;
  readonly criticSteps: number;
  readonly seed: number;
  step = 0;
  readonly history: GanLoss[] = [];
  readonly #gan: WganGp;
  readonly #generator: Record<string, tf.Variable>;
  readonly #critic: Record<string, tf.Variable>;
  readonly #codes: Float32Array;
  readonly #conditions: Float32Array;
  readonly #count: number;

  /** @param [options.batch=64] @param [options.criticSteps=3] @param [options.seed=1] (and WganGpOptions) */
  constructor(options: CodeGanOptions) {
    const { dims, codes, conditions, batch = 64, criticSteps = 3, seed = 1 } = options;
    this.#count = codes.length / dims.codeDim;
    if (!Number.isInteger(this.#count) || this.#count < 2) throw new RangeError(`the code GAN needs at least 2 codes of ${dims.codeDim} values`);
    if (conditions.length !== this.#count * conditionSize(dims)) throw new RangeError(`expected ${this.#count} conditions of ${conditionSize(dims)} values`);
    usePlainMatMulGradient();
    this.dims = dims;
    this.batch = batch;
    this.criticSteps = criticSteps;
    this.seed = seed;
    this.#codes = codes;
    this.#conditions = conditions;
    this.#generator = toVariables(initSymbolicWeights(codeGeneratorShapes(dims), seed + 4), 'gen');
    this.#critic = toVariables(initSymbolicWeights(codeCriticShapes(dims), seed + 5), 'critic');
    this.#gan = new WganGp(
      { generator: codeGenerator, critic: codeCritic, generatorVariables: this.#generator, criticVariables: this.#critic },
      options,
    );
  }

  /** One generator step after `criticSteps` critic steps. */
  trainStep(): GanLoss {
    const seedOf = (k: number) => (this.seed * 1_000_003 + this.step * (this.criticSteps + 1) + k) >>> 0;
    let critic = { criticLoss: 0, wasserstein: 0, gradientPenalty: 0 };
    for (let k = 0; k < this.criticSteps; k++) {
      const { codes, conditions } = this.#batch(seedOf(k));
      const z = tf.randomNormal([this.batch, this.dims.latentDim], 0, 1, 'float32', seedOf(k)) as tf.Tensor2D;
      critic = this.#gan.criticStep(codes, conditions, z, seedOf(k) + 1);
      tf.dispose([codes, conditions, z]);
    }
    // The generator is asked under real conditions (a real previous code, style and role).
    const { codes, conditions } = this.#batch(seedOf(this.criticSteps));
    const z = tf.randomNormal([this.batch, this.dims.latentDim], 0, 1, 'float32', seedOf(this.criticSteps)) as tf.Tensor2D;
    const generatorLoss = this.#gan.generatorStep(conditions, z);
    tf.dispose([codes, conditions, z]);
    const record = { step: ++this.step, generatorLoss, ...critic };
    this.history.push(record);
    return record;
  }

  /** Generated codes for `conditions` (row after row), from seeded latents. */
  sample(conditions: Float32Array, seed: number): Float32Array {
    const count = conditions.length / conditionSize(this.dims);
    return computeValues(() =>
      codeGenerator(
        this.#generator,
        tf.randomNormal([count, this.dims.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D,
        tf.tensor2d(conditions, [count, conditionSize(this.dims)]),
      ),
    );
  }

  generatorWeights(): Map<string, NamedTensor> {
    return readVariables(this.#generator);
  }

  dispose(): void {
    this.#gan.dispose();
    tf.dispose([...Object.values(this.#generator), ...Object.values(this.#critic)]);
  }

  /** A seeded batch of real codes and their conditions (the generator step uses the conditions only). */
  #batch(seed: number): { codes: tf.Tensor2D; conditions: tf.Tensor2D } {
    const random = mulberry32(seed);
    const { codeDim } = this.dims;
    const width = conditionSize(this.dims);
    const codes = new Float32Array(this.batch * codeDim);
    const conditions = new Float32Array(this.batch * width);
    for (let i = 0; i < this.batch; i++) {
      const row = Math.floor(random() * this.#count);
      codes.set(this.#codes.subarray(row * codeDim, (row + 1) * codeDim), i * codeDim);
      conditions.set(this.#conditions.subarray(row * width, (row + 1) * width), i * width);
    }
    return { codes: tf.tensor2d(codes, [this.batch, codeDim]), conditions: tf.tensor2d(conditions, [this.batch, width]) };
  }
}
