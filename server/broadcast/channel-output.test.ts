/**
 * The channel output encodes each frame once per wire format, and when an MP3 encoder fails it
 * carries on with the next of its chain: the stream never stops and its chunks stay whole MP3
 * frames. The encoders are injected, so a failing one is a plain object here, and a dying `lame`
 * child is a real LameBinaryEncoder pointed at a stand-in script.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WavecastErrorCode } from '../core/errors.js';
import { ChannelOutput } from './channel-output.js';
import type { Encoder, EncoderFactory } from './encoder.js';
import { LameBinaryEncoder } from './lame-binary-encoder.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { parseMp3FrameHeader } from './mp3-frame-splitter.js';

const mp3 = { sampleRate: 44100, channels: 2 as const, bitrate: 128 };
const lamejs: EncoderFactory = () => new LameJsEncoder(mp3);
const FRAME = 2205; // 50 ms at 44.1 kHz

function frames(count: number, title = 't') {
  return Array.from({ length: count }, (_, seq) => {
    const pcm = new Float32Array(FRAME * 2);
    for (let f = 0; f < FRAME; f++) pcm[2 * f] = pcm[2 * f + 1] = 0.4 * Math.sin((2 * Math.PI * 330 * (seq * FRAME + f)) / 44100);
    return { pcm, seq, duration: 0.05, title };
  });
}

function assertWholeMp3Frames(output: ChannelOutput): number {
  const chunks = output.mp3.reader({ burstSeconds: 9, maxLagSeconds: 10 }).read();
  assert.ok(chunks.length > 0, 'MP3 keeps coming');
  for (const chunk of chunks) assert.ok(parseMp3FrameHeader(chunk.bytes, 0), `chunk ${chunk.seq} starts on a frame header`);
  return chunks.reduce((sum, c) => sum + c.duration, 0);
}

test('each frame is encoded once per format: sequence-numbered PCM, and MP3 in whole frames whose durations add up', () => {
  const output = new ChannelOutput({ id: 'c', mp3Encoders: [lamejs], historySeconds: 10 });
  for (const frame of frames(80, 'c: sine')) output.write(frame);
  const s16 = output.pcmQueue('s16le').reader({ burstSeconds: 5, maxLagSeconds: 10 }).read();
  const f32 = output.pcmQueue('f32le').reader({ burstSeconds: 5, maxLagSeconds: 10 }).read();
  assert.deepEqual(s16.map((c) => new DataView(c.bytes.buffer).getUint32(0, true)), [...Array(80).keys()]);
  assert.equal(s16[0].bytes.length, 4 + FRAME * 2 * 2);
  assert.equal(f32[0].bytes.length, 4 + FRAME * 2 * 4);
  const encoded = assertWholeMp3Frames(output);
  // The encoder holds back at most a few frames (~0.1 s) of the 4 s written.
  assert.ok(encoded <= 4 && encoded > 3.8, `encoded ${encoded} s of 4 s`);
  assert.equal(output.mp3.reader({ burstSeconds: 1, maxLagSeconds: 10 }).read()[0].title, 'c: sine');
  output.dispose();
});

test('an encoder that throws is replaced by the next of the chain at once, and the operator is told', () => {
  let calls = 0;
  const failing: EncoderFactory = () => {
    const inner = new LameJsEncoder(mp3);
    const encoder: Encoder = {
      contentType: 'audio/mpeg',
      name: 'flaky',
      encode: (pcm) => {
        if (++calls > 20) throw new Error('flaky broke');
        return inner.encode(pcm);
      },
      flush: () => inner.flush(),
      dispose: () => inner.dispose(),
    };
    return encoder;
  };
  const problems: Array<[WavecastErrorCode, string]> = [];
  const output = new ChannelOutput({ id: 'c', mp3Encoders: [failing, lamejs], historySeconds: 10, onProblem: (code, message) => problems.push([code, message]) });
  for (const frame of frames(60)) output.write(frame);
  assert.equal(output.mp3EncoderName, 'lamejs');
  assert.deepEqual(problems, [['WAVECAST_ERR_ENCODER', 'channel "c": the flaky encoder failed (flaky broke); carrying on with lamejs']]);
  const encoded = assertWholeMp3Frames(output);
  assert.ok(encoded > 2.8, `the stream went on: ${encoded} s of 3 s`);
  output.dispose();
});

test('the last encoder of the chain failing is an error, not a silent stop', () => {
  const broken: EncoderFactory = () => ({ contentType: 'audio/mpeg', name: 'broken', encode: () => { throw new Error('no'); }, flush: () => new Uint8Array(0), dispose: () => {} });
  const output = new ChannelOutput({ id: 'c', mp3Encoders: [broken], historySeconds: 10 });
  assert.throws(() => output.write(frames(1)[0]), /no/);
});

test('a lame child that dies is replaced by lamejs without stopping the stream', async () => {
  const bin = mkdtempSync(path.join(tmpdir(), 'wavecast-fake-lame-'));
  const binaryPath = path.join(bin, 'lame');
  writeFileSync(binaryPath, '#!/bin/sh\n# reads a little PCM, writes nothing, then dies\nhead -c 50000 > /dev/null\nexit 3\n');
  chmodSync(binaryPath, 0o755);
  const dying: EncoderFactory = (onFailure) => new LameBinaryEncoder({ ...mp3, binaryPath, onError: onFailure });
  const output = new ChannelOutput({ id: 'c', mp3Encoders: [dying, lamejs], historySeconds: 10 });
  // Read through a function: assert.equal narrows a property read to the literal it checked.
  const encoderName = (): string => output.mp3EncoderName;
  assert.equal(encoderName(), 'lame-binary');
  let seq = 0;
  const started = performance.now();
  while (encoderName() !== 'lamejs' && performance.now() - started < 5000) {
    for (const frame of frames(2)) output.write({ ...frame, seq: seq++ });
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(encoderName(), 'lamejs', 'fell back after the child died');
  for (const frame of frames(20)) output.write({ ...frame, seq: seq++ });
  assertWholeMp3Frames(output);
  assert.equal(output.pcmQueue('s16le').headSeq, seq - 1, 'every frame reached the PCM queues');
  output.dispose();
});

test('a PCM format is encoded from its first ask, its history backfilled; until then nothing is spent on it', () => {
  const output = new ChannelOutput({ id: 'c', mp3Encoders: [lamejs], historySeconds: 2 });
  const written = frames(60, 'c: sine'); // 3 s of 50 ms frames
  for (const frame of written.slice(0, 50)) output.write(frame);
  // Asked for after 2.5 s: the last 2 s (historySeconds) come encoded at once, in order.
  const s16 = output.pcmQueue('s16le');
  const seqs = (queue: ReturnType<ChannelOutput['pcmQueue']>) => queue.reader({ burstSeconds: 9, maxLagSeconds: 10 }).read().map((c) => new DataView(c.bytes.buffer, c.bytes.byteOffset).getUint32(0, true));
  assert.deepEqual(seqs(s16), [...Array(40).keys()].map((i) => i + 10));
  for (const frame of written.slice(50)) output.write(frame);
  assert.deepEqual(seqs(s16).slice(-10), [...Array(10).keys()].map((i) => i + 50), 'and every frame from then on');
  // The bytes are the same as from a format encoded all along.
  const all = new ChannelOutput({ id: 'd', mp3Encoders: [lamejs], historySeconds: 2 });
  all.pcmQueue('s16le');
  for (const frame of written) all.write(frame);
  const last = (queue: ReturnType<ChannelOutput['pcmQueue']>) => queue.reader({ burstSeconds: 9, maxLagSeconds: 10 }).read().at(-1)!.bytes;
  assert.deepEqual(last(s16), last(all.pcmQueue('s16le')));
  // The other format, asked for last, gets the history too (and nothing is kept after that).
  assert.deepEqual(seqs(output.pcmQueue('f32le')), [...Array(40).keys()].map((i) => i + 20));
  output.dispose();
  all.dispose();
});
