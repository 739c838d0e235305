/**
 * Read-only API: what is playing, which models exist, and the notes a symbolic channel played as
 * a MIDI file. Operator writes are in operator-routes.ts.
 */
import { Hono } from 'hono';
import { WavecastError } from '../core/errors.js';
import type { Station } from '../station/station.js';
import { channelSummary } from './channel-summary.js';
import { errorResponse } from './error-response.js';
import type { ModelSummary } from './wire.js';

export function apiRoutes(station: Station): Hono {
  const api = new Hono();
  const { midiBars } = station.config.server;
  api.get('/channels', (c) => c.json([...station.channels.values()].map((on) => channelSummary(station, on))));
  api.get('/channels/:id/midi', (c) => {
    try {
      const { channel } = station.channel(c.req.param('id'));
      const bars = parseBars(c.req.query('bars'), midiBars);
      const midi = channel.midi(bars);
      return c.body(midi.bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'audio/midi',
        'Content-Disposition': `attachment; filename="${channel.id}-${midi.bars}-bars.mid"`,
        'Cache-Control': 'no-store',
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  });
  api.get('/models', async (c) => {
    // A trainer may have published a checkpoint since start: the picker should offer it.
    await station.refreshModels();
    const models: ModelSummary[] = station.models();
    return c.json(models);
  });
  return api;
}

/** `?bars=` as a whole number of bars up to server.midiBars.max, or WAVECAST_ERR_BAD_REQUEST naming the value. */
function parseBars(raw: string | undefined, limits: { default: number; max: number }): number {
  if (raw === undefined) return limits.default;
  const bars = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(bars) || bars < 1 || bars > limits.max) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bars must be a whole number from 1 to ${limits.max}, got ${JSON.stringify(raw)}`);
  }
  return bars;
}
