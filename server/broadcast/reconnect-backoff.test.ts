import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconnectDelay } from './reconnect-backoff.js';

const limits = { min: 1, max: 30 };

test('the delay doubles with each failure from min and stops at max', () => {
  const middle = () => 0.5; // no jitter
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map((n) => reconnectDelay(n, limits, middle)), [1, 2, 4, 8, 16, 30, 30, 30]);
  assert.equal(reconnectDelay(0, limits, middle), 1, 'no failure yet still waits min');
});

test('jitter moves a delay by up to 20 % but never outside [min, max]', () => {
  assert.equal(reconnectDelay(4, limits, () => 0), 8 * 0.8);
  assert.ok(Math.abs(reconnectDelay(4, limits, () => 0.999999) - 8 * 1.2) < 1e-4);
  assert.equal(reconnectDelay(1, limits, () => 0), 1, 'not below min');
  assert.equal(reconnectDelay(20, limits, () => 0.999999), 30, 'not above max');
  const spread = new Set(Array.from({ length: 20 }, () => reconnectDelay(3, limits)));
  assert.ok(spread.size > 1, 'Math.random by default: clients spread out');
});
