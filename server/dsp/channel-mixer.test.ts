import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { ChannelMixer, type ChannelMixerOptions } from './channel-mixer.js';
import { ClipJoiner } from './clip-joiner.js';
import { removeDc } from './dc-removal.js';
import { Limiter } from './limiter.js';
import { Resampler } from './resampler.js';
import { mulberry32 } from '../core/seeded-random.js';

const CLIP = 16384;
const MODEL_RATE = 16000;

/** Band-limited noise of roughly `amplitude` peak on a DC `offset` (as uncorrelated as two latents' clips). */
function noiseClip(seed: number, amplitude: number, offset: number): Float32Array {
  const random = mulberry32(seed);
  let first = 0;
  let second = 0;
  return Float32Array.from({ length: CLIP }, () => {
    first += 0.3 * (random() * 2 - 1 - first);
    second += 0.3 * (first - second);
    return second * amplitude * 5 + offset;
  });
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}

function largestStep(signal: Float32Array, from: number, to: number): number {
  let largest = 0;
  for (let i = Math.max(1, from); i < Math.min(to, signal.length); i++) {
    largest = Math.max(largest, Math.abs(signal[i] - signal[i - 1]));
  }
  return largest;
}

test('defaults: stereo 44.1 kHz, a 0.25 s crossfade, 0.774 s of new audio per 16384-sample clip', () => {
  const mixer = new ChannelMixer({ modelRate: MODEL_RATE });
  assert.equal(mixer.outputRate, 44100);
  assert.equal(mixer.channels, 2);
  assert.equal(mixer.overlap, 4000);
  assert.equal(mixer.secondsPerClip(CLIP), 0.774);
  const expectedLatency = ((441 * 48 - 1) / 2 / 160 + Math.round(0.005 * 44100)) / 44100;
  assert.ok(Math.abs(mixer.latency - expectedLatency) < 1e-12);
});

test('N clips give the frames of N × (clip − overlap) model samples, with no gap, stereo channels equal', () => {
  const mixer = new ChannelMixer({ modelRate: MODEL_RATE });
  const outputs = Array.from({ length: 6 }, (_, k) => mixer.push(noiseClip(k, 0.3, 0)));
  const perClip = ((CLIP - 4000) * 44100) / MODEL_RATE;
  for (const out of outputs) {
    assert.equal(out.length % 2, 0);
    assert.ok(Math.abs(out.length / 2 - perClip) <= 1, `${out.length / 2} frames for ${perClip}`);
  }
  const stream = concat(outputs);
  assert.equal(stream.length / 2, Math.ceil((6 * (CLIP - 4000) * 441) / 160));
  for (let i = 0; i < stream.length; i += 2) assert.equal(stream[i], stream[i + 1]);
  // No gap: past the start-up, no run of silence anywhere in the stream.
  let silentRun = 0;
  for (let i = 2 * 1000; i < stream.length; i += 2) {
    silentRun = stream[i] === 0 ? silentRun + 1 : 0;
    assert.ok(silentRun < 4, `silence at frame ${i / 2}`);
  }
});

test('push equals the chain run by hand over the whole stream', () => {
  const options: ChannelMixerOptions = { modelRate: MODEL_RATE, outputRate: 48000, channels: 1, crossfade: 0.1 };
  const mixer = new ChannelMixer(options);
  const clips = Array.from({ length: 4 }, (_, k) => noiseClip(20 + k, 0.6, k % 2 === 0 ? 0.3 : -0.3));
  const copies = clips.map((clip) => clip.slice());
  const pushed = concat(clips.map((clip) => mixer.push(clip)));
  assert.deepEqual(clips, copies, 'push must not modify the clip');

  const joiner = new ClipJoiner({ overlap: 1600 });
  const joined = concat(clips.map((clip) => joiner.push(removeDc(clip))));
  const resampled = new Resampler({ inputRate: MODEL_RATE, outputRate: 48000 }).process(joined);
  const expected = new Limiter({ sampleRate: 48000 }).process(resampled);
  assert.equal(pushed.length, expected.length);
  const worst = pushed.reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
  assert.ok(worst < 1e-6, `max difference ${worst}`);
});

test('loud clips never pass the limiter ceiling', () => {
  const mixer = new ChannelMixer({ modelRate: MODEL_RATE });
  for (let k = 0; k < 4; k++) {
    const out = mixer.push(noiseClip(40 + k, 3, 0));
    assert.ok(out.every((value) => Math.abs(value) <= 0.98));
  }
});

/** Largest step in the seam regions and inside the clips of the mono stream a mixer makes of `clips`. */
function seamAndInsideSteps(mixer: ChannelMixer, clips: Float32Array[]): { seams: number; inside: number } {
  const stream = concat(clips.map((clip) => mixer.push(clip)));
  const delay = Math.round(mixer.latency * mixer.outputRate);
  const toOutput = (modelSample: number): number => Math.round((modelSample * mixer.outputRate) / MODEL_RATE) + delay;
  const stride = CLIP - mixer.overlap;
  let inside = 0;
  let seams = 0;
  for (let k = 0; k < clips.length; k++) {
    // A margin of 100 frames on each side covers the resampler's reach (±24 input samples).
    const fadeEnd = toOutput(k * stride + mixer.overlap);
    inside = Math.max(inside, largestStep(stream, fadeEnd + 100, toOutput((k + 1) * stride) - 100));
    if (k > 0) seams = Math.max(seams, largestStep(stream, toOutput(k * stride) - 100, fadeEnd + 100));
  }
  return { seams, inside };
}

test('end to end: seams step no more than the clips themselves can, even with jumping DC offsets', () => {
  // Uncorrelated clips (independent seeded noise) with offsets alternating ±0.4, as in the joiner's
  // seam test, measured at 44.1 kHz on the stream the listener gets. √2 × the largest step inside is
  // the worst case of an equal-power fade of uncorrelated clips (see clip-joiner.test.ts).
  const clips = Array.from({ length: 6 }, (_, k) => noiseClip(60 + k, 0.3, k % 2 === 0 ? 0.4 : -0.4));
  const faded = seamAndInsideSteps(new ChannelMixer({ modelRate: MODEL_RATE, channels: 1 }), clips);
  assert.ok(faded.inside > 0.01, 'the measurement must see the signal');
  assert.ok(faded.seams <= Math.SQRT2 * faded.inside, `seam step ${faded.seams} vs ${faded.inside} inside`);
  // The measure can fail: a hard cut between the same (DC-removed) clips breaks it.
  const cut = seamAndInsideSteps(new ChannelMixer({ modelRate: MODEL_RATE, channels: 1, crossfade: 0 }), clips);
  assert.ok(cut.seams > Math.SQRT2 * cut.inside, `hard cut: seam step ${cut.seams} vs ${cut.inside} inside`);
});

test('bad options throw WAVECAST_ERR_CONFIG naming the option', () => {
  const cases: Array<[Partial<ChannelMixerOptions> & Record<string, unknown>, string]> = [
    [{ modelRate: 0 }, 'modelRate'],
    [{ modelRate: -16000 }, 'modelRate'],
    [{ outputRate: 0 }, 'outputRate'],
    [{ outputRate: 44100.5 }, 'outputRate'],
    [{ channels: 3 as 1 }, 'channels'],
    [{ crossfade: -0.1 }, 'crossfade'],
    [{ crossfade: Number.NaN }, 'crossfade'],
    [{ limiterCeiling: 1.5 }, 'limiterCeiling'],
    [{ limiterLookahead: -1 }, 'limiterLookahead'],
    [{ limiterRelease: Number.POSITIVE_INFINITY }, 'limiterRelease'],
  ];
  for (const [options, name] of cases) {
    assert.throws(() => new ChannelMixer({ modelRate: MODEL_RATE, ...options }), (error) =>
      hasCode(error, 'WAVECAST_ERR_CONFIG') && String(error).includes(`"${name}"`), name);
  }
});

test('a crossfade longer than half a clip is refused when the clip arrives, naming the option', () => {
  const mixer = new ChannelMixer({ modelRate: MODEL_RATE, crossfade: 0.6 });
  assert.throws(() => mixer.push(new Float32Array(CLIP)), (error) =>
    hasCode(error, 'WAVECAST_ERR_CONFIG') && /"crossfade".*half a clip/.test(String(error)));
  assert.equal(new ChannelMixer({ modelRate: MODEL_RATE, crossfade: 0.5 }).push(new Float32Array(CLIP)).length % 2, 0);
});
