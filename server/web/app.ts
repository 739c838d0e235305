/**
 * The HTTP application, built without listening: tests call `app.request(...)` on a station
 * built from fakes, and listen.ts binds it to a port (and adds the WebSocket upgrade).
 */
import { Hono } from 'hono';
import { apiRoutes } from './api-routes.js';
import { eventStreamHandler } from './event-stream.js';
import { operatorRoutes } from './operator-routes.js';
import { errorResponse } from './error-response.js';
import { playerWebRoutes, type Asset } from './player-web-assets.js';
import { streamHandler } from './stream-route.js';
import { createMetrics } from './metrics.js';
import type { Station } from '../station/station.js';

export interface AppOptions {
  /** The bearer token operator writes need. */
  operatorToken: string;
  /** The bundled browser pages (buildPlayerWeb); none: / and /panel answer 404. */
  assets?: Map<string, Asset>;
}

export function createApp(station: Station, options: AppOptions): Hono {
  const app = new Hono();
  const metrics = createMetrics(station);
  const startedAt = Date.now();

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      channels: [...station.channels.values()].map(({ id, channel }) => ({ id, playing: channel.playout.playing, bufferedSeconds: channel.bufferedSeconds })),
    }),
  );
  app.route('/api', operatorRoutes(station, options.operatorToken));
  app.route('/api', apiRoutes(station));
  app.get('/api/events', eventStreamHandler(station));
  app.get('/stream/:channel', streamHandler(station));
  app.get('/metrics', async (c) => c.text(await metrics.metrics(), 200, { 'content-type': metrics.contentType }));
  if (options.assets) app.route('/', playerWebRoutes(options.assets));
  app.notFound((c) => c.json({ error: { code: 'WAVECAST_ERR_NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
