/**
 * WaveGAN's critic (Donahue et al. 2019, table 4), training-only: its weights live in the
 * trainer's resume state, never in a served checkpoint. For a clip of 16·4^L samples, L strided
 * convolutions mirror the generator's L upconvs:
 *
 *   clip [b, N] ─reshape─▶ [b, N, 1]
 *     ─conv_0 (25, stride 4) → lrelu → phase shuffle─▶ [b, N/4, d]
 *     ─conv_1 → lrelu → phase shuffle─▶ [b, N/16, 2d] … ─conv_{L−1} → lrelu─▶ [b, 16, d·2^(L−1)]
 *     ─reshape─▶ [b, 16·d·2^(L−1)] ─dense─▶ score [b, 1]
 *
 * (the paper's 16384 samples: five convs, channels d, 2d, 4d, 8d, 16d). No batch norm (WGAN-GP
 * penalises per-example gradients). Leaky ReLU α = 0.2, written so that its second-order
 * gradient exists (the gradient penalty differentiates the critic twice).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { shapeSize, type NamedWeights } from '../../../server/families/model.js';
import { KERNEL_SIZE, SEED_LENGTH, upconvLayerCount } from '../../../server/families/waveform/wavegan-architecture.js';
import { phaseShuffle } from './phase-shuffle.js';
import { stridedConv1d } from './strided-conv1d.js';

/** The paper's leaky ReLU slope. */
export const LEAKY_SLOPE = 0.2;
/** The paper's phase shuffle radius, in samples. */
export const PHASE_SHUFFLE_RADIUS = 2;

/**
 * max(x, αx) as 0.6·x + 0.4·|x| (for α = 0.2): tfjs' leakyRelu gradient is built on `greater`,
 * which has no gradient of its own, so a second derivative through it fails; |x|'s does not.
 */
export function leakyRelu(x: tf.Tensor, alpha = LEAKY_SLOPE): tf.Tensor {
  return tf.add(tf.mul(x, (1 + alpha) / 2), tf.mul(tf.abs(x), (1 - alpha) / 2));
}

/**
 * Name → shape of the critic's weights: `critic/conv_i/kernel` [25, in, out] (tf.conv1d's
 * layout), `critic/conv_i/bias` [out], `critic/dense/kernel` [16·d·2^(L−1), 1], `critic/dense/bias` [1].
 */
export function criticWeightShapes(d: number, clipSamples: number): Map<string, number[]> {
  const layers = upconvLayerCount(clipSamples);
  const shapes = new Map<string, number[]>();
  for (let i = 0; i < layers; i++) {
    shapes.set(`critic/conv_${i}/kernel`, [KERNEL_SIZE, i === 0 ? 1 : d * 2 ** (i - 1), d * 2 ** i]);
    shapes.set(`critic/conv_${i}/bias`, [d * 2 ** i]);
  }
  shapes.set('critic/dense/kernel', [SEED_LENGTH * d * 2 ** (layers - 1), 1]);
  shapes.set('critic/dense/bias', [1]);
  return shapes;
}

/**
 * Seeded Glorot-uniform kernels (TF's default, as the paper's code) and zero biases. Fans:
 * conv [25, in, out] → 25·in | 25·out; dense [in, out] → in | out.
 */
export function initCriticWeights(options: { d: number; clipSamples: number; seed: number }): NamedWeights {
  const random = mulberry32(options.seed);
  const weights: NamedWeights = new Map();
  for (const [name, shape] of criticWeightShapes(options.d, options.clipSamples)) {
    const data = new Float32Array(shapeSize(shape));
    if (name.endsWith('/kernel')) {
      const [fanIn, fanOut] = shape.length === 2 ? [shape[0], shape[1]] : [shape[0] * shape[1], shape[0] * shape[2]];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * limit;
    }
    weights.set(name, { shape, data });
  }
  return weights;
}

/** The critic's strided convolution: x [b, N, in], kernel [25, in, out] → [b, N/4, out], TF 'same'. */
export type StridedConv = (x: tf.Tensor3D, kernel: tf.Tensor3D) => tf.Tensor3D;

/** tfjs' own conv1d: the fast one on a native backend (tfjs-node), which has every gradient kernel. */
export const nativeStridedConv: StridedConv = (x, kernel) => tf.conv1d(x, kernel, 4, 'same');

/**
 * The critic's scores for clips [b, N] → [b, 1]. `nextShift` gives each phase shuffle its shift
 * (a seeded source in training; `() => 0` to switch phase shuffle off).
 * @param [conv=stridedConv1d] the convolution (the matMul form, or nativeStridedConv: same sums)
 */
export function waveGanCritic(
  weights: Record<string, tf.Tensor>,
  clips: tf.Tensor2D,
  nextShift: () => number,
  conv: StridedConv = stridedConv1d,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, samples] = clips.shape;
    const layers = upconvLayerCount(samples);
    let x = tf.reshape(clips, [batch, samples, 1]) as tf.Tensor3D;
    for (let i = 0; i < layers; i++) {
      const convolved = tf.add(conv(x, weights[`critic/conv_${i}/kernel`] as tf.Tensor3D), weights[`critic/conv_${i}/bias`]);
      x = leakyRelu(convolved) as tf.Tensor3D;
      if (i < layers - 1) x = phaseShuffle(x, nextShift());
    }
    const flat = tf.reshape(x, [batch, x.shape[1] * x.shape[2]]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, weights['critic/dense/kernel'] as tf.Tensor2D), weights['critic/dense/bias']) as tf.Tensor2D;
  });
}
