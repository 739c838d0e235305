import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixCrossfade } from './crossfade-mix.js';

const constant = (value: number, frames: number, channels = 2) => new Float32Array(frames * channels).fill(value);

test('the gains are equal-power: their squares sum to 1 at every frame, from the outgoing to the incoming source', () => {
  const total = 1000;
  const outGain = new Float32Array(total * 2);
  const inGain = new Float32Array(total * 2);
  mixCrossfade(outGain, constant(1, total), constant(0, total), total, 2, 0, total);
  mixCrossfade(inGain, constant(0, total), constant(1, total), total, 2, 0, total);
  for (let f = 0; f < total; f++) {
    assert.ok(Math.abs(outGain[2 * f] ** 2 + inGain[2 * f] ** 2 - 1) < 1e-6, `frame ${f}`);
    if (f > 0) {
      assert.ok(outGain[2 * f] < outGain[2 * f - 2], 'the outgoing gain falls');
      assert.ok(inGain[2 * f] > inGain[2 * f - 2], 'the incoming gain rises');
    }
  }
  assert.ok(outGain[0] > 0.99999 && inGain[0] < 0.002, 'starts (almost) on the outgoing source');
  assert.ok(outGain[2 * (total - 1)] < 0.002 && inGain[2 * (total - 1)] > 0.99999, 'ends (almost) on the incoming one');
  assert.ok(Math.abs(outGain[total] - Math.SQRT1_2) < 0.002, 'half-way, each at −3 dB');
});

test('a fade spread over blocks of any size gives the same samples as one block, then the incoming source alone', () => {
  const total = 777;
  const frames = 1200;
  const outgoing = Float32Array.from({ length: frames * 2 }, (_, i) => Math.sin(i * 0.01));
  const incoming = Float32Array.from({ length: frames * 2 }, (_, i) => Math.cos(i * 0.013));
  const whole = new Float32Array(frames * 2);
  assert.equal(mixCrossfade(whole, outgoing, incoming, frames, 2, 0, total), total);
  const pieces = new Float32Array(frames * 2);
  let done = 0;
  for (let at = 0; at < frames; ) {
    const size = Math.min(frames - at, 1 + ((at * 7919) % 300));
    const out = new Float32Array(size * 2);
    done = mixCrossfade(out, outgoing.subarray(at * 2), incoming.subarray(at * 2), size, 2, done, total);
    pieces.set(out, at * 2);
    at += size;
  }
  assert.deepEqual(pieces, whole);
  for (let i = total * 2; i < frames * 2; i++) assert.ok(Math.abs(whole[i] - incoming[i]) < 1e-6, 'past the fade: the incoming source');
});

test('a fade of length 0 is a plain switch to the incoming source', () => {
  const out = new Float32Array(8);
  mixCrossfade(out, constant(1, 4), constant(0.5, 4), 4, 2, 0, 0);
  for (const x of out) assert.ok(Math.abs(x - 0.5) < 1e-6);
});
