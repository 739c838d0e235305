import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blendInto, DryFill } from './dry-fill.js';

const sine = (frames: number, from: number, hz = 3) => Float32Array.from({ length: frames }, (_, i) => Math.sin((2 * Math.PI * hz * (from + i)) / 1000));
const largestStep = (x: Float32Array) => x.reduce((m, v, i) => (i === 0 ? 0 : Math.max(m, Math.abs(v - x[i - 1]))), 0);

test('loops the most recent audio, the wrap crossfaded so it never jumps', () => {
  const fill = new DryFill({ channels: 1, loopFrames: 1000, seamFrames: 50 });
  assert.equal(fill.start(), false, 'nothing played yet: nothing to loop');
  for (let at = 0; at < 5000; at += 100) fill.record(sine(100, at, 7.3)); // 7.3 Hz: the loop's end and start do not meet
  assert.equal(fill.start(), true);
  const out = fill.next(new Float32Array(3500));
  // Away from the seam the loop is the recorded audio: the last 1000 frames (after a 50-frame pre-roll).
  const recorded = sine(900, 4000, 7.3);
  for (let i = 0; i < 900; i++) assert.ok(Math.abs(out[i] - recorded[i]) < 1e-6, `frame ${i}`);
  assert.ok(largestStep(out) < 1.5 * largestStep(sine(1000, 0, 7.3)), `no jump at the wraps: ${largestStep(out)}`);
  fill.stop();
  assert.equal(fill.playing, false);
});

test('blendInto fades from one block to another with equal power', () => {
  const into = new Float32Array(99).fill(1);
  blendInto(into, new Float32Array(99).fill(-1), 1);
  assert.ok(into[0] < -0.9 && into[98] > 0.9);
  assert.ok(Math.abs(into[49]) < 1e-6, 'half way the two equal parts cancel');
});
