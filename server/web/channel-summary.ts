/**
 * What the API says about one channel (GET /api/channels, PATCH replies, the event stream): what
 * plays, the operator's settings, and its health.
 */
import type { Channel } from '../stream/channel.js';
import type { Station } from '../station/station.js';
import { INSTRUMENT_SETS } from '../families/symbolic/render/index.js';
import type { ChannelSummary } from './channel-summary-shape.js';

export type { ChannelSummary };

export function channelSummary(station: Station, channel: Channel): ChannelSummary {
  const model = channel.model;
  const settings = channel.settings;
  const symbolic = model.family === 'symbolic' ? model : undefined;
  return {
    id: channel.id,
    title: channel.title,
    model: model.id,
    family: model.family,
    instrument: symbolic ? settings.instrument : model.instrument,
    instruments: symbolic ? [...INSTRUMENT_SETS] : [model.instrument],
    style: settings.style,
    styles: symbolic ? [...symbolic.styles] : undefined,
    tempo: symbolic ? settings.tempo : undefined,
    density: symbolic ? settings.density : undefined,
    variation: settings.variation,
    volume: settings.volume,
    trained: model.trained,
    sampleRate: channel.sampleRate,
    channels: channel.channels,
    mp3Bitrate: channel.config.mp3Bitrate,
    listeners: channel.listenerCount,
    bufferedSeconds: Math.round(channel.bufferedSeconds * 1000) / 1000,
    realTimeFactor: station.rates.get(model.id)?.realTimeFactor ?? null,
    slowListeners: channel.counters.slowListeners,
    underruns: channel.counters.underruns,
    stream: `/stream/${channel.id}`,
    ws: `/ws/${channel.id}`,
    midi: symbolic ? `/api/channels/${channel.id}/midi` : undefined,
  };
}
