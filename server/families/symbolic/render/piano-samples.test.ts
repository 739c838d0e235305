import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../../core/errors.js';
import { attackFrame, loadPianoSamples, samplePitch } from './piano-samples.js';

const RATE = 44100;

test('sample file names map to MIDI pitches (A0 = 21, C4 = 60, D#4 = 63, C8 = 108)', () => {
  assert.equal(samplePitch('A0v10.mp3'), 21);
  assert.equal(samplePitch('C4v10.mp3'), 60);
  assert.equal(samplePitch('D#4v10.mp3'), 63);
  assert.equal(samplePitch('F#4v10.mp3'), 66);
  assert.equal(samplePitch('C8v10.mp3'), 108);
  assert.ok(hasCode(catchError(() => samplePitch('readme.txt')), 'WAVECAST_ERR_ENGINE'));
});

test('attackFrame finds the first frame at −20 dB of the peak, on any channel', () => {
  const left = new Float32Array(100);
  const right = new Float32Array(100);
  left[10] = 0.05; // under 10 % of the peak: key noise, not the attack
  right[40] = 0.2;
  left[60] = -1;
  assert.equal(attackFrame([left, right]), 40);
  assert.equal(attackFrame([new Float32Array(8)]), 0);
});

test('loads all 30 samples once per rate, sorted by pitch, every buffer at the rate asked for', async () => {
  const first = loadPianoSamples(RATE);
  assert.equal(loadPianoSamples(RATE), first, 'a second call shares the first promise');
  const piano = await first;
  assert.equal(piano.samples.length, 30);
  assert.deepEqual(piano.samples.slice(0, 4).map((s) => s.pitch), [21, 24, 27, 30]);
  assert.equal(piano.samples.at(-1)!.pitch, 108);
  for (const sample of piano.samples) {
    assert.equal(sample.buffer.sampleRate, RATE);
    assert.ok(sample.buffer.duration <= 8 + 1e-6, `${sample.pitch}: ${sample.buffer.duration} s kept`);
  }
});

test('each buffer starts 1 ms before its attack, faded in from 0 (the MP3 encoder delay is gone)', async () => {
  const piano = await loadPianoSamples(RATE);
  for (const sample of piano.samples) {
    const channel = new Float32Array(sample.buffer.length);
    sample.buffer.copyFromChannel(channel, 0);
    assert.ok(channel[0] === 0, `${sample.pitch}: first frame ${channel[0]}`);
    assert.ok(Math.abs(sample.attack - 0.001) < 1 / RATE, `${sample.pitch}: pre-roll ${sample.attack} s`);
    // Within 5 ms of the attack the sample is loud (the untrimmed MP3 is silent for ~30 ms).
    let loudest = 0;
    for (let i = 0; i < Math.round(0.006 * RATE); i++) loudest = Math.max(loudest, Math.abs(channel[i]));
    assert.ok(loudest > 0.01, `${sample.pitch}: loudest in the first 6 ms ${loudest}`);
  }
});

test('nearestSample picks the nearest recorded pitch and retunes by 2^(semitones / 12)', async () => {
  const piano = await loadPianoSamples(RATE);
  assert.deepEqual(pick(piano.nearestSample(69)), { samplePitch: 69, playbackRate: 1 });
  assert.deepEqual(pick(piano.nearestSample(62)), { samplePitch: 63, playbackRate: Math.pow(2, -1 / 12) });
  assert.deepEqual(pick(piano.nearestSample(61)), { samplePitch: 60, playbackRate: Math.pow(2, 1 / 12) });
  assert.deepEqual(pick(piano.nearestSample(12)), { samplePitch: 21, playbackRate: Math.pow(2, -9 / 12) });
});

function pick(choice: { samplePitch: number; playbackRate: number }) {
  return { samplePitch: choice.samplePitch, playbackRate: choice.playbackRate };
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
