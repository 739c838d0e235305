import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, spread } from './percentiles.js';

test('nearest-rank percentiles', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile(sorted, 100), 100);
  assert.equal(percentile([7], 1), 7);
  assert.deepEqual(spread([3, 1, 2]), { min: 1, p1: 1, p50: 2, p90: 3, p99: 3, max: 3 });
  assert.ok(Number.isNaN(spread([]).p50));
});
