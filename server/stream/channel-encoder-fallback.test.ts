/**
 * When the `lame` child dies mid-stream, the channel carries on with lamejs: the stream never
 * stops and its chunks stay whole MP3 frames. A stand-in `lame` on PATH plays the dying child.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config/load-config.js';
import { parseMp3FrameHeader } from '../broadcast/mp3-frame-splitter.js';
import { Channel } from './channel.js';

// Must be on PATH before the first encoder is created (findLameBinary caches its answer).
const bin = mkdtempSync(path.join(tmpdir(), 'wavecast-fake-lame-'));
writeFileSync(path.join(bin, 'lame'), '#!/bin/sh\n# reads a little PCM, writes nothing, then dies\nhead -c 50000 > /dev/null\nexit 3\n');
chmodSync(path.join(bin, 'lame'), 0o755);
process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;

test('a lame child that dies is replaced by lamejs without stopping the stream', async () => {
  const config = parseConfig({ server: { mp3Encoder: 'auto' }, channels: [{ id: 'c', model: 'm', seed: 1 }] }, 'test');
  const channel = new Channel({
    config: config.channels[0],
    server: config.server,
    model: { id: 'm', family: 'waveform', instrument: 'sine', sampleRate: 16000, clipSamples: 16384, latentDim: 100, trained: true },
  });
  // Read through a function: assert.equal narrows a property read to the literal it checked.
  const encoderName = (): string => channel.mp3EncoderName;
  assert.equal(encoderName(), 'lame-binary', 'the stand-in was picked up');
  const clip = Float32Array.from({ length: 16384 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 330 * i) / 16000));
  for (let i = 0; i < 8; i++) channel.acceptClip(clip);
  const start = performance.now();
  channel.startPlayback(start);
  let now = start;
  while (encoderName() !== 'lamejs' && now - start < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    now = performance.now();
    channel.tick(now);
  }
  assert.equal(encoderName(), 'lamejs', 'fell back after the child died');
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 50));
    channel.tick(performance.now());
  }
  const chunks = channel.mp3.reader({ burstSeconds: 5, maxLagSeconds: 10 }).read();
  assert.ok(chunks.length > 0, 'MP3 keeps coming');
  for (const chunk of chunks) assert.ok(parseMp3FrameHeader(chunk.bytes, 0), `chunk ${chunk.seq} starts on a frame header`);
  const expectedFrames = Math.floor((performance.now() - start) / 1000 / 0.05);
  assert.ok(channel.counters.framesPlayed >= expectedFrames - 2, `played ${channel.counters.framesPlayed} of ~${expectedFrames} frames`);
  assert.equal(channel.counters.underruns, 0);
  channel.dispose();
});
