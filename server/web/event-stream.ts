/**
 * `GET /api/events`: Server-Sent Events for the operator panel and the listener page.
 *
 *   event: history  once, on connect: the last minutes of once-a-second samples
 *   event: state    once a second and right after every change:
 *                   { time, channels: ChannelSummary[], errors: Problem[] }
 *
 * Read-only, like GET /api/channels, so it needs no token.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Station } from '../station/station.js';
import { channelSummary } from './channel-summary.js';
import type { HistoryEvent, StateEvent } from './wire.js';

export function eventStreamHandler(station: Station) {
  return (c: Context) => {
    // Tells a proxy (nginx) to pass each event on at once, even where its config buffers.
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      const state = () =>
        JSON.stringify({
          time: Date.now(),
          channels: [...station.channels.values()].map((on) => channelSummary(station, on)),
          errors: station.problems.recent(),
        } satisfies StateEvent);
      let sending = Promise.resolve();
      const send = () => {
        sending = sending.then(() => stream.writeSSE({ event: 'state', data: state() })).catch(() => undefined);
      };
      await stream.writeSSE({ event: 'history', data: JSON.stringify({ samples: station.history.samples() } satisfies HistoryEvent) });
      await stream.writeSSE({ event: 'state', data: state() });
      station.events.on('second', send);
      station.events.on('change', send);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      station.events.off('second', send);
      station.events.off('change', send);
    });
  };
}
