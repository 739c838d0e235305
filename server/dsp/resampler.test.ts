import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { Resampler } from './resampler.js';

function sine(frequency: number, rate: number, length: number, delay = 0): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin((2 * Math.PI * frequency * (i - delay)) / rate));
}

/** Amplitude of `frequency` in signal[from … from + length), by projection (length holds whole periods). */
function toneAmplitude(signal: Float32Array, frequency: number, rate: number, from: number, length: number): number {
  let sine = 0;
  let cosine = 0;
  for (let i = from; i < from + length; i++) {
    const angle = (2 * Math.PI * frequency * i) / rate;
    sine += signal[i] * Math.sin(angle);
    cosine += signal[i] * Math.cos(angle);
  }
  return (2 * Math.hypot(sine, cosine)) / length;
}

function rms(signal: Float32Array): number {
  return Math.sqrt(signal.reduce((sum, value) => sum + value * value, 0) / signal.length);
}

const decibels = (ratio: number): number => 20 * Math.log10(ratio);

test('the ratio is reduced by the gcd', () => {
  const cases: Array<[number, number, number, number]> = [
    [16000, 44100, 441, 160], [16000, 48000, 3, 1], [22050, 44100, 2, 1], [48000, 16000, 1, 3], [44100, 44100, 1, 1],
  ];
  for (const [inputRate, outputRate, up, down] of cases) {
    const resampler = new Resampler({ inputRate, outputRate });
    assert.deepEqual([resampler.up, resampler.down], [up, down]);
  }
});

test('a 1 kHz sine comes out as the ideal sine at the new rate (SNR ≥ 60 dB)', () => {
  const pairs: Array<[number, number]> = [[16000, 44100], [16000, 48000], [22050, 44100], [48000, 16000], [44100, 16000]];
  for (const [inputRate, outputRate] of pairs) {
    const resampler = new Resampler({ inputRate, outputRate });
    const output = resampler.process(sine(1000, inputRate, inputRate));
    const ideal = sine(1000, outputRate, output.length, resampler.latency);
    // Steady state: past the filter's start-up (the zero history) by a margin.
    const settled = Math.ceil(2 * resampler.latency) + 64;
    let signal = 0;
    let error = 0;
    for (let i = settled; i < output.length; i++) {
      signal += ideal[i] ** 2;
      error += (output[i] - ideal[i]) ** 2;
    }
    const snr = 10 * Math.log10(signal / error);
    assert.ok(snr >= 60, `${inputRate} → ${outputRate}: SNR ${snr.toFixed(1)} dB`);
  }
});

test('16 kHz → 44.1 kHz: flat to 7 kHz, images of the passband ≥ 80 dB down', () => {
  for (const frequency of [1000, 6000, 7000]) {
    const output = new Resampler({ inputRate: 16000, outputRate: 44100 }).process(sine(frequency, 16000, 32000));
    // 44100 samples from 4410 on: whole periods of every multiple of 100 Hz, so tones do not leak.
    const gain = decibels(toneAmplitude(output, frequency, 44100, 4410, 44100));
    const image = decibels(toneAmplitude(output, 16000 - frequency, 44100, 4410, 44100));
    assert.ok(Math.abs(gain) < 0.01, `${frequency} Hz: gain ${gain} dB`);
    assert.ok(image < -80, `${frequency} Hz: image at ${16000 - frequency} Hz is ${image} dB`);
  }
});

test('48 kHz → 16 kHz: tones above the new Nyquist are removed, not aliased', () => {
  for (const [frequency, floor] of [[10000, -60], [9000, -80], [20000, -80]]) {
    const output = new Resampler({ inputRate: 48000, outputRate: 16000 }).process(sine(frequency, 48000, 96000));
    const level = decibels(rms(output.subarray(2000)) / Math.SQRT1_2);
    assert.ok(level <= floor, `${frequency} Hz: ${level.toFixed(1)} dB, want ≤ ${floor}`);
  }
  const passband = new Resampler({ inputRate: 48000, outputRate: 16000 }).process(sine(6000, 48000, 96000));
  assert.ok(Math.abs(decibels(toneAmplitude(passband, 6000, 16000, 2000, 16000))) < 0.01);
});

test('any split of the input gives the same output as one call', () => {
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const input = Float32Array.from({ length: 20000 }, () => random() * 2 - 1);
  for (const [inputRate, outputRate] of [[16000, 44100], [48000, 16000], [44100, 16000], [16000, 16000]]) {
    const whole = new Resampler({ inputRate, outputRate }).process(input);
    const chunked = new Resampler({ inputRate, outputRate });
    const parts: number[] = [];
    for (let at = 0; at < input.length;) {
      const size = Math.min(input.length - at, [0, 1, 2, 3, 159, 160, 441, 1000, 4096][Math.floor(random() * 9)]);
      parts.push(...chunked.process(input.subarray(at, at + size)));
      at += size;
    }
    assert.equal(parts.length, whole.length);
    assert.equal(whole.length, Math.ceil((input.length * outputRate) / inputRate));
    const worst = parts.reduce((max, value, i) => Math.max(max, Math.abs(value - whole[i])), 0);
    assert.ok(worst < 1e-6, `${inputRate} → ${outputRate}: max difference ${worst}`);
  }
});

test('outputLengthFor predicts every call and processInto writes at an offset', () => {
  const resampler = new Resampler({ inputRate: 16000, outputRate: 44100 });
  const reference = new Resampler({ inputRate: 16000, outputRate: 44100 });
  const out = new Float32Array(5000).fill(9);
  let total = 0;
  for (const size of [12384, 12384, 7, 1, 0, 12384]) {
    const input = sine(440, 16000, size);
    const expected = reference.process(input);
    const predicted = resampler.outputLengthFor(size);
    assert.equal(predicted, expected.length);
    const buffer = new Float32Array(predicted + 3).fill(9);
    assert.equal(resampler.processInto(input, buffer, 3), predicted);
    assert.deepEqual(buffer.subarray(3), expected);
    assert.deepEqual(Array.from(buffer.subarray(0, 3)), [9, 9, 9]);
    total += predicted;
  }
  assert.equal(total, Math.ceil(((12384 * 3 + 8) * 441) / 160));
  assert.throws(() => resampler.processInto(new Float32Array(100), out.subarray(0, 10)), (error) =>
    hasCode(error, 'WAVECAST_ERR_BAD_REQUEST'));
});

test('a constant input gives a constant output (the phases are matched)', () => {
  const resampler = new Resampler({ inputRate: 16000, outputRate: 44100 });
  const output = resampler.process(new Float32Array(4000).fill(0.5));
  for (let i = 200; i < output.length; i++) assert.ok(Math.abs(output[i] - 0.5) < 1e-6, `${i}: ${output[i]}`);
});

test('equal rates bypass the filter: the input comes back unchanged', () => {
  const resampler = new Resampler({ inputRate: 44100, outputRate: 44100 });
  const input = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 0.9);
  assert.equal(resampler.latency, 0);
  assert.deepEqual(resampler.process(input), input);
  assert.deepEqual(resampler.process(input.subarray(0, 10)), input.subarray(0, 10));
});

test('the latency is the group delay in output samples', () => {
  assert.equal(new Resampler({ inputRate: 16000, outputRate: 44100 }).latency, (441 * 48 - 1) / 2 / 160);
  const down = new Resampler({ inputRate: 48000, outputRate: 16000 });
  assert.equal(down.tapsPerPhase, 144);
  assert.equal(down.latency, (144 - 1) / 2 / 3);
});

test('bad options throw WAVECAST_ERR_CONFIG naming the option', () => {
  const cases: Array<[Partial<{ inputRate: number; outputRate: number; taps: number }>, string]> = [
    [{ inputRate: 0 }, 'inputRate'],
    [{ inputRate: -16000 }, 'inputRate'],
    [{ outputRate: 44100.5 }, 'outputRate'],
    [{ taps: 4 }, 'taps'],
    [{ inputRate: 16001, outputRate: 44101 }, 'outputRate'],
  ];
  for (const [options, name] of cases) {
    assert.throws(() => new Resampler({ inputRate: 16000, outputRate: 44100, ...options }), (error) =>
      hasCode(error, 'WAVECAST_ERR_CONFIG') && String(error).includes(`"${name}"`));
  }
});
