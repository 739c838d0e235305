/**
 * The symbolic GAN's forward passes in tfjs, as plain functions of named weight tensors: the
 * server passes constants, the trainer passes tf.variables to the very same functions. The layout
 * lives in symbolic-architecture.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { BARS_PER_PHRASE, PHRASE_VALUES, ROWS, STEPS_PER_BAR } from './piano-roll.js';

type Weights = Record<string, tf.Tensor>;

function dense(weights: Weights, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, weights[`${name}/kernel`] as tf.Tensor2D), weights[`${name}/bias`]);
}

/**
 * Leaky ReLU (slope 0.2) written as 0.6x + 0.4|x|: the gradient penalty differentiates the critic
 * twice, and tfjs's own leakyRelu has no second-order gradient ("gradient function not found for
 * Greater").
 */
export function leakyRelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.mul(x, 0.6), tf.mul(tf.abs(x), 0.4));
}

/**
 * Deterministic binary neurons with the straight-through estimator (BinaryMuseGAN, Dong & Yang
 * 2018): the forward pass thresholds at 0.5, so the critic sees 0/1 rolls exactly like the data
 * (and cannot tell fakes by their grey values); the backward pass lets the gradient through as
 * if the threshold were the identity.
 */
export const straightThroughBinarize = tf.customGrad((...inputs) => ({
  value: tf.cast(tf.greater(inputs[0] as tf.Tensor, 0.5), 'float32'),
  gradFunc: (dy: tf.Tensor) => dy,
})) as (probabilities: tf.Tensor2D) => tf.Tensor2D;

/**
 * Generator: z [b, latentDim] and style one-hot [b, conditionDim] → piano-roll probabilities
 * [b, PHRASE_VALUES] (step-major, see piano-roll.ts). The trainer passes the probabilities through
 * `straightThroughBinarize`; the server thresholds them in `binarizeRoll`, the same 0.5.
 */
export function symbolicGenerator(weights: Weights, z: tf.Tensor2D, style: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = z.shape[0];
    const phrase = tf.relu(dense(weights, 'gen/phrase', tf.concat([z, style], 1)));
    const barLatents = tf.relu(dense(weights, 'gen/bars', phrase));
    const barLatent = barLatents.shape[1] / BARS_PER_PHRASE;
    // Rows are (phrase, bar) pairs, bar fastest: each bar sees its phrase's style and its position.
    const bars = tf.concat(
      [
        barLatents.reshape([batch * BARS_PER_PHRASE, barLatent]) as tf.Tensor2D,
        tf.tile(style, [1, BARS_PER_PHRASE]).reshape([batch * BARS_PER_PHRASE, style.shape[1]]) as tf.Tensor2D,
        tf.tile(tf.eye(BARS_PER_PHRASE), [batch, 1]) as tf.Tensor2D,
      ],
      1,
    );
    const barHidden = tf.relu(dense(weights, 'gen/bar', bars));
    const steps = tf.relu(dense(weights, 'gen/steps', barHidden));
    // Rows are now (phrase, bar, step) triples: the step decoder is shared by every step.
    const stepHidden = weights['gen/out/kernel'].shape[0];
    const perStep = steps.reshape([batch * BARS_PER_PHRASE * STEPS_PER_BAR, stepHidden]) as tf.Tensor2D;
    const stepLogits = dense(weights, 'gen/out', perStep).reshape([batch * BARS_PER_PHRASE, STEPS_PER_BAR, ROWS]);
    // The bar's pitch logits are added at every step: a held chord needs no step-by-step agreement.
    const barLogits = dense(weights, 'gen/pitches', barHidden).reshape([batch * BARS_PER_PHRASE, 1, ROWS]);
    return tf.sigmoid(tf.add(stepLogits, barLogits)).reshape([batch, PHRASE_VALUES]) as tf.Tensor2D;
  });
}

/** Critic: rolls [b, PHRASE_VALUES] and style one-hot [b, conditionDim] → scores [b, 1]. */
export function symbolicCritic(weights: Weights, roll: tf.Tensor2D, style: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = roll.shape[0];
    const steps = leakyRelu(dense(weights, 'critic/step', roll.reshape([batch * BARS_PER_PHRASE * STEPS_PER_BAR, ROWS])));
    const perBar = steps.reshape([batch * BARS_PER_PHRASE, STEPS_PER_BAR * steps.shape[1]]) as tf.Tensor2D;
    const bars = leakyRelu(dense(weights, 'critic/bar', perBar));
    const phrase = bars.reshape([batch, BARS_PER_PHRASE * bars.shape[1]]) as tf.Tensor2D;
    const hidden = leakyRelu(dense(weights, 'critic/phrase', tf.concat([phrase, style], 1)));
    return dense(weights, 'critic/out', hidden);
  });
}
