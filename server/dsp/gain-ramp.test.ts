import assert from 'node:assert/strict';
import test from 'node:test';
import { rampGain } from './gain-ramp.js';

test('the gain moves linearly across the block and reaches the new level on its last frame', () => {
  const frames = new Float32Array(8).fill(1); // 4 stereo frames
  rampGain(frames, 2, 1, 0.5);
  assert.deepEqual([...frames], [0.875, 0.875, 0.75, 0.75, 0.625, 0.625, 0.5, 0.5]);
});

test('a steady gain scales every frame alike; unity leaves the block as it is', () => {
  const frames = Float32Array.of(0.5, -0.5, 1);
  rampGain(frames, 1, 0.5, 0.5);
  assert.deepEqual([...frames], [0.25, -0.25, 0.5]);
  const untouched = Float32Array.of(0.3, 0.7);
  rampGain(untouched, 2, 1, 1);
  assert.deepEqual([...untouched], [Math.fround(0.3), Math.fround(0.7)]);
});
