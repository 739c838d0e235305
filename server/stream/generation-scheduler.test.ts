import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waveformModel } from '../families/model-fixtures.test-helper.js';
import type { Generator } from '../inference/generator.js';
import { GenerationScheduler, type GenerationStats, type GenerationTarget } from './generation-scheduler.js';

/** A deterministic generator for scheduling tests: each clip is a sine whose pitch follows latent[0]. */
class SineGenerator implements Generator {
  readonly info = waveformModel('sine', { latentDim: 4 });
  readonly engine = 'test-sine';
  batches: number[] = [];
  failuresLeft = 0;
  async initialize() {}
  async dispose() {}
  async generate(latents: readonly Float32Array[]) {
    await new Promise((r) => setTimeout(r, 2));
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('simulated inference failure');
    }
    this.batches.push(latents.length);
    return latents.map((z) => Float32Array.from({ length: 16000 }, (_, i) => Math.sin((i * (200 + z[0])) / 16000)));
  }
}

/** A channel that gains 0.75 s per clip, like a 1 s clip joined with a 0.25 s crossfade. */
class FakeChannel implements GenerationTarget {
  bufferedSeconds = 0;
  clips = 0;
  constructor(readonly id: string) {}
  nextLatent() {
    return new Float32Array([this.clips, 0, 0, 0]);
  }
  acceptClip(clip: Float32Array): number | Promise<number> {
    assert.equal(clip.length, 16000);
    this.clips++;
    this.bufferedSeconds += 0.75;
    return 0.75;
  }
}

const until = async (condition: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('fills every channel to the target, not far past it, batching channels of one model', async () => {
  const generator = new SineGenerator();
  const stats: GenerationStats[] = [];
  const scheduler = new GenerationScheduler({ bufferAhead: 3, maxBatch: 8, retryDelay: 1, onGenerated: (s) => stats.push(s) });
  const channels = ['a', 'b', 'c'].map((id) => new FakeChannel(id));
  for (const channel of channels) scheduler.add(generator, channel);
  await until(() => channels.every((c) => c.bufferedSeconds >= 3));
  await new Promise((r) => setTimeout(r, 50));
  for (const channel of channels) assert.ok(channel.bufferedSeconds < 3 + 0.75 + 1e-9, `${channel.id}: ${channel.bufferedSeconds}`);
  assert.ok(generator.batches.some((b) => b === 3), `batches ${generator.batches}`);
  assert.ok(stats.every((s) => s.model === 'sine' && s.audio === s.batch * 0.75));
  // Play 1.5 s from one channel: only that channel gets new clips.
  const before = channels.map((c) => c.clips);
  channels[0].bufferedSeconds -= 1.5;
  await until(() => channels[0].bufferedSeconds >= 3);
  await scheduler.stop();
  assert.equal(channels[1].clips, before[1]);
  assert.ok(channels[0].clips > before[0]);
});

test('a failed inference is retried and the channel still fills', async () => {
  const generator = new SineGenerator();
  generator.failuresLeft = 2;
  const scheduler = new GenerationScheduler({ bufferAhead: 1, maxBatch: 8, retryDelay: 0.01 });
  const channel = new FakeChannel('a');
  scheduler.add(generator, channel);
  await until(() => channel.bufferedSeconds >= 1);
  await scheduler.stop();
  assert.equal(generator.failuresLeft, 0);
});

test('maxBatch caps one call and a removed channel gets nothing more', async () => {
  const generator = new SineGenerator();
  const scheduler = new GenerationScheduler({ bufferAhead: 1, maxBatch: 2, retryDelay: 1 });
  const channels = ['a', 'b', 'c', 'd', 'e'].map((id) => new FakeChannel(id));
  for (const channel of channels) scheduler.add(generator, channel);
  scheduler.remove(generator, channels[4]);
  await until(() => channels.slice(0, 4).every((c) => c.bufferedSeconds >= 1));
  await scheduler.stop();
  assert.ok(Math.max(...generator.batches) <= 2, `batches ${generator.batches}`);
  assert.equal(channels[4].clips, 0);
});

/** A channel whose taking of a clip takes `ms` (a phrase rendering bar by bar in a synth worker). */
class SlowChannel extends FakeChannel {
  taking = 0;
  maxTaking = 0;
  constructor(id: string, readonly ms: number) {
    super(id);
  }
  override async acceptClip(clip: Float32Array) {
    this.taking++;
    this.maxTaking = Math.max(this.maxTaking, this.taking);
    await new Promise((r) => setTimeout(r, this.ms));
    this.taking--;
    return super.acceptClip(clip);
  }
}

test('a channel slow to take its clip neither holds up the next batch nor gets a second clip meanwhile', async () => {
  const generator = new SineGenerator();
  const scheduler = new GenerationScheduler({ bufferAhead: 1, maxBatch: 1, retryDelay: 1 });
  const slow = new SlowChannel('slow', 400);
  const quick = new FakeChannel('quick');
  scheduler.add(generator, slow);
  scheduler.add(generator, quick);
  try {
    // The slow channel is served first (batches of one); the quick one must not wait for its 400 ms.
    await until(() => quick.bufferedSeconds >= 1, 300);
    assert.equal(slow.clips, 0, 'the slow channel is still taking its first clip');
    await until(() => slow.bufferedSeconds >= 1, 3000);
  } finally {
    await scheduler.stop();
  }
  assert.equal(slow.maxTaking, 1, 'never asked for a second clip while taking one');
});

test('failures in a row back off, doubling the pause up to retryMaxDelay; a success starts again from retryDelay', async () => {
  const generator = new SineGenerator();
  generator.failuresLeft = 5;
  const failures: Array<{ failures: number; delay: number; at: number }> = [];
  const recovered: Array<{ failures: number }> = [];
  const started = performance.now();
  const scheduler = new GenerationScheduler({
    bufferAhead: 1,
    maxBatch: 8,
    retryDelay: 0.02,
    retryMaxDelay: 0.08,
    onFailed: (_model, _error, retry) => failures.push({ ...retry, at: performance.now() - started }),
    onRecovered: (_model, episode) => recovered.push(episode),
  });
  const channel = new FakeChannel('a');
  scheduler.add(generator, channel);
  await until(() => channel.bufferedSeconds >= 1);
  generator.failuresLeft = 1;
  channel.bufferedSeconds = 0;
  await until(() => channel.bufferedSeconds >= 1);
  await scheduler.stop();
  assert.deepEqual(failures.map((f) => [f.failures, f.delay]), [[1, 0.02], [2, 0.04], [3, 0.08], [4, 0.08], [5, 0.08], [1, 0.02]]);
  // Each attempt waits its pause (the fake also takes 2 ms a call).
  for (let i = 1; i < 5; i++) assert.ok(failures[i].at - failures[i - 1].at >= failures[i - 1].delay * 1000 - 2, `pause ${i}: ${failures[i].at - failures[i - 1].at} ms`);
  assert.deepEqual(recovered.map((r) => r.failures), [5, 1]);
});

/** A channel whose voice refuses the first `refuseFirst` drafts of each clip. */
class PickyChannel extends FakeChannel {
  drawn = 0;
  asked = 0;
  #refusedThisClip = 0;
  constructor(id: string, readonly refuseFirst: number) {
    super(id);
  }
  override nextLatent() {
    this.drawn++;
    return super.nextLatent();
  }
  refuse(): string | undefined {
    this.asked++;
    if (this.#refusedThisClip < this.refuseFirst) return `draft ${++this.#refusedThisClip} rests too long`;
    return undefined;
  }
  override acceptClip(clip: Float32Array) {
    this.#refusedThisClip = 0;
    return super.acceptClip(clip);
  }
}

test('a refused clip is drawn again for that channel alone, in its own call, until its voice takes one', async () => {
  const generator = new SineGenerator();
  const refusals: Array<{ channel: string; drafts: number; played: boolean }> = [];
  const scheduler = new GenerationScheduler({ bufferAhead: 1.5, maxBatch: 8, retryDelay: 1, redraws: 8, onRefused: (_, channel, { drafts, played }) => refusals.push({ channel, drafts, played }) });
  const picky = new PickyChannel('picky', 2);
  const easy = new PickyChannel('easy', 0);
  scheduler.add(generator, picky);
  scheduler.add(generator, easy);
  await until(() => picky.bufferedSeconds >= 1.5 && easy.bufferedSeconds >= 1.5);
  await scheduler.stop();
  assert.equal(picky.drawn, picky.clips * 3, 'three drafts per clip played');
  assert.equal(easy.drawn, easy.clips, 'the other channel draws once per clip');
  assert.deepEqual(refusals.filter((r) => r.channel === 'picky').slice(0, 2), [{ channel: 'picky', drafts: 1, played: false }, { channel: 'picky', drafts: 2, played: false }]);
  assert.ok(refusals.every((r) => r.channel === 'picky' && !r.played));
  assert.ok(generator.batches.includes(1), `the redraws go alone: batches ${generator.batches}`);
});

test('after server.redraws refused drafts the last one plays, and with 0 no clip is ever refused', async () => {
  const generator = new SineGenerator();
  const refusals: Array<{ drafts: number; played: boolean; reason: string }> = [];
  const scheduler = new GenerationScheduler({ bufferAhead: 0.75, maxBatch: 8, retryDelay: 1, redraws: 3, onRefused: (_, __, refusal) => refusals.push(refusal) });
  const never = new PickyChannel('never', Infinity);
  scheduler.add(generator, never);
  await until(() => never.clips >= 1);
  await scheduler.stop();
  assert.equal(never.drawn, 4 * never.clips, 'the first draft and 3 redraws');
  assert.deepEqual(refusals.slice(0, 4).map((r) => [r.drafts, r.played]), [[1, false], [2, false], [3, false], [4, true]]);
  assert.match(refusals[3].reason, /rests too long/);

  const off = new GenerationScheduler({ bufferAhead: 0.75, maxBatch: 8, retryDelay: 1, redraws: 0 });
  const unasked = new PickyChannel('unasked', Infinity);
  off.add(new SineGenerator(), unasked);
  await until(() => unasked.clips >= 1);
  await off.stop();
  assert.equal(unasked.asked, 0);
  assert.equal(unasked.drawn, unasked.clips);
});

test("the next inference starts while the last batch's channels are still taking their clips, one macrotask apart", async () => {
  let started = 0;
  let clipsAsked = 0;
  /** At each inference call: clips asked for by the calls before it, and how many of those channels had started taking. */
  const atCalls: Array<{ asked: number; started: number }> = [];
  class CountingGenerator extends SineGenerator {
    override async generate(latents: readonly Float32Array[]) {
      atCalls.push({ asked: clipsAsked, started });
      clipsAsked += latents.length;
      return super.generate(latents);
    }
  }
  class CountingChannel extends FakeChannel {
    override acceptClip(clip: Float32Array) {
      started++;
      return super.acceptClip(clip);
    }
  }
  const scheduler = new GenerationScheduler({ bufferAhead: 1.5, maxBatch: 8, retryDelay: 1 });
  const channels = Array.from({ length: 16 }, (_, i) => new CountingChannel(`c${i}`));
  const generator = new CountingGenerator();
  for (const channel of channels) scheduler.add(generator, channel);
  await until(() => channels.every((c) => c.bufferedSeconds >= 1.5));
  await scheduler.stop();
  // A call went out while two or more channels of the batch before had not started taking their clips:
  // inference (in its worker) overlaps the mixing here, not after it.
  const overlapped = atCalls.filter((call) => call.started < call.asked - 1);
  assert.ok(overlapped.length > 0, `at each call, clips asked before / taken: ${atCalls.map((c) => `${c.asked}/${c.started}`).join(', ')}`);
});
