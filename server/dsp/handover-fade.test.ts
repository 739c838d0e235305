import assert from 'node:assert/strict';
import test from 'node:test';
import { HandoverFade } from './handover-fade.js';

const constant = (frames: number, channels: number, value: number) => new Float32Array(frames * channels).fill(value);

test('the fade keeps constant power between two equal-level signals and ends on the incoming one', () => {
  // Stereo: outgoing +0.5, incoming −0.5 on the left and +0.5 on the right (uncorrelated on the left).
  const fade = new HandoverFade(constant(200, 2, 0.5), 2, 100);
  const incoming = new Float32Array(300 * 2);
  for (let f = 0; f < 300; f++) {
    incoming[2 * f] = -0.5;
    incoming[2 * f + 1] = 0.5;
  }
  // Arrives in uneven chunks; the result must not depend on them.
  const parts = [incoming.subarray(0, 2 * 37), incoming.subarray(2 * 37, 2 * 150), incoming.subarray(2 * 150)];
  for (const part of parts) fade.apply(part);
  assert.ok(fade.done);
  // Right channel: same signal in and out, so the sum of an equal-power fade rises to √2 mid-way at most.
  let peak = 0;
  for (let f = 0; f < 100; f++) peak = Math.max(peak, incoming[2 * f + 1]);
  assert.ok(peak <= 0.5 * Math.SQRT2 + 1e-6 && peak > 0.5, `${peak}`);
  // The first frame is almost all outgoing, the frame after the fade exactly incoming.
  assert.ok(Math.abs(incoming[1] - 0.5) < 0.02 && Math.abs(incoming[0] - 0.5) < 0.05);
  assert.equal(incoming[2 * 100], -0.5);
  assert.equal(incoming[2 * 299 + 1], 0.5);
});

test('no step at either edge: the largest change between neighbouring frames stays small', () => {
  const fade = new HandoverFade(constant(1000, 1, 0.8), 1, 1000);
  const incoming = constant(2000, 1, -0.8);
  fade.apply(incoming);
  let largest = Math.abs(incoming[0] - 0.8); // the step from the last outgoing sample before the switch
  for (let i = 1; i < incoming.length; i++) largest = Math.max(largest, Math.abs(incoming[i] - incoming[i - 1]));
  // A hard cut would step 1.6; the fade spreads it over 1000 frames.
  assert.ok(largest < 0.01, `${largest}`);
});

test('a tail shorter than the fade is silence beyond its end (a plain fade-in there)', () => {
  const fade = new HandoverFade(constant(10, 1, 1), 1, 100);
  const incoming = constant(100, 1, 0);
  fade.apply(incoming);
  assert.ok(incoming[5] > 0.9);
  assert.equal(incoming[50], 0);
});

test('a fade of zero frames is refused with its value named', () => {
  assert.throws(() => new HandoverFade(new Float32Array(0), 1, 0), /fadeFrames must be a positive whole number, got 0/);
});
