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
      return {
        a: () => tf.matMul(grad, tf.transpose(b as tf.Tensor2D)),
        b: () => tf.matMul(tf.transpose(a as tf.Tensor2D), grad),
      };
    },
  });
}
