/**
 * What the API says about one channel (GET /api/channels, PATCH replies, the event stream): what
 * plays, the operator's settings, and its health. The voice adds its family's own fields.
 */
import type { Station, StationChannel } from '../station/station.js';
import type { LoudnessReading } from '../stream/playout.js';
import type { ChannelSummary } from './wire.js';

export function channelSummary(station: Station, { id, channel, output, icecast }: StationChannel): ChannelSummary {
  const model = channel.model;
  const voice = channel.voice;
  return {
    // The family's settings and choices (style, tempo…), as wire.ts describes them.
    ...(voice as Partial<ChannelSummary>),
    id,
    title: channel.title,
    model: model.id,
    ...(model.manifest.version !== undefined ? { version: model.manifest.version } : {}),
    follow: station.followOf(id),
    family: model.family,
    instrument: voice.instrument,
    instruments: voice.instruments,
    variation: channel.variation,
    volume: channel.playout.volume,
    trained: model.trained,
    sampleRate: channel.sampleRate,
    channels: channel.channels,
    mp3Bitrate: channel.config.mp3Bitrate,
    listeners: output.listenerCount,
    bufferedSeconds: Math.round(channel.bufferedSeconds * 1000) / 1000,
    realTimeFactor: station.rates.of(model.id)?.realTimeFactor ?? null,
    slowListeners: output.counters.slowListeners,
    underruns: channel.playout.counters.underruns,
    loudness: loudnessOf(channel.playout.loudness),
    stream: `/stream/${id}`,
    ws: `/ws/${id}`,
    midi: channel.playsNotes ? `/api/channels/${id}/midi` : undefined,
    ...(icecast ? { icecast: icecast.status() } : {}),
  };
}

/** Readings rounded to 0.1; −Infinity (nothing measured yet, or silence) is null in JSON. */
function loudnessOf(reading: LoudnessReading): ChannelSummary['loudness'] {
  const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : null);
  return { shortTerm: round(reading.shortTerm), integrated: round(reading.integrated), gain: round(reading.gain) ?? 0 };
}
