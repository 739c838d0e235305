/**
 * /metrics text on a station of fakes: process metrics under one `wavecast_` prefix, the station's
 * running totals typed as counters (so rate() and increase() work on them) and read at scrape time.
 * Run: node --import tsx --test server/web/metrics.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeStation } from '../station/fake-station.test-helper.js';
import { createMetrics } from './metrics.js';

/** The value of `name{channel="…"}` in exposition text. */
function sample(text: string, name: string, channel: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{channel="${channel}"} `));
  assert.ok(line, `${name} for channel ${channel} in:\n${text}`);
  return Number(line.split(' ')[1]);
}

test('process metrics carry the wavecast_ prefix once', async () => {
  const { station } = await startFakeStation();
  try {
    const text = await createMetrics(station).metrics();
    assert.doesNotMatch(text, /process_process_/);
    assert.match(text, /^# TYPE wavecast_process_cpu_seconds_total counter$/m);
    assert.match(text, /^wavecast_nodejs_eventloop_lag_seconds /m);
  } finally {
    await station.stop();
  }
});

test('running totals are counters that follow the station', async () => {
  const { station } = await startFakeStation();
  try {
    const metrics = createMetrics(station);
    const text = await metrics.metrics();
    for (const name of ['wavecast_underruns_total', 'wavecast_slow_listeners_total', 'wavecast_played_seconds_total']) {
      assert.match(text, new RegExp(`^# TYPE ${name} counter$`, 'm'));
    }
    assert.match(text, /^# TYPE wavecast_listeners gauge$/m);

    const a = station.channel('a');
    a.output.counters.slowListeners += 2;
    a.channel.playout.counters.underruns += 3;
    const first = await metrics.metrics();
    assert.equal(sample(first, 'wavecast_slow_listeners_total', 'a'), a.output.counters.slowListeners);
    assert.equal(sample(first, 'wavecast_underruns_total', 'a'), a.channel.playout.counters.underruns);
    assert.equal(sample(first, 'wavecast_played_seconds_total', 'a'), a.channel.playout.playedFrames / a.channel.sampleRate);
    // A second scrape reports the total again, not the total added to the last one.
    const second = await metrics.metrics();
    assert.equal(sample(second, 'wavecast_slow_listeners_total', 'a'), a.output.counters.slowListeners);
    assert.equal(sample(second, 'wavecast_underruns_total', 'a'), a.channel.playout.counters.underruns);
  } finally {
    await station.stop();
  }
});
