import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/load-config.js';
import { parseMp3FrameHeader } from '../broadcast/mp3-frame-splitter.js';
import type { GeneratorInfo } from '../inference/generator.js';
import { cellIndex, emptyRoll } from '../families/symbolic/piano-roll.js';
import { Channel } from './channel.js';

const model: GeneratorInfo = {
  id: 'test-model', family: 'waveform', instrument: 'sine', sampleRate: 16000, clipSamples: 16384, latentDim: 100, trained: true,
};

function makeChannel(mp3Encoder: 'lamejs' | 'auto' = 'lamejs') {
  const config = parseConfig({ server: { mp3Encoder }, channels: [{ id: 'c', model: 'test-model', seed: 1 }] }, 'test');
  return new Channel({ config: config.channels[0], server: config.server, model });
}

const clip = (hz: number) => Float32Array.from({ length: 16384 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 16000));

test('the clock releases exactly the frames due, in contiguous WebSocket sequence, once per format', () => {
  const channel = makeChannel();
  for (let i = 0; i < 4; i++) channel.acceptClip(clip(220 + 20 * i));
  const buffered = channel.bufferedSeconds;
  assert.ok(buffered > 2.5, `4 clips buffer ${buffered} s`);
  channel.startPlayback(0);
  channel.tick(1000); // 1 s = 20 frames of 50 ms
  assert.equal(channel.counters.framesPlayed, 20);
  assert.ok(Math.abs(channel.bufferedSeconds - (buffered - 1)) < 1e-9);
  const s16 = channel.pcm.s16le.reader({ burstSeconds: 5, maxLagSeconds: 10 }).read();
  const f32 = channel.pcm.f32le.reader({ burstSeconds: 5, maxLagSeconds: 10 }).read();
  assert.deepEqual(s16.map((c) => new DataView(c.bytes.buffer).getUint32(0, true)), [...Array(20).keys()]);
  assert.equal(s16[0].bytes.length, 4 + channel.frameSamples * 2 * 2);
  assert.equal(f32[0].bytes.length, 4 + channel.frameSamples * 2 * 4);
  channel.dispose();
});

test('MP3 chunks are whole frames whose durations add up to the audio played', () => {
  const channel = makeChannel();
  for (let i = 0; i < 6; i++) channel.acceptClip(clip(300));
  channel.startPlayback(0);
  channel.tick(4000);
  const chunks = channel.mp3.reader({ burstSeconds: 9, maxLagSeconds: 10 }).read();
  for (const chunk of chunks) assert.ok(parseMp3FrameHeader(chunk.bytes, 0), `chunk ${chunk.seq} starts on a header`);
  const encoded = chunks.reduce((sum, c) => sum + c.duration, 0);
  // The encoder holds back at most a few frames (~0.1 s) of the 4 s played.
  assert.ok(encoded <= 4 && encoded > 3.8, `encoded ${encoded} s of 4 s`);
  assert.equal(chunks[0].title, 'c: sine - test-model');
  channel.dispose();
});

test('running dry counts one underrun and does not burst the missed time later', () => {
  const channel = makeChannel();
  channel.acceptClip(clip(200)); // ≈ 1 s minus the held crossfade tail
  channel.startPlayback(0);
  channel.tick(3000);
  assert.equal(channel.counters.underruns, 1);
  const played = channel.counters.framesPlayed;
  assert.ok(played > 10 && played < 20, `played ${played} frames of what was there`);
  channel.tick(3500);
  assert.equal(channel.counters.underruns, 1, 'one episode, counted once');
  for (let i = 0; i < 4; i++) channel.acceptClip(clip(200));
  channel.tick(3600); // 100 ms after the last tick: 2 frames, not the 2 s missed
  assert.equal(channel.counters.framesPlayed - played, 2);
  channel.dispose();
});

const symbolicModel: GeneratorInfo = { id: 'sym', family: 'symbolic', instrument: 'x', latentDim: 8, trained: true, styles: ['house', 'cafe', 'ambient'] };

function makeSymbolicChannel(overrides: Record<string, unknown> = {}, model: GeneratorInfo = symbolicModel) {
  const config = parseConfig({ server: { mp3Encoder: 'lamejs' }, channels: [{ id: 's', model: 'sym', seed: 1, tempo: 120, style: 'cafe', ...overrides }] }, 'test');
  return new Channel({ config: config.channels[0], server: config.server, model });
}

test('a symbolic channel asks for z ⊕ its style, renders a phrase as 4 exact bars, and remembers the bars played', async () => {
  const channel = makeSymbolicChannel();
  const input = channel.nextLatent();
  assert.equal(input.length, 8 + 3);
  assert.deepEqual([...input.subarray(8)], [0, 1, 0], 'cafe one-hot');
  assert.match(channel.title, /^s: cafe on piano, 120 bpm - sym$/);

  const phrase = emptyRoll();
  for (let step = 0; step < 64; step += 8) phrase[cellIndex(step, 'chords', 12)] = 0.9; // C4 every half bar
  const seconds = await channel.acceptClip(phrase);
  assert.ok(Math.abs(seconds - 4 * 2) < 1e-9, `4 bars at 120 bpm are 8 s, got ${seconds}`);
  assert.equal(channel.playedBars(8).length, 0, 'nothing played yet');
  channel.startPlayback(0);
  channel.tick(2500); // into the second bar
  const played = channel.playedBars(8);
  assert.deepEqual(played.map((bar) => bar.startFrame), [0, 88200]);
  assert.deepEqual(played[0].notes.map((n) => [n.pitch, n.step]), [[60, 0], [60, 8]]);
  channel.dispose();
});

test('a symbolic channel refuses a style its model was not trained on, naming both', () => {
  assert.throws(
    () => makeSymbolicChannel({ style: 'ambient' }, { ...symbolicModel, styles: ['house', 'cafe'] }),
    /channel "s": style "ambient" is not one model "sym" was trained on \(house, cafe\)/,
  );
});
