import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waveformModel } from '../model-fixtures.test-helper.js';
import { WaveformVoice } from './waveform-voice.js';

const options = { channel: 'c', channels: 1 as const, crossfade: 0.25, settings: {}, asked: new Set<string>(), firstFrame: 0, historyBars: 0, renderThreads: 0, maxRest: 1 };

function streamedSeconds(model: ReturnType<typeof waveformModel>, sampleRate: number, clips: number, clipSamples: number): number {
  const voice = new WaveformVoice(model, { ...options, sampleRate });
  let frames = 0;
  for (let i = 0; i < clips; i++) {
    const clip = Float32Array.from({ length: clipSamples }, (_, t) => 0.3 * Math.sin((2 * Math.PI * 440 * t) / 16000));
    for (const block of voice.play(clip)) frames += block.length;
  }
  return frames / sampleRate;
}

test('a 16 kHz model of 16384-sample clips plays at the channel rate with the channel crossfade', () => {
  // 10 clips of 1.024 s, each adding 1.024 − 0.25 s (the last crossfade tail held back).
  const seconds = streamedSeconds(waveformModel('long'), 44100, 10, 16384);
  assert.ok(Math.abs(seconds - 10 * (1.024 - 0.25)) < 0.02, `${seconds} s`);
});

test('a short clip (4096 samples at 22050 Hz) is joined with a crossfade of a quarter clip, resampled to 48 kHz', () => {
  const model = waveformModel('short', { clipSamples: 4096, sampleRate: 22050 });
  const clip = 4096 / 22050;
  const seconds = streamedSeconds(model, 48000, 20, 4096);
  // The 0.25 s crossfade would be longer than half a clip (the mixer refuses it): a quarter clip.
  assert.ok(Math.abs(seconds - 20 * 0.75 * clip) < 0.02, `${seconds} s, expected ${20 * 0.75 * clip}`);
});
