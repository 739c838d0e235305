/**
 * The symbolic GAN's forward passes in tfjs, as plain functions of named weight tensors: the
 * server passes constants, the trainer passes tf.variables to the very same functions. The layout
 * lives in symbolic-architecture.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { BAR_VALUES, BARS_PER_PHRASE, PHRASE_VALUES } from './piano-roll.js';

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
 * Generator: z [b, latentDim] and style one-hot [b, conditionDim] → piano-roll probabilities
 * [b, PHRASE_VALUES] (step-major, see piano-roll.ts).
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
    const hidden = tf.relu(dense(weights, 'gen/bar2', tf.relu(dense(weights, 'gen/bar', bars))));
    return tf.sigmoid(dense(weights, 'gen/out', hidden)).reshape([batch, PHRASE_VALUES]) as tf.Tensor2D;
  });
}

/** Critic: rolls [b, PHRASE_VALUES] and style one-hot [b, conditionDim] → scores [b, 1]. */
export function symbolicCritic(weights: Weights, roll: tf.Tensor2D, style: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = roll.shape[0];
    const bars = leakyRelu(dense(weights, 'critic/bar', roll.reshape([batch * BARS_PER_PHRASE, BAR_VALUES])));
    const phrase = bars.reshape([batch, BARS_PER_PHRASE * bars.shape[1]]) as tf.Tensor2D;
    const hidden = leakyRelu(dense(weights, 'critic/phrase', tf.concat([phrase, style], 1)));
    return dense(weights, 'critic/out', hidden);
  });
}
