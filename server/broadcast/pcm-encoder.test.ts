import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmEncoder } from './pcm-encoder.js';

const samples = Float32Array.of(0, 1, -1, 0.5, 1.5, -1.5, -0.5, NaN);

test('s16le: exact little-endian int16 values, clipped', () => {
  const bytes = new PcmEncoder({ format: 's16le' }).encode(samples);
  // prettier-ignore
  assert.deepEqual([...bytes], [
    0x00, 0x00, //  0    →      0
    0xff, 0x7f, //  1    →  32767
    0x00, 0x80, // -1    → -32768
    0x00, 0x40, //  0.5  →  16384 (16383.5 rounded)
    0xff, 0x7f, //  1.5  →  32767 (clipped)
    0x00, 0x80, // -1.5  → -32768 (clipped)
    0x00, 0xc0, // -0.5  → -16384
    0x00, 0x00, //  NaN  →      0
  ]);
});

test('f32le: the floats bit for bit, little-endian', () => {
  const encoder = new PcmEncoder({ format: 'f32le' });
  const bytes = encoder.encode(samples.subarray(1, 5));
  // prettier-ignore
  assert.deepEqual([...bytes], [
    0x00, 0x00, 0x80, 0x3f, //  1
    0x00, 0x00, 0x80, 0xbf, // -1
    0x00, 0x00, 0x00, 0x3f, //  0.5
    0x00, 0x00, 0xc0, 0x3f, //  1.5 (not clipped)
  ]);
  assert.equal(bytes.buffer === samples.buffer, false, 'the caller owns a copy');
  assert.equal(encoder.flush().byteLength, 0);
  assert.equal(encoder.contentType, 'application/octet-stream');
  assert.equal(encoder.name, 'f32le');
});
