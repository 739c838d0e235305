import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WavecastErrorCode } from '../core/errors.js';
import { ChannelOutput } from './channel-output.js';
import { FakeIcecast } from './fake-icecast.test-helper.js';
import { IcecastSource, type IcecastSourceOptions } from './icecast-source.js';
import { LameJsEncoder } from './lamejs-encoder.js';
import { ListenerSession } from './listener-session.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function fakeIcecast(): Promise<FakeIcecast> {
  const fake = await new FakeIcecast().listen();
  cleanup.push(() => fake.close());
  return fake;
}

function output(): ChannelOutput {
  const out = new ChannelOutput({ id: 'lobby', mp3Encoders: [() => new LameJsEncoder({ sampleRate: 44100, channels: 2, bitrate: 128 })], historySeconds: 10 });
  cleanup.push(() => out.dispose());
  return out;
}

let pushed = 0;
/** Pushes `count` 50 ms chunks of `size` bytes, each filled with its own byte; returns their bytes. */
function push(out: ChannelOutput, title: string, count = 1, size = 200): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(size).fill(pushed++ % 251);
    out.mp3.push({ bytes, duration: 0.05, title });
    parts.push(Buffer.from(bytes));
  }
  return Buffer.concat(parts);
}

function start(out: ChannelOutput, fake: FakeIcecast, overrides: Partial<IcecastSourceOptions> = {}) {
  const problems: Array<{ code: WavecastErrorCode; message: string }> = [];
  const source = new IcecastSource({
    output: out,
    icecast: { url: fake.url, mount: '/lobby', user: 'source', password: 'hackme', public: false, name: 'Lobby · café', description: 'Piano trio', genre: 'Jazz' },
    audio: { sampleRate: 44100, channels: 2, bitrate: 128 },
    burstSeconds: 0,
    maxLagSeconds: 2,
    retry: { min: 0.05, max: 0.4 },
    timeout: 2,
    onProblem: (code, message) => problems.push({ code, message }),
    random: () => 0.5,
    ...overrides,
  });
  cleanup.push(() => source.stop());
  source.start();
  return { source, problems };
}

async function waitFor<T>(what: string, check: () => T | undefined | false, seconds = 5): Promise<T> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('connects with PUT as Icecast 2.4 expects, then sends the chunks raw, in order, as a relay not a listener', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const { source } = start(out, fake);
  const icecast = await waitFor('the source', () => fake.live[0]);
  await waitFor('streaming', () => source.state === 'streaming');
  assert.equal(icecast.method, 'PUT');
  assert.equal(icecast.path, '/lobby');
  const h = icecast.headers;
  assert.equal(h['content-type'], 'audio/mpeg');
  assert.equal(h.authorization, `Basic ${Buffer.from('source:hackme').toString('base64')}`);
  assert.equal(h.expect, '100-continue');
  assert.equal(h['ice-public'], '0');
  assert.equal(Buffer.from(h['ice-name'], 'latin1').toString('utf8'), 'Lobby · café', 'the name as UTF-8 bytes');
  assert.equal(h['ice-description'], 'Piano trio');
  assert.equal(h['ice-genre'], 'Jazz');
  assert.equal(h['ice-audio-info'], 'samplerate=44100;channels=2;bitrate=128');
  assert.equal(h['transfer-encoding'], undefined, 'Icecast 2.4 reads the body raw: not chunked');
  assert.equal(h['content-length'], undefined);
  assert.deepEqual({ ...out.listeners }, { mp3: 0, ws: 0, monitors: 0, relays: 1 });
  assert.equal(out.listenerCount, 0, 'not a listener');

  const sent = Buffer.concat([push(out, 'A', 5), push(out, 'A', 5, 30000)]);
  await waitFor('every byte', () => icecast.bytes().length >= sent.length);
  assert.ok(icecast.bytes().equals(sent), 'the chunks, byte for byte, no framing');
  const status = source.status();
  assert.equal(status.url, fake.url);
  assert.equal(status.mount, '/lobby');
  assert.equal(status.reconnects, 0);
  assert.equal(status.lastError, undefined);
  source.stop();
  assert.equal(source.state, 'stopped');
  await waitFor('the connection closed', () => icecast.closed);
  assert.equal(out.listeners.relays, 0);
});

test('starts with a burst of recent audio, as a listener does', async () => {
  const fake = await fakeIcecast();
  const out = output();
  push(out, 'A', 10);
  const recent = push(out, 'A', 4);
  start(out, fake, { burstSeconds: 0.2 });
  const icecast = await waitFor('the source', () => fake.live[0]);
  await waitFor('the burst', () => icecast.bytes().length >= recent.length);
  assert.ok(icecast.bytes().equals(recent), 'the last 0.2 s');
});

test('each title goes to /admin/metadata once, as it starts, in UTF-8, with the source credentials', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const { source } = start(out, fake);
  await waitFor('streaming', () => source.state === 'streaming');
  push(out, 'first', 3);
  await waitFor('the first title', () => fake.metadata.length === 1);
  push(out, "Café 'lobby' – cafe-piano", 3);
  await waitFor('the second title', () => fake.metadata.length === 2);
  push(out, "Café 'lobby' – cafe-piano", 3);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(fake.metadata.length, 2, 'an unchanged title is not sent again');
  const [first, second] = fake.metadata;
  assert.equal(first.query.get('mount'), '/lobby');
  assert.equal(first.query.get('mode'), 'updinfo');
  assert.equal(first.query.get('song'), 'first');
  assert.equal(first.query.get('charset'), 'UTF-8');
  assert.equal(first.authorization, `Basic ${Buffer.from('source:hackme').toString('base64')}`);
  assert.equal(second.query.get('song'), 'Café ’lobby’ – cafe-piano', "' made safe for StreamTitle, the rest as it is");
  await waitFor('the status title', () => source.status().title === "Café 'lobby' – cafe-piano");
});

test('a wrong password is refused with 401: retried with back-off, one problem and one warning for the run, streams once let in', async () => {
  const fake = await fakeIcecast();
  fake.credentials.password = 'other';
  const out = output();
  const refusals: number[] = [];
  fake.on('refused', (status: number) => refusals.push(performance.now()));
  const { source, problems } = start(out, fake, { retry: { min: 0.05, max: 0.2 } });
  await waitFor('five refusals', () => refusals.length >= 5);
  assert.ok(['waiting', 'connecting'].includes(source.state));
  assert.match(source.status().lastError ?? '', /^Icecast answered 401 Authentication Required: You need to authenticate$/);
  assert.equal(problems.length, 1, 'the same refusal again is no new problem');
  assert.equal(problems[0].code, 'WAVECAST_ERR_ICECAST');
  assert.match(problems[0].message, /channel "lobby": Icecast http:\/\/127\.0\.0\.1:\d+\/lobby did not take the source \(Icecast answered 401/);
  // The waits between attempts: 0.05, 0.1, 0.2, 0.2 s (no jitter here), plus the attempt itself.
  const gaps = refusals.slice(1).map((t, i) => (t - refusals[i]) / 1000);
  assert.ok(gaps[0] >= 0.045 && gaps[1] >= 0.095 && gaps[2] >= 0.195 && gaps[3] >= 0.195, `gaps ${gaps.map((g) => g.toFixed(3))}`);
  assert.ok(gaps[3] < 0.6, `capped at max: ${gaps[3].toFixed(3)}`);
  fake.credentials.password = 'hackme';
  await waitFor('streaming', () => source.state === 'streaming', 2);
  assert.equal(source.status().reconnects, 0, 'the first connection');
});

test('a mount in use (403) is reported with Icecast\'s own words', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const first = start(out, fake);
  await waitFor('the first source', () => first.source.state === 'streaming');
  const second = start(out, fake);
  await waitFor('a refusal', () => second.problems.length > 0);
  assert.match(second.source.status().lastError ?? '', /^Icecast answered 403 Forbidden: Mountpoint in use$/);
});

test('an Icecast that never answers is given up on after the timeout', async () => {
  const fake = await fakeIcecast();
  fake.silent = true;
  const out = output();
  const { source } = start(out, fake, { timeout: 0.2, retry: { min: 5, max: 5 } });
  await waitFor('waiting', () => source.state === 'waiting', 2);
  assert.equal(source.status().lastError, 'Icecast did not accept the source in 0.2 s');
  assert.equal(out.listeners.relays, 0);
});

test('a dropped connection (an Icecast restart) is a problem, then it reconnects, sends on and tells the title again', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const { source, problems } = start(out, fake);
  await waitFor('streaming', () => source.state === 'streaming');
  push(out, 'A', 2);
  await waitFor('the title', () => fake.metadata.length === 1);
  fake.dropSources();
  await waitFor('waiting', () => source.state !== 'streaming');
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /lost the connection to Icecast .*\/lobby .*; reconnecting/);
  await waitFor('streaming again', () => source.state === 'streaming', 2);
  const second = fake.live[0];
  const sent = push(out, 'A', 3);
  await waitFor('bytes on the new connection', () => second.bytes().length >= sent.length);
  assert.ok(second.bytes().equals(sent));
  await waitFor('the title again', () => fake.metadata.length === 2);
  assert.equal(fake.metadata[1].query.get('song'), 'A');
  const status = source.status();
  assert.equal(status.reconnects, 1);
  assert.match(status.lastError ?? '', /closed/);
  assert.equal(out.listeners.relays, 1, 'one session, the old one closed');
});

test('a stalled Icecast is dropped as a slow listener while a direct listener reads on; it reconnects when Icecast reads again', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const { source } = start(out, fake, { maxLagSeconds: 0.5 });
  await waitFor('streaming', () => source.state === 'streaming');
  fake.stall();
  const listener = ListenerSession.open({ output: out, queue: out.mp3, kind: 'mp3', burstSeconds: 0, maxLagSeconds: 1, maxListeners: 10, onSlow: () => assert.fail('the direct listener was dropped') });
  let heard = 0;
  // 1 MB per 50 ms of "audio": the socket buffers (a few MB on loopback) fill at once, then the lag grows.
  for (let i = 0; i < 60 && source.state === 'streaming'; i++) {
    push(out, 'A', 1, 1 << 20);
    heard += (await listener.pull()).length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(source.state, 'waiting', 'dropped');
  assert.match(source.status().lastError ?? '', /behind live|evicted/);
  assert.equal(out.counters.slowListeners, 1);
  assert.ok(heard >= 10, `the listener read every chunk as it came (${heard})`);
  assert.equal(listener.closed, false);
  listener.close();
  fake.unstall();
  await waitFor('streaming again', () => source.state === 'streaming', 3);
});

test('the server stopping stops the source: no reconnect', async () => {
  const fake = await fakeIcecast();
  const out = output();
  const { source } = start(out, fake);
  await waitFor('streaming', () => source.state === 'streaming');
  out.endListeners();
  assert.equal(source.state, 'stopped');
  await waitFor('closed', () => fake.sources[0].closed);
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(fake.sources.length, 1, 'no new attempt');
});
