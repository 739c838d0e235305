/**
 * The WaveGAN generator (Donahue et al., ICLR 2019) as one tfjs function over named weight
 * tensors. No tf.layers: the weights are plain tensors, so inference passes constants and a
 * trainer passes tf.variables to the very same function. The layout (names, shapes, sizes) lives
 * in wavegan-architecture.ts, which this module re-exports.
 *
 * Shapes are channels-last: [batch, length, channels]. Each upsampling runs as tf.conv2dTranspose
 * on [batch, 1, length, channels] with a [1, 25, out, in] filter (the stored [25, out, in] kernel
 * with a height-1 axis in front). families/tfjs-weights.ts turns stored weights into the tensors.
 * A trainer may pass its own implementation of that same transposed convolution (`Upsample`),
 * e.g. one whose gradient runs fast where tfjs' own is slow; the layers around it stay these.
 */
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../../core/errors.js';
import { SEED_LENGTH, STRIDE } from './wavegan-architecture.js';

export {
  CLIP_SAMPLES,
  CLIP_SAMPLES_CHOICES,
  DEFAULT_LATENT_DIM,
  DEFAULT_MODEL_DIM,
  initWaveGanWeights,
  waveGanWeightShapes,
  type NamedTensor,
  type WaveGanWeights,
} from './wavegan-architecture.js';

/**
 * One transposed convolution, kernel 25, stride 4, TF 'same' padding: x [batch, length, in] and
 * the stored kernel [25, out, in] → [batch, 4·length, out] (no bias).
 */
export type Upsample = (x: tf.Tensor3D, kernel: tf.Tensor3D) => tf.Tensor3D;

/** tfjs' own transposed convolution: what the server runs. */
export const conv2dTransposeUpsample: Upsample = (x, kernel) => {
  const [batch, length, inChannels] = x.shape;
  const [taps, outChannels] = kernel.shape;
  const upsampled = tf.conv2dTranspose(
    tf.reshape(x, [batch, 1, length, inChannels]) as tf.Tensor4D,
    tf.reshape(kernel, [1, taps, outChannels, inChannels]) as tf.Tensor4D,
    [batch, 1, length * STRIDE, outChannels],
    [1, STRIDE],
    'same',
  );
  return tf.reshape(upsampled, [batch, length * STRIDE, outChannels]);
};

/**
 * Runs the generator: z [batch, latentDim] → audio [batch, clipSamples] in [-1, 1], with as many
 * upconvs as `weights` holds (clipSamples = 16·4^L).
 *
 * Transposed convolution, 'same' padding (TF's rule, which tfjs and the ONNX export follow):
 * the full transposed output of length L with kernel 25 and stride 4 is (L − 1)·4 + 25 = 4L + 21
 * samples long; 'same' keeps 4L of them and crops the 21 extra ones as floor(21/2) = 10 at the
 * start and 11 at the end. Output sample o therefore sums x[i]·w[k] over all i, k with
 * 4i + k − 10 = o. The ONNX export computes the same sums in polyphase form (onnx-export.ts).
 *
 * @param weights tensors named as in `waveGanWeightShapes` (constants or tf.variables).
 * @param z latent vectors, one row per clip.
 * @param [upsample=conv2dTransposeUpsample] the transposed convolution (a trainer's own must
 *   compute the same sums).
 */
export function waveGanForward(
  weights: Record<string, tf.Tensor>,
  z: tf.Tensor2D,
  upsample: Upsample = conv2dTransposeUpsample,
): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = z.shape[0];
    const dense: tf.Tensor2D = tf.add(tf.matMul(z, weight(weights, 'dense/kernel')), weight(weights, 'dense/bias'));
    const channels = dense.shape[1] / SEED_LENGTH;
    let x: tf.Tensor3D = tf.relu(tf.reshape(dense, [batch, SEED_LENGTH, channels]));
    const layers = upconvCount(weights);
    for (let i = 0; i < layers; i++) {
      const biased = tf.add(
        upsample(x, weight(weights, `upconv_${i}/kernel`) as tf.Tensor3D),
        weight(weights, `upconv_${i}/bias`),
      ) as tf.Tensor3D;
      x = i < layers - 1 ? tf.relu(biased) : tf.tanh(biased);
    }
    return tf.reshape(x, [batch, x.shape[1]]);
  });
}

/** Upconvs in `weights`: upconv_0 … upconv_{L−1}. */
function upconvCount(weights: Record<string, tf.Tensor>): number {
  let layers = 0;
  while (weights[`upconv_${layers}/kernel`]) layers++;
  if (layers === 0) weight(weights, 'upconv_0/kernel');
  return layers;
}

function weight(weights: Record<string, tf.Tensor>, name: string): tf.Tensor {
  const tensor = weights[name];
  if (!tensor) throw new WavecastError('WAVECAST_ERR_MODEL_SHAPE', `WaveGAN weight "${name}" is missing`);
  return tensor;
}
