import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveBuffer } from './live-buffer.js';

/** Frames numbered 0, 1, 2 … in both channels. */
const counting = (from: number, frames: number) => Float32Array.from({ length: frames * 2 }, (_, i) => from + Math.floor(i / 2));

function readAll(buffer: LiveBuffer, frames: number, block = 64): number[] {
  const out = new Float32Array(block * 2);
  const seen: number[] = [];
  for (let left = frames; left > 0; ) {
    const got = buffer.read(out, Math.min(block, left));
    if (got === 0) break;
    for (let f = 0; f < got; f++) seen.push(out[2 * f]);
    left -= got;
  }
  return seen;
}

test('reads back what was pushed, in order, across chunks of any size', () => {
  const buffer = new LiveBuffer({ target: 10_000, driftBand: 10_000, capacity: 100_000 });
  buffer.push(counting(0, 100));
  buffer.push(counting(100, 7));
  buffer.push(counting(107, 300));
  assert.equal(buffer.available(), 407);
  assert.deepEqual(readAll(buffer, 500, 33), Array.from({ length: 407 }, (_, i) => i));
  assert.equal(buffer.available(), 0);
});

test('drift: one frame in 1000 is dropped while too full, repeated while too empty, nothing inside the band', () => {
  const full = new LiveBuffer({ target: 1000, driftBand: 500, capacity: 1e6 });
  full.push(counting(0, 10_000));
  const seen = readAll(full, 5000);
  assert.equal(full.corrections.dropped, 4);
  assert.equal(seen.at(-1), 5003, 'a frame skipped after each 1000 read');
  const low = new LiveBuffer({ target: 100_000, driftBand: 500, capacity: 1e6 });
  low.push(counting(0, 10_000));
  const slow = readAll(low, 5000);
  assert.equal(low.corrections.repeated, 4);
  assert.equal(slow.at(-1), 4995);
  const steady = new LiveBuffer({ target: 10_000, driftBand: 5_000, capacity: 1e6 });
  steady.push(counting(0, 10_000));
  readAll(steady, 4000);
  assert.deepEqual(steady.corrections, { dropped: 0, repeated: 0, overflow: 0 });
});

test('bounded: the oldest audio goes past the capacity, and trimTo keeps the newest', () => {
  const buffer = new LiveBuffer({ target: 100, driftBand: 1e6, capacity: 1000 });
  buffer.push(counting(0, 800));
  buffer.push(counting(800, 800));
  assert.equal(buffer.available(), 1000);
  assert.equal(buffer.corrections.overflow, 600);
  buffer.trimTo(250);
  assert.deepEqual(readAll(buffer, 3), [1350, 1351, 1352]);
  buffer.close();
  assert.ok(buffer.closed);
  assert.equal(buffer.available(), 247, 'a closed buffer still plays its tail');
});
