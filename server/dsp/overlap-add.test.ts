import assert from 'node:assert/strict';
import test from 'node:test';
import { OverlapAdd } from './overlap-add.js';

test('a tail sums into the next bar and the bars keep their exact lengths', () => {
  const ola = new OverlapAdd(1);
  ola.add(Float32Array.from([1, 1, 1, 1, 0.5, 0.25])); // a bar of 4 plus a tail of 2
  assert.deepEqual([...ola.take(4)], [1, 1, 1, 1]);
  assert.equal(ola.pending, 2);
  ola.add(Float32Array.from([2, 2, 2, 2]));
  assert.deepEqual([...ola.take(4)], [2.5, 2.25, 2, 2]);
  assert.equal(ola.pending, 0);
});

test('stereo frames stay interleaved; taking past the sum gives silence', () => {
  const ola = new OverlapAdd(2);
  ola.add(Float32Array.from([1, -1, 2, -2, 3, -3]));
  assert.deepEqual([...ola.take(2)], [1, -1, 2, -2]);
  ola.add(Float32Array.from([10, -10]));
  assert.deepEqual([...ola.take(3)], [13, -13, 0, 0, 0, 0]);
});

test('a render that is not whole frames is refused with the counts', () => {
  assert.throws(() => new OverlapAdd(2).add(new Float32Array(3)), /3 samples is not whole 2-channel frames/);
});

test('long runs reuse the buffer and stay sample-exact', () => {
  const ola = new OverlapAdd(1);
  for (let bar = 0; bar < 200; bar++) {
    ola.add(new Float32Array(150).fill(1)); // 100 frames of bar, 50 of tail
    const out = ola.take(100);
    const overlapped = bar === 0 ? 1 : 2; // the previous bar's tail sums into the first 50 frames
    assert.equal(out[0], overlapped);
    assert.equal(out[49], overlapped);
    assert.equal(out[50], 1);
    assert.equal(out[99], 1);
    assert.equal(ola.pending, 50);
  }
});
