import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatentWalk, slerp } from './latent-walk.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const distance = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));

test('slerp keeps the norm of equal-norm endpoints (linear interpolation would shrink it)', () => {
  const a = new Float32Array([1, 0, 0]);
  const b = new Float32Array([0, 1, 0]);
  const mid = slerp(a, b, 0.5, new Float32Array(3));
  assert.ok(Math.abs(norm(mid) - 1) < 1e-6, `norm ${norm(mid)}`);
  assert.deepEqual([...slerp(a, b, 0, new Float32Array(3))], [1, 0, 0]);
  assert.ok(distance(slerp(a, b, 1, new Float32Array(3)), b) < 1e-6);
});

test('consecutive latents are close at low variation and far at high variation', () => {
  const meanStep = (variation: number) => {
    const walk = new LatentWalk({ dim: 100, variation, seed: 7 });
    let previous = walk.next();
    let total = 0;
    for (let i = 0; i < 40; i++) {
      const current = walk.next();
      total += distance(previous, current);
      previous = current;
    }
    return total / 40;
  };
  const slow = meanStep(0.05);
  const fast = meanStep(1);
  assert.ok(slow * 5 < fast, `slow ${slow} fast ${fast}`);
});

test('the walk never repeats a latent and keeps Gaussian-like norms (≈ √dim)', () => {
  const walk = new LatentWalk({ dim: 100, variation: 0.3, seed: 1 });
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const z = walk.next();
    const key = Array.from(z.slice(0, 4)).join(',');
    assert.ok(!seen.has(key), `latent ${i} repeats`);
    seen.add(key);
    assert.ok(norm(z) > 6 && norm(z) < 14, `norm ${norm(z)}`);
  }
});

test('the same seed gives the same walk; variation 0 holds still', () => {
  const a = new LatentWalk({ dim: 8, variation: 0.5, seed: 3 });
  const b = new LatentWalk({ dim: 8, variation: 0.5, seed: 3 });
  for (let i = 0; i < 5; i++) assert.deepEqual(a.next(), b.next());
  const still = new LatentWalk({ dim: 8, variation: 0, seed: 3 });
  assert.deepEqual(still.next(), still.next());
  assert.throws(() => new LatentWalk({ dim: 8, variation: Number.NaN }), /variation must be a number/);
});
