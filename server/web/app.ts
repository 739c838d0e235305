/**
 * The HTTP application, built without listening: tests call `app.request(...)` on a station
 * built from fakes, and listen.ts binds it to a port (and adds the WebSocket upgrade).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { WavecastError } from '../core/errors.js';
import { readOnlyCors } from './origin-policy.js';
import { apiRoutes } from './api-routes.js';
import { eventStreamHandler } from './event-stream.js';
import { operatorRoutes } from './operator-routes.js';
import { errorResponse } from './error-response.js';
import { playerWebRoutes, type Asset } from './player-web-assets.js';
import { streamHandler } from './stream-route.js';
import { createMetrics } from './metrics.js';
import { ConnectionLimit } from './connection-limit.js';
import type { Station } from '../station/station.js';

export interface AppOptions {
  /** The bearer token operator writes need. */
  operatorToken: string;
  /** The bundled browser pages (buildPlayerWeb); none: / and /panel answer 404. */
  assets?: Map<string, Asset>;
  /** Streams and feeds per client address, shared with the WebSocket feed (listen.ts); none: the app counts its own. */
  connections?: ConnectionLimit;
}

export function createApp(station: Station, options: AppOptions): Hono {
  const app = new Hono();
  const connections = options.connections ?? new ConnectionLimit(station.config.server.maxConnectionsPerAddress);
  const metrics = createMetrics(station, connections);
  const startedAt = Date.now();

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      channels: [...station.channels.values()].map(({ id, channel }) => ({ id, playing: channel.playout.playing, bufferedSeconds: channel.bufferedSeconds })),
    }),
  );
  const { maxBodyBytes, corsOrigins } = station.config.server;
  // Read before any route: a body over the limit is refused from its Content-Length, unread.
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => errorResponse(c, new WavecastError('WAVECAST_ERR_TOO_LARGE', `request body over ${maxBodyBytes} bytes (server.maxBodyBytes)`)),
    }),
  );
  // Other sites' pages may read (GET) what the config lets them; operator writes stay same-origin.
  for (const route of ['/api/channels', '/api/channels/*', '/api/models', '/api/events']) app.use(route, readOnlyCors(corsOrigins));
  app.route('/api', operatorRoutes(station, options.operatorToken));
  app.route('/api', apiRoutes(station));
  app.get('/api/events', eventStreamHandler(station));
  app.get('/stream/:channel', streamHandler(station, connections));
  // A WebSocket URL opened as a page or with curl: say what it is instead of a bare 404.
  app.get('/ws/:channel', (c) => {
    const scheme = c.req.header('x-forwarded-proto') === 'https' || new URL(c.req.url).protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${c.req.header('host') ?? new URL(c.req.url).host}${c.req.path}`;
    c.header('Upgrade', 'websocket');
    return errorResponse(c, new WavecastError('WAVECAST_ERR_UPGRADE_REQUIRED', `${c.req.path} is a WebSocket feed: connect to ${url}?format=s16le (or f32le) with a WebSocket client`));
  });
  app.get('/metrics', async (c) => c.text(await metrics.metrics(), 200, { 'content-type': metrics.contentType }));
  if (options.assets) app.route('/', playerWebRoutes(options.assets));
  app.notFound((c) => c.json({ error: { code: 'WAVECAST_ERR_NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
