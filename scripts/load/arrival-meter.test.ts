import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalMeter } from './arrival-meter.js';

test('the window after the burst holds the live audio only', () => {
  const meter = new ArrivalMeter({ settleMs: 1000, stallMs: 1000 });
  meter.arrived(100, 2); // the burst, at once
  for (let t = 150; t <= 5100; t += 50) meter.arrived(t, 0.05);
  const { windowSeconds, windowAudioSeconds } = meter.end(5100);
  assert.equal(windowSeconds, 4);
  assert.ok(Math.abs(windowAudioSeconds / windowSeconds - 1) < 0.02, `${windowAudioSeconds} s in ${windowSeconds} s`);
  assert.equal(meter.stalls, 0);
  assert.equal(meter.longestSilenceMs, 50);
});

test('a listener falling behind reads below 1, and a silence past the limit is a stall', () => {
  const meter = new ArrivalMeter({ settleMs: 500, stallMs: 1000 });
  meter.arrived(0, 1);
  for (let t = 100; t <= 3000; t += 100) meter.arrived(t, 0.05);
  const { windowSeconds, windowAudioSeconds } = meter.end(4500); // 1.5 s of nothing at the end
  assert.ok(Math.abs(windowAudioSeconds / windowSeconds - 0.5 * 2.5 / 4) < 0.03);
  assert.equal(meter.stalls, 1);
  assert.equal(meter.longestSilenceMs, 1500);
});

test('no audio, no window', () => {
  const meter = new ArrivalMeter({ settleMs: 500, stallMs: 1000 });
  meter.arrived(10, 0);
  assert.deepEqual(meter.end(2000), { windowSeconds: 0, windowAudioSeconds: 0 });
  assert.equal(meter.firstAudioAt, undefined);
});
