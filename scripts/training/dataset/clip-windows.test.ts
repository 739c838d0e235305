import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePeak, peakOf, rmsDbfs } from './clip-level.js';
import { cutClipWindows } from './clip-windows.js';

const RATE = 16000;
function sine(length: number, amplitude = 0.5, frequency = 440): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE));
}

test('windows: whole clips every hop, the short tail dropped', () => {
  const signal = sine(16000);
  assert.equal(cutClipWindows(signal, { clipSamples: 4096 }).clips.length, 3);
  const overlapping = cutClipWindows(signal, { clipSamples: 4096, hop: 2048 });
  assert.equal(overlapping.clips.length, 6); // starts 0, 2048, …, 10240 (10240 + 4096 ≤ 16000)
  assert.deepEqual(overlapping.clips[1], signal.slice(2048, 6144));
  for (const clip of overlapping.clips) assert.equal(clip.length, 4096);
});

test('windows: silent and near-silent windows are skipped at the threshold', () => {
  const signal = new Float32Array(4 * 4096);
  signal.set(sine(4096), 0); // −9 dBFS
  signal.set(sine(4096, 10 ** (-57 / 20)), 2 * 4096); // −60 dBFS: below −50
  signal.set(sine(4096, 10 ** (-37 / 20)), 3 * 4096); // −40 dBFS: kept
  const { clips, silent } = cutClipWindows(signal, { clipSamples: 4096, silenceDb: -50 });
  assert.equal(clips.length, 2);
  assert.equal(silent, 2);
  assert.deepEqual(clips[0], signal.slice(0, 4096));
  assert.deepEqual(clips[1], signal.slice(3 * 4096));
  assert.equal(cutClipWindows(signal, { clipSamples: 4096, silenceDb: -70 }).clips.length, 3);
});

test('windows: a one-shot shorter than a clip is padded with silence; a sliver is not kept', () => {
  const hit = sine(1000);
  const { clips } = cutClipWindows(hit, { clipSamples: 4096 });
  assert.equal(clips.length, 1);
  assert.deepEqual(clips[0].subarray(0, 1000), hit);
  assert.equal(peakOf(clips[0].subarray(1000)), 0);
  assert.equal(cutClipWindows(hit, { clipSamples: 4096, padShort: false }).clips.length, 0);
  assert.equal(cutClipWindows(sine(400), { clipSamples: 4096 }).clips.length, 0); // < clip / 8
  assert.deepEqual(cutClipWindows(new Float32Array(1000), { clipSamples: 4096 }), { clips: [], silent: 1 });
});

test('levels: RMS in dBFS and peak normalisation', () => {
  assert.ok(Math.abs(rmsDbfs(sine(16000, 1)) - -3.01) < 0.01); // a full-scale sine
  assert.equal(rmsDbfs(new Float32Array(10)), -Infinity);
  const clip = sine(4096, 0.1);
  normalisePeak(clip, -1);
  assert.ok(Math.abs(peakOf(clip) - 10 ** (-1 / 20)) < 1e-6);
  const silent = new Float32Array(8);
  assert.equal(normalisePeak(silent), 1);
});
