/**
 * Trains the symbolic GAN (symbolic-model.ts) with WGAN-GP on a set of phrases, on tfjs's wasm
 * backend (dense layers only; see symbolic-architecture.ts). One "step" is one generator update
 * after `criticSteps` critic updates, as in the WGAN-GP paper.
 *
 * Everything random is drawn from the seed and the step number, so a resumed run continues the
 * exact sequence of batches it would have drawn without the interruption. The training state
 * (both networks, both Adams, the loss history) saves to two files beside the checkpoint.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../server/families/waveform/wavegan-architecture.js';
import { mulberry32 } from '../../server/core/seeded-random.js';
import { PHRASE_VALUES, STYLES, type PianoRoll, type Style } from '../../server/families/symbolic/piano-roll.js';
import {
  initSymbolicWeights,
  symbolicCriticShapes,
  symbolicGeneratorShapes,
  type SymbolicDims,
} from '../../server/families/symbolic/symbolic-architecture.js';
import { straightThroughBinarize, symbolicCritic, symbolicGenerator } from '../../server/families/symbolic/symbolic-model.js';
import { usePlainMatMulGradient } from './plain-matmul-gradient.js';
import { WganGp, type WganGpOptions } from './wgan-gp.js';

export interface TrainingPhrase {
  style: Style;
  roll: PianoRoll;
}

export interface LossRecord {
  step: number;
  criticLoss: number;
  generatorLoss: number;
  gradientPenalty: number;
  wasserstein: number;
}

export interface SymbolicTrainerOptions extends WganGpOptions {
  data: readonly TrainingPhrase[];
  dims: SymbolicDims;
  /** Phrases per batch. @default 32 */
  batch?: number;
  /** Critic updates per generator update. @default 5 */
  criticSteps?: number;
  /** Seeds the initial weights and every batch. @default 1 */
  seed?: number;
}

export class SymbolicTrainer {
  readonly dims: SymbolicDims;
  readonly batch: number;
  readonly criticSteps: number;
  readonly seed: number;
  /** Generator steps done. */
  step = 0;
  readonly history: LossRecord[] = [];
  readonly #gan: WganGp;
  readonly #generatorVariables: Record<string, tf.Variable>;
  readonly #criticVariables: Record<string, tf.Variable>;
  /** The training phrases and their style one-hots, row after row (batches are copied from here: tf.gather is slow on wasm). */
  readonly #rolls: Float32Array;
  readonly #styles: Float32Array;
  readonly #dataCount: number;

  /**
   * @param [options.batch=32] phrases per batch
   * @param [options.criticSteps=5] critic updates per generator update
   * @param [options.seed=1] seed of the initial weights and of every batch
   * (and the WGAN-GP options: λ 10, Adam 1e-4, β 0.5 / 0.9)
   */
  constructor(options: SymbolicTrainerOptions) {
    const { data, dims, batch = 32, criticSteps = 5, seed = 1 } = options;
    if (data.length < 2) throw new RangeError(`training needs at least 2 phrases, got ${data.length}`);
    usePlainMatMulGradient();
    this.dims = dims;
    this.batch = batch;
    this.criticSteps = criticSteps;
    this.seed = seed;
    this.#generatorVariables = toVariables(initSymbolicWeights(symbolicGeneratorShapes(dims), seed), 'g');
    this.#criticVariables = toVariables(initSymbolicWeights(symbolicCriticShapes(dims), seed + 1), 'c');
    this.#gan = new WganGp(
      {
        // The critic judges binary rolls, real and fake alike (see straightThroughBinarize).
        generator: (variables, z, style) => straightThroughBinarize(symbolicGenerator(variables, z, style)),
        critic: symbolicCritic,
        generatorVariables: this.#generatorVariables,
        criticVariables: this.#criticVariables,
      },
      options,
    );
    const rolls = new Float32Array(data.length * PHRASE_VALUES);
    const styles = new Float32Array(data.length * dims.conditionDim);
    for (const [i, phrase] of data.entries()) {
      rolls.set(phrase.roll, i * PHRASE_VALUES);
      styles[i * dims.conditionDim + STYLES.indexOf(phrase.style)] = 1;
    }
    this.#rolls = rolls;
    this.#styles = styles;
    this.#dataCount = data.length;
  }

  /** One generator step after `criticSteps` critic steps; returns its losses (also kept in `history`). */
  trainStep(): LossRecord {
    const step = this.step;
    let critic = { criticLoss: 0, wasserstein: 0, gradientPenalty: 0 };
    for (let k = 0; k < this.criticSteps; k++) {
      const seed = this.#seedFor(step, k);
      const { real, styles } = this.#realBatch(seed);
      const z = tf.randomNormal([this.batch, this.dims.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D;
      critic = this.#gan.criticStep(real, styles, z, seed + 1);
      tf.dispose([real, styles, z]);
    }
    const seed = this.#seedFor(step, this.criticSteps);
    const styles = this.#randomStyles(seed);
    const z = tf.randomNormal([this.batch, this.dims.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D;
    const generatorLoss = this.#gan.generatorStep(styles, z);
    tf.dispose([styles, z]);
    this.step++;
    const record = { step: this.step, generatorLoss, ...critic };
    this.history.push(record);
    return record;
  }

  /** Piano-roll probabilities for each style in `styles`, from seeded latents. */
  sample(styles: readonly Style[], seed: number): PianoRoll[] {
    const out = tf.tidy(() => {
      const z = tf.randomNormal([styles.length, this.dims.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D;
      return symbolicGenerator(this.#generatorVariables, z, styleMatrix(styles, this.dims.conditionDim));
    });
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return styles.map((_, i) => values.slice(i * PHRASE_VALUES, (i + 1) * PHRASE_VALUES));
  }

  /** The generator's weights, for saveCheckpoint. */
  generatorWeights(): Map<string, NamedTensor> {
    return readVariables(this.#generatorVariables);
  }

  /** Writes the full training state to `<base>.json` and `<base>.bin` (atomically). */
  async saveState(base: string): Promise<void> {
    const tensors = new Map<string, NamedTensor>([
      ...prefixed('generator', readVariables(this.#generatorVariables)),
      ...prefixed('critic', readVariables(this.#criticVariables)),
      ...prefixed('generatorAdam', await optimizerWeights(this.#gan.generatorOptimizer)),
      ...prefixed('criticAdam', await optimizerWeights(this.#gan.criticOptimizer)),
    ]);
    const index = [...tensors].map(([name, { shape }]) => ({ name, shape }));
    const bytes = Buffer.concat([...tensors.values()].map(({ data }) => Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
    const meta = { format: 'wavecast-training-state', version: 1, step: this.step, seed: this.seed, batch: this.batch, dims: this.dims, history: this.history, tensors: index };
    await writeFile(`${base}.bin.tmp`, bytes);
    await writeFile(`${base}.json.tmp`, JSON.stringify(meta));
    await rename(`${base}.bin.tmp`, `${base}.bin`);
    await rename(`${base}.json.tmp`, `${base}.json`);
  }

  /** Restores a state written by `saveState` with the same dims; returns false when there is none. */
  async loadState(base: string): Promise<boolean> {
    let meta;
    try {
      meta = JSON.parse(await readFile(`${base}.json`, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    if (meta.format !== 'wavecast-training-state' || JSON.stringify(meta.dims) !== JSON.stringify(this.dims)) {
      throw new Error(`${base}.json: training state of another model (dims ${JSON.stringify(meta.dims)}); delete it or change --out`);
    }
    const bytes = await readFile(`${base}.bin`);
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let offset = 0;
    const loaded = new Map<string, tf.Tensor>();
    for (const { name, shape } of meta.tensors as Array<{ name: string; shape: number[] }>) {
      const size = shape.reduce((a, b) => a * b, 1);
      loaded.set(name, tf.tensor(floats.subarray(offset, offset + size), shape));
      offset += size;
    }
    for (const [name, variable] of Object.entries(this.#generatorVariables)) variable.assign(loaded.get(`generator/${name}`)!);
    for (const [name, variable] of Object.entries(this.#criticVariables)) variable.assign(loaded.get(`critic/${name}`)!);
    await restoreOptimizer(this.#gan.generatorOptimizer, loaded, 'generatorAdam/');
    await restoreOptimizer(this.#gan.criticOptimizer, loaded, 'criticAdam/');
    tf.dispose([...loaded.values()]);
    this.step = meta.step;
    this.history.splice(0, this.history.length, ...meta.history);
    return true;
  }

  dispose(): void {
    this.#gan.dispose();
    tf.dispose([...Object.values(this.#generatorVariables), ...Object.values(this.#criticVariables)]);
  }

  #seedFor(step: number, substep: number): number {
    return (this.seed * 1_000_003 + step * (this.criticSteps + 1) + substep) >>> 0;
  }

  /** `batch` training phrases drawn (with replacement) from the seed, and their styles. */
  #realBatch(seed: number): { real: tf.Tensor2D; styles: tf.Tensor2D } {
    const random = mulberry32(seed);
    const { conditionDim } = this.dims;
    const rolls = new Float32Array(this.batch * PHRASE_VALUES);
    const styles = new Float32Array(this.batch * conditionDim);
    for (let i = 0; i < this.batch; i++) {
      const row = Math.floor(random() * this.#dataCount);
      rolls.set(this.#rolls.subarray(row * PHRASE_VALUES, (row + 1) * PHRASE_VALUES), i * PHRASE_VALUES);
      styles.set(this.#styles.subarray(row * conditionDim, (row + 1) * conditionDim), i * conditionDim);
    }
    return { real: tf.tensor2d(rolls, [this.batch, PHRASE_VALUES]), styles: tf.tensor2d(styles, [this.batch, conditionDim]) };
  }

  #randomStyles(seed: number): tf.Tensor2D {
    const random = mulberry32(seed ^ 0x5bd1e995);
    const styles = Array.from({ length: this.batch }, () => STYLES[Math.floor(random() * this.dims.conditionDim)]);
    return styleMatrix(styles, this.dims.conditionDim);
  }
}

function styleMatrix(styles: readonly Style[], conditionDim: number): tf.Tensor2D {
  const data = new Float32Array(styles.length * conditionDim);
  styles.forEach((style, i) => (data[i * conditionDim + STYLES.indexOf(style)] = 1));
  return tf.tensor2d(data, [styles.length, conditionDim]);
}

let variableSets = 0;

function toVariables(weights: Map<string, NamedTensor>, prefix: string): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  // Unique variable names: tfjs refuses two variables of one name in a process.
  const unique = `${prefix}${variableSets++}`;
  for (const [name, { shape, data }] of weights) variables[name] = tf.variable(tf.tensor(data, shape), true, `${unique}/${name}`);
  return variables;
}

function readVariables(variables: Record<string, tf.Variable>): Map<string, NamedTensor> {
  return new Map(Object.entries(variables).map(([name, v]) => [name, { shape: v.shape.slice(), data: v.dataSync().slice() as Float32Array }]));
}

function prefixed(prefix: string, tensors: Map<string, NamedTensor>): Array<[string, NamedTensor]> {
  return [...tensors].map(([name, tensor]) => [`${prefix}/${name}`, tensor]);
}

/** tfjs's Adam keeps β1ᵗ and β2ᵗ as running products; its setWeights recomputes them with pow, which
 * differs in the last float bit and sends a resumed GAN down another path. Save them exactly. */
type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable };
const internals = (optimizer: tf.AdamOptimizer) => optimizer as unknown as AdamInternals;

/** An Adam's state: iterations, first and second moments in variable order (as tfjs's getWeights lists them), then β1ᵗ and β2ᵗ. */
async function optimizerWeights(optimizer: tf.AdamOptimizer): Promise<Map<string, NamedTensor>> {
  const { accBeta1, accBeta2 } = internals(optimizer);
  const tensors = [...(await optimizer.getWeights()).map((w) => w.tensor), accBeta1, accBeta2];
  return new Map(tensors.map((t, i) => [String(i), { shape: t.shape.slice(), data: t.dataSync().slice() as Float32Array }]));
}

/** Puts back what `optimizerWeights` saved (setWeights creates the moments if none exist yet). */
async function restoreOptimizer(optimizer: tf.AdamOptimizer, loaded: Map<string, tf.Tensor>, prefix: string): Promise<void> {
  const saved = [...loaded]
    .filter(([name]) => name.startsWith(prefix))
    .sort((a, b) => Number(a[0].slice(prefix.length)) - Number(b[0].slice(prefix.length)))
    .map(([name, tensor]) => ({ name, tensor: tensor.clone() }));
  const [accBeta2, accBeta1] = [saved.pop()!, saved.pop()!];
  await optimizer.setWeights(saved);
  internals(optimizer).accBeta1.assign(accBeta1.tensor as tf.Scalar);
  internals(optimizer).accBeta2.assign(accBeta2.tensor as tf.Scalar);
  tf.dispose([accBeta1.tensor, accBeta2.tensor]);
}
