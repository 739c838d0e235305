/**
 * WebSocket PCM feed for game engines: `ws://HOST:PORT/ws/<channel>?format=s16le|f32le`.
 *
 * Protocol: one text frame
 *   {"type":"header","channel":…,"sampleRate":…,"channels":…,"format":…,"frameSamples":…}
 * then binary frames, each a uint32 little-endian sequence number followed by `frameSamples`
 * frames of interleaved PCM. Sequence numbers are contiguous; a gap means frames were lost.
 * A text frame {"type":"title","title":…} follows whenever the title changes.
 * `&monitor=1` marks the operator panel's visualiser: served alike, not counted as a listener.
 *
 * Close codes: 1001 the server is shutting down; 1008 the client could not keep up (its unsent bytes passed the bound, or it fell
 * behind the shared queue); 4404 unknown channel; 4400 bad query (format, burst); 4429 its address holds
 * server.maxConnectionsPerAddress streams and feeds already; 4503 full.
 * The reason names what was wrong. Nothing else is affected.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PCM_FORMATS, type PcmFormat } from '../broadcast/channel-output.js';
import { ListenerSession } from '../broadcast/listener-session.js';
import { hasCode, WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Station, StationChannel } from '../station/station.js';
import { addressRanges } from '../core/address-ranges.js';
import { clientAddress } from './client-address.js';
import type { ConnectionLimit } from './connection-limit.js';
import type { PcmFeedHeader, PcmFeedTitle } from './wire.js';
import { originAllowed } from './origin-policy.js';

const log = logger('ws');

export const WS_CLOSE = { goingAway: 1001, tooSlow: 1008, badRequest: 4400, unknownChannel: 4404, tooManyConnections: 4429, full: 4503 } as const;

/** A WebSocket close reason may hold at most 123 bytes. */
function reason(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 123 ? text : bytes.subarray(0, 120).toString() + '...';
}

interface FeedRequest {
  on: StationChannel;
  format: PcmFormat;
  burstSeconds: number;
  monitor: boolean;
  /** Where the client connected from (behind a local proxy, what it forwarded), for the logs. */
  client: string | undefined;
}

function parseRequest(station: Station, url: URL, client: string | undefined): FeedRequest {
  const id = decodeURIComponent(url.pathname.slice('/ws/'.length));
  const on = station.channel(id);
  const format = url.searchParams.get('format') ?? 's16le';
  if (!(PCM_FORMATS as readonly string[]).includes(format)) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `format must be one of ${PCM_FORMATS.join(', ')}, got "${format}"`);
  }
  const burstText = url.searchParams.get('burst');
  const burstSeconds = burstText === null ? station.config.server.burst : Number(burstText);
  const maxBurst = station.config.server.maxListenerLag;
  if (!Number.isFinite(burstSeconds) || burstSeconds < 0 || burstSeconds >= maxBurst) {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `burst must be seconds in [0, ${maxBurst}), got "${burstText}"`);
  }
  const monitorText = url.searchParams.get('monitor');
  if (monitorText !== null && monitorText !== '0' && monitorText !== '1') {
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `monitor must be 0 or 1, got "${monitorText}"`);
  }
  return { on, format: format as PcmFormat, burstSeconds, monitor: monitorText === '1', client };
}

function closeCode(error: unknown): number {
  if (hasCode(error, 'WAVECAST_ERR_UNKNOWN_CHANNEL')) return WS_CLOSE.unknownChannel;
  if (hasCode(error, 'WAVECAST_ERR_TOO_MANY_LISTENERS')) return WS_CLOSE.full;
  if (hasCode(error, 'WAVECAST_ERR_TOO_MANY_CONNECTIONS')) return WS_CLOSE.tooManyConnections;
  return WS_CLOSE.badRequest;
}

/** Joins the client to its channel; throws (before anything is sent) when it may not join. */
function serve(station: Station, ws: WebSocket, request: FeedRequest, connections: ConnectionLimit): void {
  const { on, format, burstSeconds, monitor, client } = request;
  const { channel, output } = on;
  const { server } = station.config;
  // Counted against its address first: one refused for that joins nothing.
  const release = connections.acquire(client);
  let session: ListenerSession;
  try {
    session = ListenerSession.open({
      output,
      queue: output.pcmQueue(format),
      kind: monitor ? 'monitors' : 'ws',
      burstSeconds,
      maxLagSeconds: server.maxListenerLag,
      maxListeners: server.maxListenersPerChannel,
      onSlow: (error) => {
        ws.close(WS_CLOSE.tooSlow, reason(`too slow: ${error.message}`));
        // The close frame waits behind the unsent audio; a client that reads nothing would hold the
        // socket for ws's 30 s closing handshake. Give it a moment to read the close, then cut it.
        const cut = setTimeout(() => ws.terminate(), server.slowCloseGrace * 1000);
        ws.once('close', () => clearTimeout(cut));
      },
      client,
    });
  } catch (error) {
    release();
    throw error;
  }
  ws.on('close', release);
  let lastTitle = channel.title;
  const header: PcmFeedHeader = {
    type: 'header',
    channel: on.id,
    sampleRate: channel.sampleRate,
    channels: channel.channels,
    format,
    frameSamples: channel.frameSamples,
    title: lastTitle,
  };
  ws.send(JSON.stringify(header));
  const pump = async () => {
    while (!session.closed) {
      for (const chunk of await session.pull()) {
        if (ws.bufferedAmount > server.wsMaxBufferedBytes) {
          session.dropSlow(`${ws.bufferedAmount} bytes unsent (limit ${server.wsMaxBufferedBytes})`);
          return;
        }
        if (chunk.title !== lastTitle) {
          lastTitle = chunk.title;
          ws.send(JSON.stringify({ type: 'title', title: lastTitle } satisfies PcmFeedTitle));
        }
        ws.send(chunk.bytes);
      }
    }
    // The server is stopping: say so with a proper close frame (1001), not a cut connection.
    if (output.ending.aborted) ws.close(WS_CLOSE.goingAway, 'the server is shutting down');
  };
  ws.on('close', () => session.close());
  ws.on('error', (error) => log.debug({ err: error }, 'websocket error'));
  pump().catch((error) => {
    log.error({ err: error }, 'websocket pump failed');
    session.close();
    ws.close(1011, 'internal error');
  });
}

/**
 * Returns an `upgrade` handler for a Node HTTP server that serves /ws/<channel> and leaves other
 * paths alone (answering them 404). `connections` counts the feeds per client address, with the
 * MP3 streams (stream-route.ts).
 */
export function pcmFeedUpgradeHandler(station: Station, connections: ConnectionLimit) {
  const wss = new WebSocketServer({ noServer: true });
  const trusted = addressRanges(station.config.server.trustProxy);
  const handler = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/ws/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Browsers send Origin and apply no CORS to WebSockets: a page from another site needs the config's leave.
    const origin = request.headers.origin;
    if (!originAllowed(origin, request.headers.host, station.config.server.corsOrigins)) {
      const body = JSON.stringify({ error: { code: 'WAVECAST_ERR_FORBIDDEN_ORIGIN', message: `origin ${origin} may not open the feed: add it to server.corsOrigins` } });
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      try {
        const forwardedFor = request.headers['x-forwarded-for'];
        const client = clientAddress(request.socket.remoteAddress, Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor, trusted);
        serve(station, ws, parseRequest(station, url, client), connections);
      } catch (error) {
        ws.close(closeCode(error), reason((error as Error).message));
      }
    });
  };
  return Object.assign(handler, { close: () => wss.close() });
}
