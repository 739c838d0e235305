import assert from 'node:assert/strict';
import test from 'node:test';
import { mulberry32 } from '../../server/core/seeded-random.js';
import { detectOnsets } from './onsets.js';

const RATE = 44100;

/** Faint noise, with a decaying 2 kHz tone struck at each of `strikes` (seconds), optionally led by MP3-like pre-echo. */
function signal(strikes: number[], preEcho: number): Float32Array {
  const random = mulberry32(7);
  const out = new Float32Array(RATE * 2);
  for (let i = 0; i < out.length; i++) out[i] = (random() - 0.5) * 1e-5;
  for (const strike of strikes) {
    const start = Math.round(strike * RATE);
    // Pre-echo: quantisation noise ~18 dB below the attack, spread over the 26 ms long block before it.
    for (let i = start - Math.round(preEcho * RATE); i < start; i++) out[i] += (random() - 0.5) * 3e-2;
    for (let i = start; i < out.length; i++) out[i] += 0.5 * Math.sin((2 * Math.PI * 2000 * (i - start)) / RATE) * Math.exp(-(i - start) / (0.3 * RATE));
  }
  return out;
}

test('a struck tone is found within 2 ms of its strike', () => {
  const onsets = detectOnsets(signal([0.5, 1.2], 0), RATE);
  assert.equal(onsets.length, 2, `${onsets}`);
  assert.ok(Math.abs(onsets[0] - 0.5) < 0.002 && Math.abs(onsets[1] - 1.2) < 0.002, `${onsets}`);
});

test("an MP3 encoder's pre-echo before a loud attack is timed at the attack, not 26 ms early", () => {
  const onsets = detectOnsets(signal([0.5], 0.026), RATE);
  assert.equal(onsets.length, 1, `${onsets}`);
  assert.ok(Math.abs(onsets[0] - 0.5) < 0.002, `${onsets}`);
});
