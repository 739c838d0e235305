import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode, type WavecastError } from '../core/errors.js';
import { ChannelOutput } from './channel-output.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { ListenerSession, type ListenerSessionOptions } from './listener-session.js';

function output() {
  return new ChannelOutput({ id: 'c', mp3Encoders: [() => new LameJsEncoder({ sampleRate: 44100, channels: 2, bitrate: 128 })], historySeconds: 10 });
}

function push(out: ChannelOutput, count: number) {
  for (let i = 0; i < count; i++) out.pcmQueue('s16le').push({ bytes: new Uint8Array(4), duration: 0.05, title: 't' });
}

function open(out: ChannelOutput, overrides: Partial<ListenerSessionOptions> = {}) {
  const dropped: WavecastError[] = [];
  const session = ListenerSession.open({
    output: out,
    queue: out.pcmQueue('s16le'),
    kind: 'ws',
    burstSeconds: 0.5,
    maxLagSeconds: 2,
    maxListeners: 10,
    onSlow: (error) => dropped.push(error),
    ...overrides,
  });
  return { session, dropped };
}

test('a session counts its listener while it stays, once, and reads from a burst of recent audio', async () => {
  const out = output();
  push(out, 40);
  const { session } = open(out);
  assert.equal(out.listeners.ws, 1);
  assert.equal(out.listenerCount, 1);
  assert.equal((await session.pull()).length, 10, '0.5 s of 50 ms chunks');
  const next = session.pull(); // waits for the next chunk
  push(out, 1);
  assert.equal((await next).length, 1);
  session.close();
  session.close();
  assert.equal(out.listeners.ws, 0, 'counted down once');
  assert.deepEqual(await session.pull(), [], 'nothing after close');
});

test('monitors are counted apart and do not count as listeners', () => {
  const out = output();
  open(out, { kind: 'monitors' });
  assert.equal(out.listeners.monitors, 1);
  assert.equal(out.listenerCount, 0);
});

test('a relay (an Icecast source) is counted apart, is no listener, and is admitted to a full channel', () => {
  const out = output();
  open(out, { maxListeners: 1 });
  const { session } = open(out, { kind: 'relays', maxListeners: 1 });
  assert.equal(out.listeners.relays, 1);
  assert.equal(out.listenerCount, 1, 'only the listener');
  session.close();
  assert.equal(out.listeners.relays, 0);
});

test('past the limit a listener is refused, naming the limit; a HEAD-style admit asks the same', () => {
  const out = output();
  open(out, { maxListeners: 2 });
  open(out, { kind: 'mp3', maxListeners: 2 });
  const full = (error: Error) => hasCode(error, 'WAVECAST_ERR_TOO_MANY_LISTENERS') && /has 2 listeners, the most it takes \(server.maxListenersPerChannel = 2\)/.test(error.message);
  assert.throws(() => open(out, { maxListeners: 2 }), full);
  assert.throws(() => ListenerSession.admit(out, 2), full);
  assert.equal(out.listenerCount, 2);
});

test('a listener that stops reading is dropped once it lags past the limit, counted once, and told why', () => {
  const out = output();
  const { session, dropped } = open(out);
  push(out, 40); // 2 s: at the limit, not past it
  assert.equal(dropped.length, 0);
  push(out, 1);
  assert.equal(dropped.length, 1);
  assert.ok(hasCode(dropped[0], 'WAVECAST_ERR_LISTENER_TOO_SLOW'));
  assert.match(dropped[0].message, /behind live \(limit 2 s\)/);
  assert.equal(session.closed, true);
  assert.equal(out.counters.slowListeners, 1);
  assert.equal(out.listeners.ws, 0);
  push(out, 5);
  assert.equal(dropped.length, 1, 'a closed session watches nothing');
});

test("an edge's own bound drops the listener the same way", () => {
  const out = output();
  const { session, dropped } = open(out);
  session.dropSlow('1048577 bytes unsent (limit 1048576)');
  session.dropSlow('again');
  assert.equal(out.counters.slowListeners, 1);
  assert.deepEqual(dropped.map((e) => e.message), ['1048577 bytes unsent (limit 1048576)']);
});

test('with coalesceSeconds a pull after the burst waits for that much audio and joins it into one chunk', async () => {
  const out = output();
  push(out, 20);
  const { session } = open(out, { coalesceSeconds: 0.25 });
  assert.equal((await session.pull()).length, 10, 'the burst, as it is');
  let pulled: readonly { bytes: Uint8Array; title: string }[] | undefined;
  void session.pull().then((chunks) => (pulled = chunks));
  for (let i = 0; i < 4; i++) {
    push(out, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pulled, undefined, `${i + 1} chunks are less than 0.25 s`);
  }
  push(out, 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(pulled!.length, 1, 'five chunks joined');
  assert.equal(pulled![0].bytes.length, 5 * 4);
  // A title change inside keeps the two runs apart (the ICY block carries each its own title).
  void session.pull().then((chunks) => (pulled = chunks));
  out.pcmQueue('s16le').push({ bytes: new Uint8Array(4), duration: 0.15, title: 't' });
  out.pcmQueue('s16le').push({ bytes: new Uint8Array(4), duration: 0.15, title: 'u' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(pulled!.map((chunk) => chunk.title), ['t', 'u']);
  session.close();
});

test('closing wakes a waiting pull, and the channel ending closes every session', async () => {
  const out = output();
  const { session } = open(out, { burstSeconds: 0 });
  const waiting = session.pull();
  session.close();
  assert.deepEqual(await waiting, []);
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const many = Array.from({ length: 50 }, () => open(out, { burstSeconds: 0, maxListeners: 100 }).session);
  const pulls = many.map((each) => each.pull());
  out.endListeners();
  assert.ok(many.every((each) => each.closed));
  assert.ok((await Promise.all(pulls)).every((chunks) => chunks.length === 0));
  assert.equal(out.listenerCount, 0);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  assert.deepEqual(warnings.map((w) => w.name), [], 'no MaxListenersExceededWarning: one abort listener per channel, not per session');
});

test('coalesceSeconds must stay below maxLagSeconds', () => {
  assert.throws(() => open(output(), { coalesceSeconds: 2 }), /coalesceSeconds/);
});
