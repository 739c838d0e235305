import assert from 'node:assert/strict';
import test from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { usePlainMatMulGradient } from './plain-matmul-gradient.js';
import { WganGp } from './wgan-gp.js';

await tf.setBackend('cpu');

test('the plain matMul gradient equals the analytic one, to second order', () => {
  usePlainMatMulGradient();
  const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = tf.tensor2d([[1, 0], [0, 1], [2, -1]]);
  // f = sum((a·b)²): df/da = 2(a·b)·bᵀ, df/db = 2aᵀ·(a·b)
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))))([a, b]);
  const ab = tf.matMul(a, b);
  assert.deepEqual(ga.arraySync(), tf.mul(2, tf.matMul(ab, b.transpose())).arraySync());
  assert.deepEqual(gb.arraySync(), tf.mul(2, tf.matMul(a.transpose(), ab)).arraySync());
  // Second order through it: d/da of sum(d/da sum(a·b)) is zero (linear in a).
  const second = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.square(tf.matMul(y as tf.Tensor2D, b))))(x)))(a);
  // ∂/∂a Σ 2(a·b)·bᵀ = 2 · 1·(b·bᵀ) summed per row: every row equals 2 · colsum(b·bᵀ)
  const bbT = tf.matMul(b, b.transpose());
  const expected = tf.tile(tf.mul(2, tf.sum(bbT, 0)).reshape([1, 3]), [2, 1]);
  assert.deepEqual(second.arraySync(), expected.arraySync());
});

test('the gradient penalty of a linear critic w·x is (‖w‖ − 1)², whatever the inputs', () => {
  // w = (2, 0): ‖∇D‖ = 2 everywhere, so the penalty is exactly 1.
  const w = tf.variable(tf.tensor2d([[2], [0]]), true, 'gp-test/w');
  const gan = new WganGp(
    {
      generator: (_v, z) => tf.add(z, 0) as tf.Tensor2D,
      critic: (v, x) => tf.matMul(x, v.w as unknown as tf.Tensor2D),
      generatorVariables: {},
      criticVariables: { w },
    },
    { learningRate: 0 },
  );
  const real = tf.tensor2d([[1, 1], [3, -2]]);
  const z = tf.tensor2d([[0, 5], [-1, 0]]);
  const result = gan.criticStep(real, tf.zeros([2, 1]), z, 7);
  assert.ok(Math.abs(result.gradientPenalty - 1) < 1e-5, `penalty ${result.gradientPenalty}`);
  // W = mean(D(real)) − mean(D(fake)) = mean(2, 6) − mean(0, −2) = 5
  assert.ok(Math.abs(result.wasserstein - 5) < 1e-5, `wasserstein ${result.wasserstein}`);
  assert.ok(Math.abs(result.criticLoss - (-5 + 10 * 1)) < 1e-4, `loss ${result.criticLoss}`);
  gan.dispose();
});
