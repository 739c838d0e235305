import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../core/seeded-random.js';
import { LoudnessControl } from './loudness-control.js';
import { measureLoudness } from './loudness-meter.js';

const RATE = 44100;

/** Stereo noise at `level` (linear), `seconds` long, seeded; `shape(t)` multiplies the level over time. */
function noise(seconds: number, level: number, seed = 1, shape: (t: number) => number = () => 1): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(Math.round(seconds * RATE) * 2);
  for (let i = 0; i < out.length; i++) out[i] = level * shape(i / 2 / RATE) * (random() * 2 - 1);
  return out;
}

function control(overrides: Partial<ConstructorParameters<typeof LoudnessControl>[0]> = {}) {
  return new LoudnessControl({ sampleRate: RATE, channels: 2, target: -16, ceiling: 0.79, window: 12, maxSlew: 1, ...overrides });
}

/** Runs `pcm` through in 50 ms pieces (as a channel queues bars) and returns the output. */
function run(ctl: LoudnessControl, pcm: Float32Array, piece = 2205 * 2): Float32Array {
  const out = pcm.slice();
  for (let at = 0; at < out.length; at += piece) ctl.process(out.subarray(at, Math.min(out.length, at + piece)));
  return out;
}

const tail = (pcm: Float32Array, seconds: number) => pcm.subarray(pcm.length - Math.round(seconds * RATE) * 2);

test('a quiet channel is brought to the target and held there', () => {
  const ctl = control();
  const out = run(ctl, noise(30, 0.02));
  const before = measureLoudness(noise(30, 0.02), RATE, 2).integrated;
  const after = measureLoudness(tail(out, 10), RATE, 2).integrated;
  assert.ok(before < -30, `input at ${before.toFixed(1)} LUFS`);
  assert.ok(Math.abs(after - -16) < 0.3, `output at ${after.toFixed(2)} LUFS`);
});

test('what the limiter takes off a peaky signal is made up: the output still reaches the target', () => {
  // Short loud bursts over a quiet bed: a crest factor like a struck piano's, so the limiter works.
  const peaky = noise(40, 0.01, 6, (t) => (t % 0.5 < 0.01 ? 60 : 1));
  const ctl = control({ ceiling: 0.5 });
  const out = run(ctl, peaky);
  const after = measureLoudness(tail(out, 15), RATE, 2).integrated;
  const plain = measureLoudness(tail(run(control({ ceiling: 1 }), peaky), 15), RATE, 2).integrated;
  assert.ok(Math.abs(after - -16) < 0.5, `output at ${after.toFixed(2)} LUFS with the limiter working (${plain.toFixed(2)} without it)`);
});

test('it starts near the target at once, then moves no faster than the slew', () => {
  const ctl = control();
  const gains: number[] = [];
  const input = noise(32, 0.3, 2, (t) => (t < 10 ? 1 : 0.1)); // −20 dB after 10 s
  for (let at = 0; at < input.length; at += 4410 * 2) {
    ctl.process(input.slice(at, at + 4410 * 2));
    gains.push(ctl.gain);
  }
  const early = measureLoudness(run(control(), noise(4, 0.3)).subarray(RATE * 2 * 3), RATE, 2).integrated;
  assert.ok(Math.abs(early - -16) < 1, `after 3 s the output is at ${early.toFixed(2)} LUFS`);
  const settledSteps = gains.slice(31).map((g, i) => Math.abs(g - gains[30 + i]));
  assert.ok(Math.max(...settledSteps) <= 0.1 + 1e-9, `largest change per 100 ms: ${Math.max(...settledSteps)} dB`);
  // The 12 s window still holds the loud part for 12 s after the step (the relative gate keeps
  // only the loud blocks); then the gain rises at the slew.
  assert.ok(Math.abs(gains[215] - gains[99]) < 2, `the gain holds while the loud part is in the window: ${gains[99]} → ${gains[215]}`);
  assert.ok(gains[gains.length - 1] - gains[99] > 5, `the gain rises after the step down: ${gains[99]} → ${gains[gains.length - 1]}`);
});

test('phrasing does not pump: a 6 dB swell every two seconds leaves the gain steady', () => {
  const ctl = control();
  const gains: number[] = [];
  const input = noise(40, 0.1, 3, (t) => (Math.floor(t / 2) % 2 === 0 ? 1 : 0.5));
  for (let at = 0; at < input.length; at += 4410 * 2) {
    ctl.process(input.slice(at, at + 4410 * 2));
    gains.push(ctl.gain);
  }
  const late = gains.slice(200);
  assert.ok(Math.max(...late) - Math.min(...late) < 1, `gain swings ${(Math.max(...late) - Math.min(...late)).toFixed(2)} dB`);
});

test('peaks stay under the ceiling, and silence is never boosted into noise', () => {
  const ctl = control({ target: -8 });
  const out = run(ctl, noise(15, 0.9, 4));
  let peak = 0;
  for (const x of out) peak = Math.max(peak, Math.abs(x));
  assert.ok(peak <= 0.79 + 1e-6, `peak ${peak}`);
  const silent = control();
  const quiet = run(silent, new Float32Array(RATE * 2 * 5));
  assert.ok(quiet.every((x) => x === 0));
  assert.equal(silent.gain, 0, 'no blocks pass the absolute gate: the gain stays put');
});

test('splitting the input anywhere gives the same output', () => {
  const input = noise(8, 0.05, 5, (t) => 1 + 0.5 * Math.sin(t));
  const whole = run(control(), input, input.length);
  const random = mulberry32(9);
  const ctl = control();
  const pieces = input.slice();
  for (let at = 0; at < pieces.length; ) {
    const size = 2 * (1 + Math.floor(random() * 3000));
    ctl.process(pieces.subarray(at, Math.min(pieces.length, at + size)));
    at += size;
  }
  assert.deepEqual(pieces, whole);
});
