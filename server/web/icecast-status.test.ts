/**
 * A channel with `icecast` in its config, on a station of fakes and a fake Icecast: the station
 * starts its source once it plays and stops it with itself; /api/channels and /metrics say how the
 * connection is, a channel without `icecast` says nothing of it, and a lost connection is in the
 * operator's problem list.
 * Run: node --import tsx --test server/web/icecast-status.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeIcecast } from '../broadcast/fake-icecast.test-helper.js';
import { startFakeStation } from '../station/fake-station.test-helper.js';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';
import type { ChannelSummary } from './wire.js';

async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, seconds = 10): Promise<T> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a channel pushed to Icecast: status in /api/channels and /metrics, a lost connection in the problems, stopped with the station', async () => {
  const fake = await new FakeIcecast().listen();
  const { station } = await startFakeStation({
    channels: [
      { id: 'a', model: 'tone-a', seed: 1, icecast: { url: fake.url, mount: '/a', password: 'hackme' } },
      { id: 'b', model: 'tone-a', seed: 2 },
    ],
    server: { icecastRetry: { min: 0.1, max: 1 } },
  });
  try {
    const app = createApp(station, { operatorToken: 'token', assets: new Map() });
    const channels = async () => (await (await app.request('/api/channels')).json()) as ChannelSummary[];
    const a = await waitFor('streaming', async () => (await channels()).find((c) => c.id === 'a' && c.icecast?.state === 'streaming'));
    assert.deepEqual({ ...a.icecast, since: 0, title: undefined }, { state: 'streaming', url: fake.url, mount: '/a', since: 0, reconnects: 0, title: undefined });
    assert.ok(Math.abs(a.icecast!.since - Date.now()) < 10_000);
    assert.equal(a.listeners, 0, 'Icecast is not a listener');
    assert.equal((await channels()).find((c) => c.id === 'b')!.icecast, undefined);
    assert.ok(!JSON.stringify(await channels()).includes('hackme'), 'the password is never shown');
    await waitFor('audio at Icecast', () => fake.live[0]?.bytes().length > 1000);
    await waitFor('the title at Icecast', () => fake.metadata.length > 0);
    assert.equal(fake.metadata[0].query.get('song'), station.channel('a').channel.title);

    const metrics = createMetrics(station);
    let text = await metrics.metrics();
    assert.match(text, /^wavecast_icecast_connected\{channel="a"\} 1$/m);
    assert.match(text, /^wavecast_icecast_reconnects_total\{channel="a"\} 0$/m);
    assert.match(text, /^# TYPE wavecast_icecast_reconnects_total counter$/m);
    assert.doesNotMatch(text, /wavecast_icecast_connected\{channel="b"\}/);

    fake.dropSources();
    await waitFor('waiting', () => station.channel('a').icecast!.state !== 'streaming');
    text = await metrics.metrics();
    assert.match(text, /^wavecast_icecast_connected\{channel="a"\} 0$/m);
    const problem = station.problems.recent().find((p) => p.code === 'WAVECAST_ERR_ICECAST');
    assert.ok(problem, 'a problem for the operator');
    assert.equal(problem.channel, 'a');
    const back = await waitFor('streaming again', async () => (await channels()).find((c) => c.id === 'a' && c.icecast?.state === 'streaming'));
    assert.equal(back.icecast!.reconnects, 1);
    assert.match(back.icecast!.lastError ?? '', /closed/);
    assert.match(await metrics.metrics(), /^wavecast_icecast_reconnects_total\{channel="a"\} 1$/m);
  } finally {
    await station.stop();
    assert.equal(station.channel('a').icecast!.state, 'stopped');
    await waitFor('Icecast sees the source go', () => fake.sources.every((s) => s.closed));
    await fake.close();
  }
});
