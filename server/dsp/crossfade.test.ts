import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { crossfadeInto, equalPowerGains } from './crossfade.js';

test('equalPowerGains runs from all-out to all-in at constant power', () => {
  assert.deepEqual(equalPowerGains(0), { fadeOut: 1, fadeIn: 0 });
  const end = equalPowerGains(1);
  assert.ok(Math.abs(end.fadeOut) < 1e-15 && end.fadeIn === 1);
  const middle = equalPowerGains(0.5);
  assert.ok(Math.abs(middle.fadeOut - Math.SQRT1_2) < 1e-15 && Math.abs(middle.fadeIn - Math.SQRT1_2) < 1e-15);
  for (let position = 0; position <= 1; position += 0.01) {
    const { fadeOut, fadeIn } = equalPowerGains(position);
    assert.ok(Math.abs(fadeOut * fadeOut + fadeIn * fadeIn - 1) < 1e-12);
  }
  assert.deepEqual(equalPowerGains(-3), equalPowerGains(0));
  assert.deepEqual(equalPowerGains(7), equalPowerGains(1));
});

test('crossfadeInto mixes tail and head with the equal-power gains, inside its span only', () => {
  const length = 50;
  const tail = Float32Array.from({ length }, (_, i) => Math.sin(i));
  const head = Float32Array.from({ length }, (_, i) => Math.cos(3 * i));
  const out = new Float32Array(length + 10).fill(7);
  assert.equal(crossfadeInto(out, 5, tail, head, length), out);
  for (let i = 0; i < length; i++) {
    const { fadeOut, fadeIn } = equalPowerGains((i + 1) / (length + 1));
    assert.ok(Math.abs(out[5 + i] - (tail[i] * fadeOut + head[i] * fadeIn)) < 1e-6);
  }
  assert.deepEqual(Array.from(out.subarray(0, 5)), [7, 7, 7, 7, 7]);
  assert.deepEqual(Array.from(out.subarray(5 + length)), [7, 7, 7, 7, 7]);
});

test('crossfadeInto steps no further at the edges of the fade than inside it', () => {
  // Outgoing 1, incoming 0: the output is the fade-out gain; before the fade it was 1, after it 0.
  const length = 400;
  const gains = crossfadeInto(new Float32Array(length), 0, new Float32Array(length).fill(1), new Float32Array(length), length);
  const curve = [1, ...gains, 0];
  const largestStep = Math.max(...curve.slice(1).map((gain, i) => Math.abs(gain - curve[i])));
  assert.ok(largestStep <= Math.PI / 2 / (length + 1) + 1e-7, `step ${largestStep}`);
});

test('crossfadeInto rejects buffers shorter than the fade', () => {
  const short = new Float32Array(3);
  const long = new Float32Array(8);
  assert.throws(() => crossfadeInto(long, 0, short, long, 4), (error) => hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
  assert.throws(() => crossfadeInto(long, 6, long, long, 4), (error) => hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
});
