import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { decodeMp3, dominantFrequency, joinBytes, pieces, sine } from './mp3-check.test-helper.js';

const SAMPLE_RATE = 44100;

test('3 s of a 440 Hz sine decodes to 3 s of 440 Hz', async () => {
  const encoder = new LameJsEncoder({ sampleRate: SAMPLE_RATE, channels: 2, bitrate: 128 });
  const mp3 = joinBytes([encoder.encode(sine(440, 3, SAMPLE_RATE, 2)), encoder.flush()]);
  // 128 kbps CBR: 3 s is about 48 kB (plus LAME's delay and padding frames).
  assert.ok(Math.abs(mp3.byteLength - 48000) < 1500, `mp3 bytes ${mp3.byteLength}`);
  const decoded = await decodeMp3(mp3);
  assert.equal(decoded.errors, 0);
  assert.equal(decoded.sampleRate, SAMPLE_RATE);
  assert.equal(decoded.channels, 2);
  // LAME adds about 1105 frames of delay at the start and pads the last frame: < 0.1 s.
  assert.ok(Math.abs(decoded.seconds - 3) < 0.1, `decoded ${decoded.seconds} s`);
  const frequency = dominantFrequency(decoded.samples, decoded.sampleRate);
  assert.ok(Math.abs(frequency - 440) < 2, `dominant ${frequency} Hz`);
});

test('odd-sized pieces give the same valid stream, in whole frames only', async () => {
  const pcm = sine(440, 3, SAMPLE_RATE, 2);
  const whole = new LameJsEncoder({ sampleRate: SAMPLE_RATE, channels: 2 });
  const expected = joinBytes([whole.encode(pcm), whole.flush()]);

  const encoder = new LameJsEncoder({ sampleRate: SAMPLE_RATE, channels: 2 });
  const parts: Uint8Array[] = [];
  for (const piece of pieces(pcm, 2, [1, 7, 333, 1151, 1152, 1153, 4001])) {
    const bytes = encoder.encode(piece);
    // Anything returned starts on a frame sync: encode never hands out a partial frame.
    if (bytes.byteLength > 0) assert.ok(bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0);
    parts.push(bytes);
  }
  parts.push(encoder.flush());
  const mp3 = joinBytes(parts);
  assert.deepEqual(mp3, expected);
  const decoded = await decodeMp3(mp3);
  assert.equal(decoded.errors, 0);
  assert.ok(Math.abs(decoded.seconds - 3) < 0.1, `decoded ${decoded.seconds} s`);
  assert.ok(Math.abs(dominantFrequency(decoded.samples, SAMPLE_RATE) - 440) < 2);
});

test('mono at 22.05 kHz decodes at its own rate', async () => {
  const encoder = new LameJsEncoder({ sampleRate: 22050, channels: 1, bitrate: 64 });
  const decoded = await decodeMp3(joinBytes([encoder.encode(sine(1000, 1, 22050, 1)), encoder.flush()]));
  assert.equal(decoded.sampleRate, 22050);
  assert.ok(Math.abs(decoded.seconds - 1) < 0.1);
  assert.ok(Math.abs(dominantFrequency(decoded.samples, 22050) - 1000) < 5);
});

test('rejects rates and bitrates MP3 cannot carry, naming the field', () => {
  const bad = (options: ConstructorParameters<typeof LameJsEncoder>[0], field: RegExp) =>
    assert.throws(() => new LameJsEncoder(options), (error) => hasCode(error, 'WAVECAST_ERR_CONFIG') && field.test((error as Error).message));
  bad({ sampleRate: 44000, channels: 2 }, /^sampleRate 44000/);
  bad({ sampleRate: 44100, channels: 2, bitrate: 144 }, /^bitrate 144/); // MPEG-2 only
  bad({ sampleRate: 22050, channels: 2, bitrate: 320 }, /^bitrate 320/); // MPEG-1 only
  bad({ sampleRate: 44100, channels: 3 as 2 }, /^channels/);
});

test('a partial frame of interleaved samples is refused', () => {
  const encoder = new LameJsEncoder({ sampleRate: SAMPLE_RATE, channels: 2 });
  assert.throws(() => encoder.encode(new Float32Array(3)), (error) => hasCode(error, 'WAVECAST_ERR_ENCODER'));
});
