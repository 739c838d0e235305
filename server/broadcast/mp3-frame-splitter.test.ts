import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../core/seeded-random.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { Mp3FrameSplitter, parseMp3FrameHeader } from './mp3-frame-splitter.js';

function encodedSine(seconds: number, sampleRate: number, channels: 1 | 2, bitrate: number): Uint8Array {
  const encoder = new LameJsEncoder({ sampleRate, channels, bitrate });
  const frames = Math.round(seconds * sampleRate);
  const pcm = new Float32Array(frames * channels).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * Math.floor(i / channels)) / sampleRate));
  const parts = [encoder.encode(pcm), encoder.flush()];
  encoder.dispose();
  return Uint8Array.from(Buffer.concat(parts));
}

test('parses MPEG-1 and MPEG-2 layer III headers and rejects non-headers', () => {
  // 0xFFFB 0x90: MPEG-1 layer III, 128 kbps, 44.1 kHz, no padding → 417 bytes.
  assert.deepEqual(parseMp3FrameHeader(Uint8Array.from([0xff, 0xfb, 0x90, 0x64]), 0), { length: 417, sampleRate: 44100, samples: 1152 });
  // Padding bit adds one byte.
  assert.equal(parseMp3FrameHeader(Uint8Array.from([0xff, 0xfb, 0x92, 0x64]), 0)?.length, 418);
  // 0xFFF3 0x80: MPEG-2 layer III, 64 kbps, 22.05 kHz → 72000×64/22050 = 208 bytes, 576 samples.
  assert.deepEqual(parseMp3FrameHeader(Uint8Array.from([0xff, 0xf3, 0x80, 0x64]), 0), { length: 208, sampleRate: 22050, samples: 576 });
  assert.equal(parseMp3FrameHeader(Uint8Array.from([0x49, 0x44, 0x33, 0x04]), 0), undefined, 'ID3 tag');
  assert.equal(parseMp3FrameHeader(Uint8Array.from([0xff, 0xfb, 0xf0, 0x64]), 0), undefined, 'bad bitrate index');
});

test('any split of an encoded stream comes out as whole frames, nothing lost, every chunk starting on a header', () => {
  for (const [rate, channels, kbps] of [[44100, 2, 128], [22050, 1, 64], [48000, 2, 320]] as const) {
    const stream = encodedSine(2, rate, channels, kbps);
    const random = mulberry32(rate);
    const splitter = new Mp3FrameSplitter();
    const out: Uint8Array[] = [];
    let frames = 0;
    let duration = 0;
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(random() * 700);
      const result = splitter.push(stream.subarray(at, at + size));
      at += size;
      if (result.bytes.length > 0) {
        assert.ok(parseMp3FrameHeader(result.bytes, 0), 'each output starts on a frame header');
        out.push(result.bytes);
      }
      frames += result.frames;
      duration += result.duration;
    }
    assert.equal(splitter.pendingBytes, 0, 'the last frame completes');
    assert.deepEqual(Buffer.concat(out), Buffer.from(stream), 'bytes in order, none lost');
    const samplesPerFrame = rate >= 32000 ? 1152 : 576;
    assert.ok(Math.abs(duration - (frames * samplesPerFrame) / rate) < 1e-9);
    assert.ok(duration >= 2 && duration < 2.2, `${rate} Hz: ${duration} s of frames for 2 s of audio`);
  }
});

test('garbage where a header should be is an encoder error, not a silent skip', () => {
  const splitter = new Mp3FrameSplitter();
  assert.throws(() => splitter.push(new Uint8Array(10).fill(7)), { code: 'WAVECAST_ERR_ENCODER' });
});
