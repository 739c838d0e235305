/**
 * The symbolic model's forward passes in tfjs, as plain functions of named weight tensors: the
 * server passes constants, the trainers pass tf.variables to the very same functions. The layout
 * lives in symbolic-architecture.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { BARS_PER_PHRASE, PHRASE_VALUES, STEP_VALUES, STEPS_PER_BAR } from './piano-roll.js';

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

/** Code generator: z [b, latentDim] and condition [b, style ⊕ role ⊕ previous code] → code [b, codeDim] in (−1, 1). */
export function codeGenerator(weights: Weights, z: tf.Tensor2D, condition: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const skip = weights['gen/skip/kernel'] as tf.Tensor2D;
    const codeDim = skip.shape[0];
    const previous = tf.slice(condition, [0, condition.shape[1] - codeDim], [-1, codeDim]);
    const h1 = tf.relu(dense(weights, 'gen/map1', tf.concat([z, condition], 1)));
    const h2 = tf.relu(dense(weights, 'gen/map2', h1));
    // The previous code goes back through the tanh (atanh), so with the skip at its identity start
    // the generator repeats the previous phrase and learns how the next one differs from it.
    const carried = tf.atanh(tf.clipByValue(previous, -0.995, 0.995));
    return tf.tanh(tf.add(dense(weights, 'gen/code', h2), tf.matMul(carried, skip))) as tf.Tensor2D;
  });
}

/**
 * Phrase decoder: codes [b, codeDim] → logits [b, PHRASE_VALUES], step-major (piano-roll.ts); a
 * sigmoid makes them onset and hold probabilities and velocities. Training takes the logits (a
 * cross-entropy on logits is stable where one on probabilities is not).
 */
export function phraseDecoderLogits(weights: Weights, code: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = code.shape[0];
    const phrase = tf.relu(dense(weights, 'dec/phrase', code));
    const barLatents = tf.relu(dense(weights, 'dec/bars', phrase));
    const barLatent = barLatents.shape[1] / BARS_PER_PHRASE;
    // Rows are (phrase, bar) pairs, bar fastest: each bar sees its latent and its position.
    const bars = tf.concat(
      [barLatents.reshape([batch * BARS_PER_PHRASE, barLatent]) as tf.Tensor2D, tf.tile(tf.eye(BARS_PER_PHRASE), [batch, 1]) as tf.Tensor2D],
      1,
    );
    const barHidden = tf.relu(dense(weights, 'dec/bar', bars));
    const steps = tf.relu(dense(weights, 'dec/steps', barHidden));
    // Rows are now (phrase, bar, step) triples: the step decoder is shared by every step.
    const stepHidden = weights['dec/out/kernel'].shape[0];
    const perStep = steps.reshape([batch * BARS_PER_PHRASE * STEPS_PER_BAR, stepHidden]) as tf.Tensor2D;
    const stepLogits = dense(weights, 'dec/out', perStep).reshape([batch * BARS_PER_PHRASE, STEPS_PER_BAR, STEP_VALUES]);
    // The bar's pitch logits are added at every step: a held chord needs no step-by-step agreement.
    const barLogits = dense(weights, 'dec/pitches', barHidden).reshape([batch * BARS_PER_PHRASE, 1, STEP_VALUES]);
    return tf.add(stepLogits, barLogits).reshape([batch, PHRASE_VALUES]) as tf.Tensor2D;
  });
}

/** Phrase encoder (training): rolls [b, PHRASE_VALUES] → codes [b, codeDim] in (−1, 1). */
export function phraseEncoder(weights: Weights, roll: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = roll.shape[0];
    const steps = leakyRelu(dense(weights, 'enc/step', roll.reshape([batch * BARS_PER_PHRASE * STEPS_PER_BAR, STEP_VALUES])));
    const bars = leakyRelu(dense(weights, 'enc/bar', steps.reshape([batch * BARS_PER_PHRASE, STEPS_PER_BAR * steps.shape[1]])));
    return tf.tanh(dense(weights, 'enc/code', bars.reshape([batch, BARS_PER_PHRASE * bars.shape[1]])));
  });
}

/** Code critic (training): codes [b, codeDim] and their condition → scores [b, 1]. */
export function codeCritic(weights: Weights, code: tf.Tensor2D, condition: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const h1 = leakyRelu(dense(weights, 'critic/1', tf.concat([code, condition], 1)));
    const h2 = leakyRelu(dense(weights, 'critic/2', h1));
    return dense(weights, 'critic/out', h2);
  });
}

/**
 * What the server runs: inputs [b, latentDim + condition] → [b, PHRASE_VALUES + codeDim], the
 * phrase's probabilities followed by its code (the next phrase's "previous code").
 */
export function symbolicForward(weights: Weights, inputs: tf.Tensor2D, latentDim: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [z, condition] = tf.split(inputs, [latentDim, inputs.shape[1] - latentDim], 1) as [tf.Tensor2D, tf.Tensor2D];
    const code = codeGenerator(weights, z, condition);
    return tf.concat([tf.sigmoid(phraseDecoderLogits(weights, code)), code], 1);
  });
}

/** Splits one served output into its phrase and its code. */
export function splitOutput(output: Float32Array): { phrase: Float32Array; code: Float32Array } {
  return { phrase: output.subarray(0, PHRASE_VALUES), code: output.subarray(PHRASE_VALUES) };
}
