/**
 * The generator's transposed convolution (kernel 25, stride 4, TF 'same' crop) for training, as
 * im2col + one matMul in polyphase form (see `polyphaseTap` in wavegan-architecture.ts, which the
 * ONNX export uses too). It computes the sums `tf.conv2dTranspose` computes for the server
 * (the test holds the two to 1e-5), from ops whose gradients every tfjs backend runs fast:
 * tfjs-wasm differentiates conv2dTranspose through a Conv2D plus a Conv2DBackpropFilter it lacks.
 *
 *   x [b, L, in] ─pad 3 | 3─▶ for offset j = −3 … +3: slice [b, L, in], matMul [in, 4·out] ─addN─▶
 *     [b, L, 4·out] ─reshape─▶ [b, 4L, out]   (phase p of sample n → 4n + p)
 *
 * The seven [in, 4·out] matrices are made from the stored [25, out, in] kernel by a constant 0/1
 * selection (a matMul, so the kernel's gradient is an ordinary matMul gradient too). Seven
 * matMuls summed rather than one im2col matrix: a concat along channels and its gradient (a
 * split along channels) are strided copies, slow on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import {
  KERNEL_SIZE,
  POLYPHASE_FIRST_OFFSET,
  POLYPHASE_LAST_OFFSET,
  POLYPHASE_TAPS,
  STRIDE,
  polyphaseTap,
} from '../../../server/families/waveform/wavegan-architecture.js';
import type { Upsample } from '../../../server/families/waveform/wavegan-model.js';

/** [POLYPHASE_TAPS·STRIDE, KERNEL_SIZE]: row (j, p) picks the tap phase p reads at offset j. */
const SELECTION = (() => {
  const rows = new Float32Array(POLYPHASE_TAPS * STRIDE * KERNEL_SIZE);
  for (let j = 0; j < POLYPHASE_TAPS; j++) {
    for (let p = 0; p < STRIDE; p++) {
      const tap = polyphaseTap(p, j);
      if (tap >= 0) rows[(j * STRIDE + p) * KERNEL_SIZE + tap] = 1;
    }
  }
  return rows;
})();

/**
 * `Upsample` for waveGanForward: the same transposed convolution as tfjs' conv2dTranspose.
 * @example waveGanForward(variables, z, polyphaseUpsample)
 */
export const polyphaseUpsample: Upsample = (x, kernel) =>
  tf.tidy(() => {
    const [batch, length, inChannels] = x.shape;
    const [, outChannels] = kernel.shape;
    const padded = tf.pad(x, [[0, 0], [-POLYPHASE_FIRST_OFFSET, POLYPHASE_LAST_OFFSET], [0, 0]]);
    const selected = tf.matMul(
      tf.tensor2d(SELECTION, [POLYPHASE_TAPS * STRIDE, KERNEL_SIZE]),
      tf.reshape(kernel, [KERNEL_SIZE, outChannels * inChannels]) as tf.Tensor2D,
    );
    // [j, p, out, in] → [j, in, p, out]: one [in, 4·out] matrix per offset j.
    const matrices = tf.transpose(tf.reshape(selected, [POLYPHASE_TAPS, STRIDE, outChannels, inChannels]), [0, 3, 1, 2]);
    const product = tf.addN(
      Array.from({ length: POLYPHASE_TAPS }, (_, j) =>
        tf.matMul(
          tf.reshape(tf.slice(padded, [0, j, 0], [batch, length, inChannels]), [batch * length, inChannels]) as tf.Tensor2D,
          tf.reshape(tf.slice(matrices, [j, 0, 0, 0], [1, inChannels, STRIDE, outChannels]), [inChannels, STRIDE * outChannels]) as tf.Tensor2D,
        ),
      ),
    );
    return tf.reshape(product, [batch, length * STRIDE, outChannels]);
  });
