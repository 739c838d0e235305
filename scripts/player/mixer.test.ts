import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheRing } from './cache-ring.js';
import { LiveBuffer } from './live-buffer.js';
import { Mixer } from './mixer.js';

const BLOCK = 50;
const steady = (value: number, frames: number) => new Float32Array(frames * 2).fill(value);
const newLive = () => new LiveBuffer({ target: 1000, driftBand: 1e9, capacity: 1e6 });

function harness(withCache: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mixer-'));
  const cache = withCache ? new CacheRing({ dir, capacity: 1e6, segmentFrames: 10_000 }) : undefined;
  let live: LiveBuffer | undefined;
  const lines: string[] = [];
  let seed = 1;
  const mixer = new Mixer({
    live: () => live,
    cache,
    cacheFade: 100,
    liveFade: 400,
    startFade: 10,
    ready: 200,
    target: 1000,
    startGrace: 500,
    avoidNewest: 300,
    minPlay: 600,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    report: (line) => lines.push(line),
  });
  const out = new Float32Array(BLOCK * 2);
  const heard: number[] = [];
  /** Renders `blocks` blocks; `feed` (if any) gets BLOCK frames pushed per block, as a live connection would. */
  const play = (blocks: number, feed?: { buffer: LiveBuffer; value: number }) => {
    for (let b = 0; b < blocks; b++) {
      feed?.buffer.push(steady(feed.value, BLOCK));
      mixer.render(out, BLOCK);
      for (let f = 0; f < BLOCK; f++) heard.push(out[2 * f]);
    }
  };
  return {
    mixer, cache, lines, heard, play,
    setLive: (buffer: LiveBuffer | undefined) => (live = buffer),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('live → (network cut) → cache → (network back) → live, with equal-power fades and never a dry frame', () => {
  const h = harness(true);
  try {
    const first = newLive();
    first.push(steady(0.5, 2000)); // the server's connect burst
    h.setLive(first);
    h.play(60, { buffer: first, value: 0.5 });
    assert.equal(h.mixer.state, 'live');
    assert.deepEqual(h.lines, ['playing live']);
    assert.ok(h.heard.slice(20).every((x) => Math.abs(x - 0.5) < 1e-6), 'live plays the feed unchanged');
    h.cache!.flush(); // writes are buffered for a second
    const cachedBeforeCut = h.cache!.totalFrames;
    assert.ok(cachedBeforeCut > 2000, `the live audio went into the cache (${cachedBeforeCut} frames)`);

    // The cut: nothing more arrives; the buffer's tail (1000 frames at the target latency) plays, then the cache.
    first.close();
    const cutAt = h.heard.length;
    h.play(60);
    assert.equal(h.mixer.switches.toCache, 1);
    assert.match(h.lines[1], /^network lost: playing from the cache \(as heard at .*\), crossfading over/);
    assert.ok(h.heard.length - cutAt > 800, 'the live tail was played before the fade');
    assert.equal(h.mixer.dryFrames, 0, 'no frame of silence');
    assert.ok(h.heard.slice(cutAt).every((x) => x >= 0.5 - 1e-4 && x <= 0.71), 'the cached audio (0.5) follows; a fade of two equal signals peaks at √2 × 0.5');
    const cachedAtCut = h.cache!.totalFrames;
    assert.ok(cachedAtCut > cachedBeforeCut, 'the live tail played after the cut was cached too');
    h.play(40);
    assert.match(h.mixer.state as string, /cache/);
    assert.equal(h.cache!.totalFrames, cachedAtCut, 'nothing from the cache is cached again');
    assert.equal(h.mixer.dryFrames, 0);

    // The network comes back: a new connection, another sound (0.25), its burst at once.
    const second = newLive();
    second.push(steady(0.25, 2000));
    h.setLive(second);
    const backAt = h.heard.length;
    h.play(40, { buffer: second, value: 0.25 });
    assert.equal(h.mixer.state, 'live');
    assert.equal(h.mixer.switches.toLive, 1);
    assert.match(h.lines.at(-1)!, /^live again: crossfading back to the stream over /);
    const fade = h.heard.slice(backAt, backAt + 400);
    assert.ok(fade[0] > 0.49 && fade[399] < 0.26 && fade.every((x) => x > 0.24), 'a fade from the cache (0.5) to live (0.25), no dip');
    assert.ok(h.heard.slice(backAt + 420).every((x) => Math.abs(x - 0.25) < 1e-6), 'then live alone');
    assert.equal(h.mixer.dryFrames, 0);
    h.mixer.close();
    assert.equal(h.cache!.runs().length, 2, 'the return to live starts a new run in the cache');
  } finally {
    h.cleanup();
  }
});

test('a reconnect before the tail runs out crossfades straight from the old connection to the new one', () => {
  const h = harness(true);
  try {
    const first = newLive();
    first.push(steady(0.5, 2000));
    h.setLive(first);
    h.play(30, { buffer: first, value: 0.5 });
    first.close();
    h.play(4);
    const second = newLive();
    second.push(steady(0.25, 2000));
    h.setLive(second);
    h.play(30, { buffer: second, value: 0.25 });
    assert.equal(h.mixer.switches.toCache, 0);
    assert.equal(h.mixer.switches.liveToLive, 1);
    assert.match(h.lines.at(-1)!, /^reconnected: crossfading to the new connection/);
    assert.equal(h.mixer.dryFrames, 0);
    assert.ok(h.heard.slice(-100).every((x) => Math.abs(x - 0.25) < 1e-6));
  } finally {
    h.cleanup();
  }
});

test('at start without a network, the cache plays after the grace; without a cache, the player says it waits', () => {
  const h = harness(true);
  const bare = harness(false);
  try {
    h.cache!.append(steady(0.3, 3000));
    h.cache!.endRun();
    h.play(20);
    assert.equal(h.mixer.state, 'cache');
    assert.match(h.lines[0], /^no live audio yet: playing from the cache/);
    assert.ok(h.heard.slice(600).every((x) => x > 0.29));
    bare.play(20);
    assert.equal(bare.mixer.state, 'silent');
    assert.deepEqual(bare.lines, ['nothing to play yet: no live audio and the cache is empty; waiting for the network']);
    assert.ok(bare.heard.every((x) => x === 0));
  } finally {
    h.cleanup();
    bare.cleanup();
  }
});
