/**
 * Read-only JSON API: what is playing and which models exist. (Operator writes are a later issue.)
 */
import { Hono } from 'hono';
import type { Station } from '../station.js';

/** The JSON shape of one channel in GET /api/channels. */
export interface ChannelSummary {
  id: string;
  title: string;
  model: string;
  instrument: string;
  trained: boolean;
  sampleRate: number;
  channels: number;
  mp3Bitrate: number;
  listeners: number;
  bufferedSeconds: number;
  realTimeFactor: number | null;
  slowListeners: number;
  underruns: number;
  stream: string;
  ws: string;
}

export function apiRoutes(station: Station): Hono {
  const api = new Hono();
  api.get('/channels', (c) => {
    const list: ChannelSummary[] = [...station.channels.values()].map((channel) => ({
      id: channel.id,
      title: channel.title,
      model: channel.model.id,
      instrument: channel.model.instrument,
      trained: channel.model.trained,
      sampleRate: channel.sampleRate,
      channels: channel.channels,
      mp3Bitrate: channel.config.mp3Bitrate,
      listeners: channel.listenerCount,
      bufferedSeconds: Math.round(channel.bufferedSeconds * 1000) / 1000,
      realTimeFactor: station.rates.get(channel.model.id)?.realTimeFactor ?? null,
      slowListeners: channel.counters.slowListeners,
      underruns: channel.counters.underruns,
      stream: `/stream/${channel.id}`,
      ws: `/ws/${channel.id}`,
    }));
    return c.json(list);
  });
  api.get('/models', (c) => c.json(station.models()));
  return api;
}
