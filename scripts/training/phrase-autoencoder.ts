/**
 * Trains the phrase decoder (and, to feed it, the phrase encoder) as an autoencoder: a phrase is
 * encoded to a code, a little Gaussian noise is added (so nearby codes decode to nearby phrases,
 * which is what lets the GAN's codes decode well), and the decoder must write the phrase back.
 *
 *     loss = weighted cross-entropy on the onset and hold planes + masked squared error on velocity
 *
 * Onsets and holds are rare (a few % of cells), so a present cell weighs `positiveWeight` times an
 * absent one; velocity is only judged where the data has an onset. Everything random comes from
 * the seed and the step number, so a run is reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../server/families/model.js';
import { mulberry32 } from '../../server/core/seeded-random.js';
import { PHRASE_VALUES, PLANES, ROWS, STEPS_PER_PHRASE } from '../../server/families/symbolic/piano-roll.js';
import { initSymbolicWeights, phraseDecoderShapes, phraseEncoderShapes, type SymbolicDims } from '../../server/families/symbolic/symbolic-architecture.js';
import { phraseDecoderLogits, phraseEncoder } from '../../server/families/symbolic/symbolic-model.js';
import { computeValues, readVariables, toVariables } from './tf-variables.js';
import type { SparsePhrase } from './training-phrases.js';
import { usePlainMatMulGradient } from './plain-matmul-gradient.js';

export interface AutoencoderOptions {
  dims: SymbolicDims;
  /** Seeds the initial weights, the batches and the code noise. @default 1 */
  seed?: number;
  /** Phrases per batch. @default 32 */
  batch?: number;
  /** Adam learning rate. @default 1e-3 */
  learningRate?: number;
  /** Standard deviation of the noise added to codes in training. @default 0.4 */
  codeNoise?: number;
  /** Weight of a present onset or hold cell against an absent one. @default 4 */
  positiveWeight?: number;
  /**
   * Weight of the codes' mean square in the loss. With the fixed code noise this is a VAE's KL term
   * (up to a constant): it packs the codes together so the noise covers the gaps between them.
   * @default 0
   */
  codePenalty?: number;
}

export interface ReconstructionLoss {
  step: number;
  /** The whole loss. */
  loss: number;
  /** Weighted cross-entropy of the onset and hold planes. */
  notes: number;
  /** Squared velocity error where the data has an onset. */
  velocity: number;
}

export class PhraseAutoencoder {
  readonly dims: SymbolicDims;
  readonly batch: number;
  readonly seed: number;
  readonly codeNoise: number;
  readonly positiveWeight: number;
  readonly codePenalty: number;
  step = 0;
  readonly history: ReconstructionLoss[] = [];
  readonly #phrases: readonly SparsePhrase[];
  readonly #encoder: Record<string, tf.Variable>;
  readonly #decoder: Record<string, tf.Variable>;
  readonly #optimizer: tf.AdamOptimizer;

  /**
   * @param [options.seed=1] @param [options.batch=32] @param [options.learningRate=1e-3]
   * @param [options.codeNoise=0.4] @param [options.positiveWeight=4] @param [options.codePenalty=0]
   */
  constructor(phrases: readonly SparsePhrase[], options: AutoencoderOptions) {
    const { dims, seed = 1, batch = 32, learningRate = 1e-3, codeNoise = 0.4, positiveWeight = 4, codePenalty = 0 } = options;
    if (phrases.length < 2) throw new RangeError(`the autoencoder needs at least 2 phrases, got ${phrases.length}`);
    usePlainMatMulGradient();
    this.dims = dims;
    this.batch = batch;
    this.seed = seed;
    this.codeNoise = codeNoise;
    this.positiveWeight = positiveWeight;
    this.codePenalty = codePenalty;
    this.#phrases = phrases;
    this.#encoder = toVariables(initSymbolicWeights(phraseEncoderShapes(dims), seed + 2), 'enc');
    this.#decoder = toVariables(initSymbolicWeights(phraseDecoderShapes(dims), seed + 3), 'dec');
    this.#optimizer = tf.train.adam(learningRate);
  }

  /** One Adam step on a seeded batch; returns its losses (also kept in `history`). */
  trainStep(): ReconstructionLoss {
    const random = mulberry32((this.seed * 7_919 + this.step * 104_729) >>> 0);
    const picked = Array.from({ length: this.batch }, () => this.#phrases[Math.floor(random() * this.#phrases.length)]);
    const target = tf.tensor2d(densify(picked), [this.batch, PHRASE_VALUES]);
    const noise = tf.randomNormal([this.batch, this.dims.codeDim], 0, this.codeNoise, 'float32', (this.seed + this.step * 31) >>> 0);
    const parts: tf.Scalar[] = [];
    const loss = tf.tidy(() =>
      this.#optimizer.minimize(
        () => {
          const clean = phraseEncoder(this.#encoder, target);
          const code = tf.add(clean, noise) as tf.Tensor2D;
          const { notes, velocity } = reconstructionLoss(phraseDecoderLogits(this.#decoder, code), target, this.positiveWeight);
          parts.push(tf.keep(notes), tf.keep(velocity));
          const fit = tf.add(notes, velocity);
          return (this.codePenalty > 0 ? tf.add(fit, tf.mul(this.codePenalty, tf.mean(tf.square(clean)))) : fit) as tf.Scalar;
        },
        true,
        [...Object.values(this.#encoder), ...Object.values(this.#decoder)],
      )!,
    );
    const [notes, velocity] = parts.map((t) => t.dataSync()[0]);
    const record = { step: ++this.step, loss: loss.dataSync()[0], notes, velocity };
    tf.dispose([loss, target, noise, ...parts]);
    this.history.push(record);
    return record;
  }

  /** The codes of `phrases` (no noise), row after row. */
  encode(phrases: readonly SparsePhrase[]): Float32Array {
    const codes = new Float32Array(phrases.length * this.dims.codeDim);
    for (let i = 0; i < phrases.length; i += 256) {
      const part = phrases.slice(i, i + 256);
      codes.set(computeValues(() => phraseEncoder(this.#encoder, tf.tensor2d(densify(part), [part.length, PHRASE_VALUES]))), i * this.dims.codeDim);
    }
    return codes;
  }

  /** Decoder probabilities for codes (row after row). */
  decode(codes: Float32Array): Float32Array {
    const count = codes.length / this.dims.codeDim;
    return computeValues(() => tf.sigmoid(phraseDecoderLogits(this.#decoder, tf.tensor2d(codes, [count, this.dims.codeDim]))));
  }

  decoderWeights(): Map<string, NamedTensor> {
    return readVariables(this.#decoder);
  }

  dispose(): void {
    this.#optimizer.dispose();
    tf.dispose([...Object.values(this.#encoder), ...Object.values(this.#decoder)]);
  }
}

/** Phrases as one dense row-after-row array. */
export function densify(phrases: readonly SparsePhrase[]): Float32Array {
  const dense = new Float32Array(phrases.length * PHRASE_VALUES);
  phrases.forEach((phrase, i) => {
    const base = i * PHRASE_VALUES;
    for (let k = 0; k < phrase.cells.length; k++) dense[base + phrase.cells[k]] = phrase.values[k];
  });
  return dense;
}

/**
 * The autoencoder's loss on decoder logits against target phrases: weighted sigmoid
 * cross-entropy over the onset and hold planes, and the squared velocity error at the target's
 * onsets (velocity is meaningless elsewhere).
 */
export function reconstructionLoss(logits: tf.Tensor2D, target: tf.Tensor2D, positiveWeight: number): { notes: tf.Scalar; velocity: tf.Scalar } {
  return tf.tidy(() => {
    const cells = [logits.shape[0] * STEPS_PER_PHRASE, PLANES.length, ROWS] as [number, number, number];
    const x = logits.reshape(cells) as tf.Tensor3D;
    const t = target.reshape(cells) as tf.Tensor3D;
    const xNotes = tf.slice3d(x, [0, 0, 0], [cells[0], 2, ROWS]);
    const tNotes = tf.slice3d(t, [0, 0, 0], [cells[0], 2, ROWS]);
    // Stable sigmoid cross-entropy: max(x, 0) − x·t + log(1 + e^−|x|).
    const crossEntropy = tf.add(tf.sub(tf.relu(xNotes), tf.mul(xNotes, tNotes)), tf.log1p(tf.exp(tf.neg(tf.abs(xNotes)))));
    const weight = tf.add(1, tf.mul(tNotes, positiveWeight - 1));
    const notes = tf.mean(tf.mul(crossEntropy, weight)) as tf.Scalar;
    const onsets = tf.slice3d(t, [0, 0, 0], [cells[0], 1, ROWS]);
    const velocityError = tf.square(tf.sub(tf.sigmoid(tf.slice3d(x, [0, 2, 0], [cells[0], 1, ROWS])), tf.slice3d(t, [0, 2, 0], [cells[0], 1, ROWS])));
    const velocity = tf.div(tf.sum(tf.mul(velocityError, onsets)), tf.add(tf.sum(onsets), 1)) as tf.Scalar;
    return { notes, velocity };
  });
}
