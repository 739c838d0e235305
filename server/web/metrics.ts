/**
 * Prometheus metrics for a station (GET /metrics). Every value is read from the station at scrape
 * time, so nothing on the audio path pays for them. The station's running totals (underruns, slow
 * listeners, audio played) are counters, so `rate()` works on them; levels are gauges. Node's own
 * metrics come as `wavecast_process_*` and `wavecast_nodejs_*`. One registry per station, so tests
 * that run several stations in one process do not collide.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Station, StationChannel } from '../station/station.js';
import type { ConnectionLimit } from './connection-limit.js';

/** @param connections the edge's per-address counts, for the refused and timed-out totals (none: not exported) */
export function createMetrics(station: Station, connections?: ConnectionLimit): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wavecast_' });
  const perChannel = (
    name: string,
    help: string,
    read: (on: StationChannel) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel'],
      registers: [registry],
      collect() {
        for (const on of station.channels.values()) this.set({ channel: on.id }, read(on));
      },
    });
  // The station keeps these totals itself; a scrape copies them (reset, then add the total), so
  // the exported value is the station's and rises as it does.
  const perChannelTotal = (
    name: string,
    help: string,
    read: (on: StationChannel) => number,
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['channel'],
      registers: [registry],
      collect() {
        this.reset();
        for (const on of station.channels.values()) this.inc({ channel: on.id }, read(on));
      },
    });
  perChannel('wavecast_listeners', 'Listeners connected (MP3 and WebSocket).', ({ output }) => output.listenerCount);
  perChannel('wavecast_buffered_seconds', 'Audio generated ahead of real time.', ({ channel }) => channel.bufferedSeconds);
  perChannel('wavecast_loudness_short_term_lufs', 'Loudness of the last 3 s as listeners hear it (BS.1770, LUFS).', ({ channel }) => channel.playout.loudness.shortTerm);
  perChannel('wavecast_loudness_integrated_lufs', 'Loudness since the channel started (gated, LUFS).', ({ channel }) => channel.playout.loudness.integrated);
  perChannel('wavecast_loudness_gain_db', 'Gain the loudness control applies now (dB).', ({ channel }) => channel.playout.loudness.gain);
  perChannelTotal('wavecast_slow_listeners_total', 'Listeners dropped for falling behind.', ({ output }) => output.counters.slowListeners);
  perChannelTotal('wavecast_underruns_total', 'Times the generator fell behind real time.', ({ channel }) => channel.playout.counters.underruns);
  perChannelTotal('wavecast_redraws_total', 'Model outputs the voice refused (a phrase resting where music does not) and drew again.', ({ channel }) => channel.refusals.redrawn);
  perChannelTotal('wavecast_refused_played_total', 'Model outputs played though refused, every draft of server.redraws having been refused.', ({ channel }) => channel.refusals.played);
  perChannelTotal('wavecast_played_seconds_total', 'Audio released to listeners.', ({ channel }) => channel.playout.playedFrames / channel.sampleRate);
  // Channels pushed to Icecast only: a channel without `icecast` has no series.
  const relayed = () => [...station.channels.values()].filter((on) => on.icecast !== undefined);
  new Gauge({
    name: 'wavecast_icecast_connected',
    help: 'Whether the channel is streaming to its Icecast server (1) or not (0: connecting, waiting to retry, stopped).',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const on of relayed()) this.set({ channel: on.id }, on.icecast!.state === 'streaming' ? 1 : 0);
    },
  });
  new Counter({
    name: 'wavecast_icecast_reconnects_total',
    help: 'Times the channel connected to its Icecast server again after losing (or never getting) the connection.',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const on of relayed()) this.inc({ channel: on.id }, on.icecast!.reconnects);
    },
  });
  new Gauge({
    name: 'wavecast_generator_realtime_factor',
    help: 'Seconds of audio generated per second of inference, over recent calls.',
    labelNames: ['model', 'engine'],
    registers: [registry],
    collect() {
      for (const [model, rate] of station.rates.entries()) this.set({ model, engine: rate.engine }, rate.realTimeFactor);
    },
  });
  if (connections) {
    new Counter({
      name: 'wavecast_connections_refused_total',
      help: 'Streams and feeds refused because their address held server.maxConnectionsPerAddress already.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(connections.counters.refused);
      },
    });
    new Counter({
      name: 'wavecast_connections_timed_out_total',
      help: 'Clients cut for not sending their request within server.headersTimeout / requestTimeout (slowloris, idle sockets).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(connections.counters.timedOut);
      },
    });
  }
  return registry;
}
