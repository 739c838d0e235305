import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { Limiter } from './limiter.js';
import { mulberry32 } from '../core/seeded-random.js';

const RATE = 44100;
const LOOKAHEAD_FRAMES = Math.round(0.005 * RATE);

function noise(seed: number, length: number, amplitude: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => (random() * 2 - 1) * amplitude);
}

function largestAbsolute(signal: Float32Array): number {
  return signal.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}

test('loud stereo noise (×3) never passes the ceiling', () => {
  const limiter = new Limiter({ sampleRate: RATE, channels: 2 });
  const loud = noise(1, 2 * RATE * 2, 3);
  const out = limiter.process(loud);
  assert.ok(largestAbsolute(out) <= 0.98, `peak ${largestAbsolute(out)}`);
  assert.ok(largestAbsolute(out) > 0.9, 'the limiter should not squash far below the ceiling');
  assert.ok(limiter.ceiling <= 0.98 && limiter.ceiling > 0.98 - 1e-7);
  // The gain does the limiting, not the final rounding guard: had the guard clipped a sample, the
  // two channels of its frame would come out scaled by different factors.
  const delay = 2 * limiter.latency;
  let worst = 0;
  for (let i = delay; i < out.length; i += 2) {
    const left = loud[i - delay];
    const right = loud[i - delay + 1];
    if (Math.abs(left) < 0.1 || Math.abs(right) < 0.1) continue;
    worst = Math.max(worst, Math.abs(out[i] / left - out[i + 1] / right));
  }
  assert.ok(worst < 1e-6, `channels scaled differently by up to ${worst}`);
});

test('the ceiling holds for single-sample spikes, a custom ceiling and no lookahead', () => {
  for (const options of [{ ceiling: 0.5 }, { lookahead: 0 }, { lookahead: 0.001, release: 0 }]) {
    const limiter = new Limiter({ sampleRate: RATE, ...options });
    const input = noise(2, RATE, 0.4);
    for (let i = 100; i < input.length; i += 997) input[i] = i % 2 === 0 ? 5 : -5;
    const out = limiter.process(input);
    assert.ok(largestAbsolute(out) <= limiter.ceiling, `${JSON.stringify(options)}: ${largestAbsolute(out)}`);
  }
});

test('a quiet signal (peak 0.5) passes unchanged apart from the delay', () => {
  const limiter = new Limiter({ sampleRate: RATE, channels: 2 });
  assert.equal(limiter.latency, LOOKAHEAD_FRAMES);
  const input = noise(3, 2 * RATE, 0.5);
  const out = limiter.process(input);
  const delay = 2 * LOOKAHEAD_FRAMES;
  assert.ok(out.subarray(0, delay).every((value) => value === 0));
  let worst = 0;
  for (let i = delay; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - input[i - delay]));
  assert.ok(worst < 1e-6, `max difference ${worst}`);
  assert.equal(limiter.gain, 1);
});

test('any split of the input gives the same output as one call, in place too', () => {
  const input = noise(4, 2 * RATE, 2);
  const whole = new Limiter({ sampleRate: RATE, channels: 2 }).process(input);
  const chunked = new Limiter({ sampleRate: RATE, channels: 2 });
  const random = mulberry32(5);
  const out = new Float32Array(input.length);
  for (let frame = 0; frame < input.length / 2;) {
    const frames = Math.min(input.length / 2 - frame, Math.floor(random() * 700));
    const chunk = input.slice(2 * frame, 2 * (frame + frames));
    chunked.processInto(chunk, chunk);
    out.set(chunk, 2 * frame);
    frame += frames;
  }
  let worst = 0;
  for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - whole[i]));
  assert.ok(worst < 1e-6, `max difference ${worst}`);
});

test('the gain ramps down before a peak, back up slowly after it, and never jumps', () => {
  // A steady 0.5 with a 20 ms burst at 3: the applied gain is out / (delayed in).
  const burstStart = RATE;
  const burstEnd = burstStart + Math.round(0.02 * RATE);
  const input = new Float32Array(3 * RATE).fill(0.5);
  input.fill(3, burstStart, burstEnd);
  const out = new Limiter({ sampleRate: RATE }).process(input);
  const gain = Float64Array.from({ length: input.length - LOOKAHEAD_FRAMES }, (_, i) => out[i + LOOKAHEAD_FRAMES] / input[i]);

  // Smooth: the gain is a mean over lookahead + 1 frames of values in [0, 1].
  let largestStep = 0;
  for (let i = 1; i < gain.length; i++) largestStep = Math.max(largestStep, Math.abs(gain[i] - gain[i - 1]));
  assert.ok(largestStep <= 1 / (LOOKAHEAD_FRAMES + 1) + 1e-6, `gain step ${largestStep}`);
  // Down before the peak: untouched until the lookahead sees it, at the ceiling when it arrives.
  assert.equal(gain[burstStart - LOOKAHEAD_FRAMES - 1], 1);
  assert.ok(gain[burstStart - LOOKAHEAD_FRAMES] < 1);
  assert.ok(Math.abs(gain[burstStart] - 0.98 / 3) < 1e-6, `gain at the peak ${gain[burstStart]}`);
  // Release: still well down 50 ms after the burst (no jump back), recovered after 1 s (10 time constants).
  const after = (seconds: number): number => gain[burstEnd + Math.round(seconds * RATE)];
  assert.ok(after(0.05) < 0.8, `gain 50 ms after ${after(0.05)}`);
  assert.ok(after(0.2) > after(0.1) && after(0.1) > after(0.05));
  assert.ok(after(1) > 0.999, `gain 1 s after ${after(1)}`);
});

test('the gain is linked: a peak on one channel lowers both', () => {
  const frames = 4000;
  const input = new Float32Array(2 * frames);
  for (let i = 0; i < frames; i++) {
    input[2 * i] = i >= 2000 && i < 2100 ? 2 : 0.5;
    input[2 * i + 1] = 0.25;
  }
  const out = new Limiter({ sampleRate: RATE, channels: 2 }).process(input);
  const at = 2 * (2050 + LOOKAHEAD_FRAMES);
  assert.ok(Math.abs(out[at] - 0.98) < 1e-6);
  assert.ok(Math.abs(out[at + 1] - 0.25 * (0.98 / 2)) < 1e-6, `right channel ${out[at + 1]}`);
});

test('NaN from upstream comes out as silence, not as NaN', () => {
  const input = new Float32Array(1000).fill(0.3);
  input[500] = Number.NaN;
  const out = new Limiter({ sampleRate: RATE, lookahead: 0 }).process(input);
  assert.ok(out.every((value) => Number.isFinite(value) && Math.abs(value) <= 0.98));
  assert.equal(out[500], 0);
});

test('bad options and partial frames are rejected with stable codes', () => {
  const cases: Array<[Record<string, number>, string]> = [
    [{ sampleRate: 0 }, 'sampleRate'],
    [{ channels: 0 }, 'channels'],
    [{ ceiling: 1.5 }, 'ceiling'],
    [{ ceiling: 0 }, 'ceiling'],
    [{ lookahead: -0.001 }, 'lookahead'],
    [{ release: Number.NaN }, 'release'],
  ];
  for (const [options, name] of cases) {
    assert.throws(() => new Limiter({ sampleRate: RATE, ...options }), (error) =>
      hasCode(error, 'WAVECAST_ERR_CONFIG') && String(error).includes(`"${name}"`));
  }
  assert.throws(() => new Limiter({ sampleRate: RATE, channels: 2 }).process(new Float32Array(3)), (error) =>
    hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
});
