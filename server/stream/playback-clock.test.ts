import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlaybackClock } from './playback-clock.js';
import { PcmFifo } from './pcm-fifo.js';

test('frames fall due with wall time however irregular the ticks', () => {
  const clock = new PlaybackClock(0.05, 1000);
  assert.equal(clock.due(1000), 0);
  assert.equal(clock.due(1049), 0);
  assert.equal(clock.due(1050), 1);
  assert.equal(clock.due(1173), 3);
  clock.advance(3);
  assert.equal(clock.due(1173), 0);
  // 10 s of ticks at random intervals release exactly 200 frames.
  let now = 1173;
  while (now < 11000) {
    now += 3 + Math.floor(Math.random() * 40);
    clock.advance(clock.due(Math.min(now, 11000)));
  }
  assert.equal(clock.released, 200);
});

test('forgive drops the missed frames instead of owing them', () => {
  const clock = new PlaybackClock(0.05, 0);
  clock.advance(clock.due(500)); // 10 frames
  assert.equal(clock.due(2000), 30);
  clock.forgive(2000);
  assert.equal(clock.due(2000), 0);
  assert.equal(clock.due(2050), 1);
});

test('the fifo returns exactly the frames pushed, across chunk edges, in order', () => {
  const fifo = new PcmFifo(2);
  fifo.push(Float32Array.from([0, 1, 2, 3, 4, 5]));
  fifo.push(Float32Array.from([6, 7]));
  fifo.push(Float32Array.from([8, 9, 10, 11]));
  assert.equal(fifo.frames, 6);
  assert.deepEqual([...fifo.take(2)], [0, 1, 2, 3]);
  assert.deepEqual([...fifo.take(3)], [4, 5, 6, 7, 8, 9]);
  assert.equal(fifo.frames, 1);
  assert.throws(() => fifo.take(2), /asked for 2 frames, 1 queued/);
  assert.throws(() => fifo.push(new Float32Array(3)), /not a whole number/);
});
