import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { phaseShuffle, shiftSource } from './phase-shuffle.js';

await tf.setBackend('cpu');

const x = tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7], [1, 8, 1]);

test('shifts in time with reflection at the edge (the paper\'s reflect padding)', () => {
  assert.deepEqual(phaseShuffle(x, 2).dataSync(), Float32Array.from([2, 1, 0, 1, 2, 3, 4, 5]));
  assert.deepEqual(phaseShuffle(x, -2).dataSync(), Float32Array.from([2, 3, 4, 5, 6, 7, 6, 5]));
  assert.deepEqual(phaseShuffle(x, 0).dataSync(), x.dataSync());
});

test('its gradient sends each output\'s gradient back to the sample it came from (tf.mirrorPad\'s would not)', () => {
  const weights = tf.tensor3d([1, 10, 100, 1000, 0, 0, 0, 0], [1, 8, 1]);
  const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(phaseShuffle(input as tf.Tensor3D, 2), weights)))(x);
  // y0 = x2, y1 = x1, y2 = x0, y3 = x1: dx0 = 100, dx1 = 10 + 1000, dx2 = 1.
  assert.deepEqual(gradient.dataSync(), Float32Array.from([100, 1010, 1, 0, 0, 0, 0, 0]));
});

test('shifts are uniform over −radius … radius', () => {
  const next = shiftSource(2, mulberry32(5));
  const counts = new Map<number, number>();
  for (let i = 0; i < 5000; i++) {
    const shift = next();
    counts.set(shift, (counts.get(shift) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  for (const count of counts.values()) assert.ok(Math.abs(count - 1000) < 120, `count ${count}`);
});
