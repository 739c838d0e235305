/**
 * Re-registers tfjs's BatchMatMul gradient with explicit transposes.
 *
 * The stock gradient of y = a·b is dA = dy·bᵀ and dB = aᵀ·dy, computed as matMul with the
 * transposeA/transposeB flags. On the wasm backend those flags take a slow path: measured here,
 * [256×512]ᵀ·[256×1296] takes 270–330 ms with the flag and 30 ms (transpose) + 35 ms (matMul)
 * without, and a WGAN-GP critic step went from 800 ms to 180 ms. The result is the same sums, and
 * the gradient stays made of differentiable ops, so the gradient penalty's second-order gradient
 * goes through it too.
 *
 * Of the two ways to write each product with one explicit transpose, the one that copies fewer
 * values is taken: dB = aᵀ·dy transposes a, or, where a is much larger than dy (an im2col matrix
 * [rows, 28·channels] against dy [rows, out], in the WaveGAN trainer), it is (dyᵀ·a)ᵀ, which
 * transposes dy and the small result instead. Likewise dA = dy·bᵀ or (b·dyᵀ)ᵀ.
 *
 * Call once before training. It only serves untransposed rank-2 products (all the symbolic
 * model uses) and throws for anything else rather than silently mis-differentiating.
 */
import * as tf from '@tensorflow/tfjs';

let registered = false;

export function usePlainMatMulGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (transposeA || transposeB || a.rank !== 2 || b.rank !== 2) {
        throw new Error('usePlainMatMulGradient: only untransposed rank-2 matMul is supported');
      }
      const grad = dy as tf.Tensor2D;
      const [rows, inner] = a.shape as [number, number];
      const columns = (b.shape as [number, number])[1];
      return {
        a: () =>
          inner * columns <= rows * columns + rows * inner
            ? tf.matMul(grad, tf.transpose(b as tf.Tensor2D))
            : tf.transpose(tf.matMul(b as tf.Tensor2D, tf.transpose(grad))),
        b: () =>
          rows * inner <= rows * columns + inner * columns
            ? tf.matMul(tf.transpose(a as tf.Tensor2D), grad)
            : tf.transpose(tf.matMul(tf.transpose(grad), a as tf.Tensor2D)),
      };
    },
  });
}
