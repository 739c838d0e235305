/**
 * The critic's strided 1-D convolution (kernel 25, stride 4, TF 'same' padding) written as
 * matMuls over shifted windows, from ops that every tfjs backend runs and differentiates: pad,
 * reshape, slice, matMul, addN. tfjs-wasm has no Conv2DBackpropFilter kernel, and tfjs' plain-JS
 * conv took 438 s for one WGAN-GP critic step at d=16; the gradient penalty also differentiates
 * the critic twice, and every op here has a second-order gradient (slice ↔ pad, matMul, addN).
 *
 *   x [b, N, in] ─pad 10 | 14─▶ [b, N + 24, in] ─reshape─▶ [b, N/4 + 6, 4·in]   (taps 4q … 4q + 3 of
 *     output n sit in row n + q) ─ for q = 0 … 6: slice rows q … q + N/4 − 1, matMul kernel taps
 *     4q … 4q + 3 [4·in, out] ─ addN─▶ [b, N/4, out]   (kernel taps 25 … 27 are zero)
 *
 * Seven matMuls summed rather than one im2col matrix: the im2col concat along channels, and its
 * gradient (a split along channels), were strided copies that took a third of a wasm step.
 */
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../../../server/core/errors.js';

/**
 * y[n] = Σ_k x[s·n + k − padStart] · kernel[k], with TF's 'same' padding (output ⌈N/s⌉, the
 * (out − 1)·s + K − N padding split floor | ceil): what `tf.conv1d(x, kernel, stride, 'same')`
 * computes, faster and with gradients on every backend.
 *
 * @param x [batch, length, inChannels]; length must be a multiple of `stride`.
 * @param kernel [taps, inChannels, outChannels] (tf.conv1d's filter layout).
 * @param [stride=4]
 * @example
 * const y = stridedConv1d(clips.reshape([b, 4096, 1]), kernel); // [b, 1024, out]
 */
export function stridedConv1d(x: tf.Tensor3D, kernel: tf.Tensor3D, stride = 4): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, inChannels] = x.shape;
    const [taps, kernelIn, outChannels] = kernel.shape;
    if (length % stride !== 0 || kernelIn !== inChannels) {
      throw new WavecastError(
        'WAVECAST_ERR_MODEL_SHAPE',
        `stridedConv1d: input [${x.shape}] needs a length that is a multiple of ${stride} and ${kernelIn} channels`,
      );
    }
    const outLength = length / stride;
    const windows = Math.ceil(taps / stride);
    const padStart = Math.floor(Math.max((outLength - 1) * stride + taps - length, 0) / 2);
    const paddedLength = stride * (outLength + windows - 1);
    const padded = tf.pad(x, [[0, 0], [padStart, paddedLength - length - padStart], [0, 0]]);
    const framed = tf.reshape(padded, [batch, outLength + windows - 1, stride * inChannels]);
    const taps4 = tf.reshape(tf.pad(kernel, [[0, windows * stride - taps], [0, 0], [0, 0]]), [windows, stride * inChannels, outChannels]);
    const product = tf.addN(
      Array.from({ length: windows }, (_, q) =>
        tf.matMul(
          tf.reshape(tf.slice(framed, [0, q, 0], [batch, outLength, stride * inChannels]), [batch * outLength, stride * inChannels]) as tf.Tensor2D,
          tf.reshape(tf.slice(taps4, [q, 0, 0], [1, stride * inChannels, outChannels]), [stride * inChannels, outChannels]) as tf.Tensor2D,
        ),
      ),
    );
    return tf.reshape(product, [batch, outLength, outChannels]);
  });
}
