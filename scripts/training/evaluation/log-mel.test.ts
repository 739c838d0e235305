import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PowerSpectrum } from './fft.js';
import { LogMelExtractor } from './log-mel.js';
import { hzToMel, melFilterbank, melToHz } from './mel-filterbank.js';

const RATE = 16000;
const sine = (length: number, frequency: number, amplitude = 1) =>
  Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE));

test('FFT: a bin-centred cosine puts its power in its bin, matching a direct DFT', () => {
  const n = 64;
  const frame = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n) + 0.5);
  const power = new PowerSpectrum(n).compute(frame, new Float64Array(n / 2 + 1));
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      re += frame[i] * Math.cos((2 * Math.PI * k * i) / n);
      im -= frame[i] * Math.sin((2 * Math.PI * k * i) / n);
    }
    assert.ok(Math.abs(power[k] - (re * re + im * im)) < 1e-6, `bin ${k}`);
  }
  assert.ok(Math.abs(power[5] - (n / 2) ** 2) < 1e-6);
  assert.ok(Math.abs(power[0] - (n / 2) ** 2) < 1e-6);
  assert.throws(() => new PowerSpectrum(100), RangeError);
});

test('mel filterbank: the Slaney scale round-trips, bands ascend and none is empty', () => {
  for (const hz of [0, 200, 999, 1000, 4000, 8000]) assert.ok(Math.abs(melToHz(hzToMel(hz)) - hz) < 1e-6);
  assert.ok(Math.abs(hzToMel(1000) - 15) < 1e-12);
  const bands = melFilterbank({ sampleRate: RATE, fftSize: 512, bands: 64 });
  assert.equal(bands.length, 64);
  for (let b = 1; b < bands.length; b++) assert.ok(bands[b].centre > bands[b - 1].centre);
  assert.throws(() => melFilterbank({ sampleRate: RATE, fftSize: 64, bands: 64 }), /holds no FFT bin/);
});

test('log-mel: a sine lands in the band around its frequency at about 0 dB; far bands sit at the floor', () => {
  const extractor = new LogMelExtractor({ sampleRate: RATE });
  assert.equal(extractor.frames(4096), 15); // 1 + (4096 − 512) / 256
  for (const frequency of [250, 1000, 3000, 6000]) {
    const features = extractor.features(sine(4096, frequency));
    const frame = features.subarray(7 * 64, 8 * 64);
    const loudest = frame.indexOf(Math.max(...frame));
    const nearest = extractor.bands.reduce((best, band, b) => (Math.abs(band.centre - frequency) < Math.abs(extractor.bands[best].centre - frequency) ? b : best), 0);
    assert.ok(Math.abs(loudest - nearest) <= 1, `${frequency} Hz peaks in band ${loudest}, nearest centre band ${nearest}`);
    assert.ok(frame[loudest] > -3 && frame[loudest] < 3, `${frequency} Hz: ${frame[loudest].toFixed(2)} dB`);
    const far = extractor.bands.findIndex((band) => Math.abs(hzToMel(band.centre) - hzToMel(frequency)) > 10);
    assert.equal(frame[far], -80);
  }
  const quiet = extractor.features(sine(4096, 1000, 0.01)).subarray(7 * 64, 8 * 64);
  const loud = extractor.features(sine(4096, 1000, 1)).subarray(7 * 64, 8 * 64);
  const band = loud.indexOf(Math.max(...loud));
  assert.ok(Math.abs(loud[band] - quiet[band] - 40) < 0.01, '−40 dB in amplitude reads −40 dB');
});
