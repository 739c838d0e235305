/**
 * JitterBuffer without a browser: fill to target before playing, underruns counted and refilled,
 * the oldest audio dropped past the maximum, samples kept in order across the ring's wrap.
 * Run: node --import tsx --test player-web/src/jitter-buffer.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from './jitter-buffer.js';

/** Stereo frames numbered from `first`: left = n, right = -n, so order and channel are both checkable. */
function stereoRamp(first: number, frames: number): Float32Array {
  const samples = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    samples[i * 2] = first + i;
    samples[i * 2 + 1] = -(first + i);
  }
  return samples;
}

function pull(buffer: JitterBuffer, frames: number, outputChannels = 2): Float32Array[] {
  const outputs = Array.from({ length: outputChannels }, () => new Float32Array(frames).fill(99));
  buffer.pull(outputs, frames);
  return outputs;
}

test('stays silent until the target fill, then plays in order', () => {
  const buffer = new JitterBuffer({ channels: 2, targetFrames: 300, maxFrames: 1000 });
  buffer.push(stereoRamp(1, 200));
  const early = pull(buffer, 128);
  assert.deepEqual([...early[0]], new Array(128).fill(0));
  assert.equal(buffer.state, 'filling');
  assert.equal(buffer.bufferedFrames, 200);
  buffer.push(stereoRamp(201, 100));
  const [left, right] = pull(buffer, 128);
  assert.equal(buffer.state, 'playing');
  assert.deepEqual([left[0], left[127], right[0], right[127]], [1, 128, -1, -128]);
  assert.equal(buffer.underruns, 0);
});

test('an empty ring while playing is one underrun: the rest is silence, then it refills to target', () => {
  const buffer = new JitterBuffer({ channels: 2, targetFrames: 100, maxFrames: 1000 });
  buffer.push(stereoRamp(1, 150));
  pull(buffer, 128);
  const [left] = pull(buffer, 128);
  assert.deepEqual([left[0], left[21], left[22], left[127]], [129, 150, 0, 0]);
  assert.equal(buffer.underruns, 1);
  assert.equal(buffer.state, 'filling');
  buffer.push(stereoRamp(151, 50));
  assert.equal(pull(buffer, 16)[0][0], 0, 'below target: still silent');
  buffer.push(stereoRamp(201, 50));
  assert.equal(pull(buffer, 16)[0][0], 151);
  assert.equal(buffer.underruns, 1);
});

test('past the maximum the oldest audio goes and the newest stays, across the ring wrap', () => {
  const buffer = new JitterBuffer({ channels: 2, targetFrames: 10, maxFrames: 100 });
  buffer.push(stereoRamp(1, 70));
  pull(buffer, 50); // read position now mid-ring, so the next pushes wrap
  buffer.push(stereoRamp(71, 70)); // 90 buffered
  buffer.push(stereoRamp(141, 30)); // 120 would be buffered: 20 dropped
  assert.equal(buffer.bufferedFrames, 100);
  assert.equal(buffer.droppedFrames, 20);
  const [left, right] = pull(buffer, 100);
  assert.deepEqual([left[0], left[99], right[99]], [71, 170, -170]);
  for (let i = 1; i < 100; i++) assert.equal(left[i], left[i - 1] + 1, `frame ${i} out of order`);
});

test('one push larger than the ring keeps only its newest frames', () => {
  const buffer = new JitterBuffer({ channels: 2, targetFrames: 10, maxFrames: 100 });
  buffer.push(stereoRamp(1, 250));
  assert.equal(buffer.bufferedFrames, 100);
  assert.equal(buffer.droppedFrames, 150);
  assert.equal(pull(buffer, 1)[0][0], 151);
});

test('a mono stream plays on both output channels', () => {
  const buffer = new JitterBuffer({ channels: 1, targetFrames: 4, maxFrames: 16 });
  buffer.push(Float32Array.from([0.1, 0.2, 0.3, 0.4]));
  const [left, right] = pull(buffer, 4);
  assert.deepEqual([...right], [...left]);
  assert.ok(Math.abs(left[3] - 0.4) < 1e-6);
});

test('options that cannot work are refused, naming the option', () => {
  assert.throws(() => new JitterBuffer({ channels: 0, targetFrames: 1, maxFrames: 2 }), /channels/);
  assert.throws(() => new JitterBuffer({ channels: 2, targetFrames: 5, maxFrames: 2 }), /targetFrames/);
});
