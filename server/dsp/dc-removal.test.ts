import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { removeDc } from './dc-removal.js';

function mean(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample;
  return sum / samples.length;
}

test('removeDc leaves a zero-mean clip with the same shape', () => {
  const clip = new Float32Array(16384);
  for (let i = 0; i < clip.length; i++) clip[i] = 0.4 + 0.3 * Math.sin(i * 0.01) + (i % 7) * 0.01;
  const centred = removeDc(clip);
  assert.notEqual(centred, clip);
  assert.ok(Math.abs(mean(centred)) < 1e-6, `mean ${mean(centred)}`);
  const offset = clip[0] - centred[0];
  assert.ok(Math.abs(offset - mean(clip)) < 1e-6);
  for (let i = 0; i < clip.length; i++) assert.ok(Math.abs(clip[i] - centred[i] - offset) < 1e-6);
});

test('removeDc writes into a caller buffer, in place too', () => {
  const clip = Float32Array.from([1, 2, 3, 6]);
  const out = new Float32Array(6).fill(9);
  assert.equal(removeDc(clip, out), out);
  assert.deepEqual(Array.from(out), [-2, -1, 0, 3, 9, 9]);
  assert.equal(removeDc(clip, clip), clip);
  assert.deepEqual(Array.from(clip), [-2, -1, 0, 3]);
});

test('removeDc accepts an empty clip and rejects a short output', () => {
  assert.equal(removeDc(new Float32Array(0)).length, 0);
  assert.throws(() => removeDc(new Float32Array(4), new Float32Array(3)), (error) =>
    hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
});
