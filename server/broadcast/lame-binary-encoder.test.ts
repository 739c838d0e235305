import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasCode, type WavecastError } from '../core/errors.js';
import { findLameBinary, LameBinaryEncoder } from './lame-binary-encoder.js';
import { decodeMp3, dominantFrequency, joinBytes, pieces, sine } from './mp3-check.test-helper.js';

const SAMPLE_RATE = 44100;
const skip = findLameBinary() === undefined ? 'lame not installed' : false;

/** Encodes `pcm` in pieces with short awaits between them, then ends; returns every byte. */
async function encodeStreaming(encoder: LameBinaryEncoder, pcm: Float32Array, frameCounts: number[]) {
  const parts: Uint8Array[] = [];
  let nonEmptyCalls = 0;
  for (const piece of pieces(pcm, 2, frameCounts)) {
    const bytes = encoder.encode(piece);
    if (bytes.byteLength > 0) nonEmptyCalls++;
    parts.push(bytes);
    await sleep(1);
  }
  parts.push(encoder.flush());
  parts.push(await encoder.end());
  return { mp3: joinBytes(parts), nonEmptyCalls };
}

test('3 s of a 440 Hz sine decodes to 3 s of 440 Hz', { skip }, async () => {
  const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2, bitrate: 128 });
  try {
    const first = encoder.encode(sine(440, 0.05, SAMPLE_RATE, 2));
    assert.equal(first.byteLength, 0, 'output comes from the child later, never in the same call');
    const { mp3, nonEmptyCalls } = await encodeStreaming(encoder, sine(440, 2.95, SAMPLE_RATE, 2), [2205]);
    assert.ok(nonEmptyCalls > 10, `bytes arrived while streaming (${nonEmptyCalls} calls), not only at the end`);
    const decoded = await decodeMp3(mp3);
    assert.equal(decoded.errors, 0);
    assert.equal(decoded.sampleRate, SAMPLE_RATE);
    assert.equal(decoded.channels, 2);
    assert.ok(Math.abs(decoded.seconds - 3) < 0.1, `decoded ${decoded.seconds} s`);
    const frequency = dominantFrequency(decoded.samples, SAMPLE_RATE);
    assert.ok(Math.abs(frequency - 440) < 2, `dominant ${frequency} Hz`);
  } finally {
    encoder.dispose();
  }
});

test('odd-sized pieces give a valid stream', { skip }, async () => {
  const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2 });
  try {
    const { mp3 } = await encodeStreaming(encoder, sine(440, 3, SAMPLE_RATE, 2), [1, 7, 333, 1151, 4001, 9999]);
    const decoded = await decodeMp3(mp3);
    assert.equal(decoded.errors, 0);
    assert.ok(Math.abs(decoded.seconds - 3) < 0.1, `decoded ${decoded.seconds} s`);
    assert.ok(Math.abs(dominantFrequency(decoded.samples, SAMPLE_RATE) - 440) < 2);
  } finally {
    encoder.dispose();
  }
});

test('a child that dies is reported once through onError, then encode throws', { skip }, async () => {
  const errors: WavecastError[] = [];
  const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2, onError: (error) => errors.push(error) });
  encoder.encode(sine(440, 0.1, SAMPLE_RATE, 2));
  process.kill(encoder.pid!, 'SIGKILL');
  for (let i = 0; i < 200 && errors.length === 0; i++) await sleep(5);
  assert.equal(errors.length, 1);
  assert.ok(hasCode(errors[0], 'WAVECAST_ERR_ENCODER'));
  assert.match(errors[0].message, /SIGKILL/);
  assert.throws(() => encoder.encode(sine(440, 0.1, SAMPLE_RATE, 2)), (error) => error === errors[0]);
  encoder.dispose();
});

test('a child that never reads its input is reported as stalled', { skip: process.platform === 'win32' }, async (t) => {
  // A stand-in for a hung lame: it takes lame's arguments, holds stdin open and reads nothing.
  const dir = mkdtempSync(join(tmpdir(), 'wavecast-hung-lame-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const binaryPath = join(dir, 'lame');
  writeFileSync(binaryPath, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(binaryPath, 0o755);
  const errors: WavecastError[] = [];
  const encoder = new LameBinaryEncoder({
    sampleRate: SAMPLE_RATE,
    channels: 2,
    binaryPath,
    maxQueuedSeconds: 0.5,
    onError: (error) => errors.push(error),
  });
  const block = sine(440, 0.1, SAMPLE_RATE, 2);
  let thrown: unknown;
  for (let i = 0; i < 200 && thrown === undefined; i++) {
    try {
      encoder.encode(block);
    } catch (error) {
      thrown = error;
    }
    await sleep(1);
  }
  encoder.dispose();
  assert.ok(hasCode(thrown, 'WAVECAST_ERR_ENCODER'));
  assert.match((thrown as Error).message, /stalled/);
  assert.equal(errors.length, 1);
});

test('dispose kills the child without reporting an error', { skip }, async () => {
  const errors: WavecastError[] = [];
  const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2, onError: (error) => errors.push(error) });
  encoder.encode(sine(440, 0.1, SAMPLE_RATE, 2));
  encoder.dispose();
  await sleep(50);
  assert.deepEqual(errors, []);
});

test('writeSeconds gathers the PCM into writes of that much audio, and end() writes what is left', { skip: process.platform === 'win32' }, async (t) => {
  // A stand-in lame that logs the size of every read of its stdin (one read per write, as the test waits between frames).
  const dir = mkdtempSync(join(tmpdir(), 'wavecast-counting-lame-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const binaryPath = join(dir, 'lame');
  const reads = join(dir, 'reads');
  writeFileSync(binaryPath, `#!${process.execPath}\nconst fs = require('node:fs');\nprocess.stdin.on('data', (d) => fs.appendFileSync(${JSON.stringify(reads)}, d.length + '\\n'));\n`);
  chmodSync(binaryPath, 0o755);
  const frame = sine(440, 0.05, SAMPLE_RATE, 2); // 2 205 frames: 8 820 bytes as int16
  const counted = async (writeSeconds: number) => {
    rmSync(reads, { force: true });
    const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2, binaryPath, writeSeconds });
    await sleep(400); // the stand-in started and reading, so its reads follow the writes
    for (let i = 0; i < 21; i++) {
      encoder.encode(frame);
      await sleep(5);
    }
    await encoder.end();
    return (await import('node:fs')).readFileSync(reads, 'utf8').trim().split('\n').map(Number);
  };
  const each = await counted(0);
  const gathered = await counted(0.2);
  assert.equal(each.reduce((a, b) => a + b, 0), 21 * 8820);
  assert.equal(gathered.reduce((a, b) => a + b, 0), 21 * 8820, 'every sample written, the last 0.05 s by end()');
  assert.ok(each.length >= 15, `a write per frame: ${each.length} reads`);
  assert.ok(gathered.length <= 8, `writes of 0.2 s (8820 frames, 35 280 bytes) and the rest: ${gathered.length} reads (${gathered.join(', ')})`);
});

test('with writeSeconds 0.2, 3 s of a sine still decodes to 3 s', { skip }, async () => {
  const encoder = new LameBinaryEncoder({ sampleRate: SAMPLE_RATE, channels: 2, bitrate: 128, writeSeconds: 0.2 });
  try {
    const { mp3 } = await encodeStreaming(encoder, sine(440, 3, SAMPLE_RATE, 2), [2205]);
    const decoded = await decodeMp3(mp3);
    assert.equal(decoded.errors, 0);
    assert.ok(Math.abs(decoded.seconds - 3) < 0.1, `decoded ${decoded.seconds} s`);
  } finally {
    encoder.dispose();
  }
});
