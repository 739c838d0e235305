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
 * Close codes: 1008 the client could not keep up (its unsent bytes passed the bound, or it fell
 * behind the shared queue); 4404 unknown channel; 4400 bad query (format, burst); 4503 full.
 * The reason names what was wrong. Nothing else is affected.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PCM_FORMATS, type Channel, type PcmFormat } from '../stream/channel.js';
import { hasCode, WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Station } from '../station/station.js';

const log = logger('ws');

export const WS_CLOSE = { tooSlow: 1008, badRequest: 4400, unknownChannel: 4404, full: 4503 } as const;

/** How long a client dropped as too slow gets to read its close frame before the socket is cut. */
const SLOW_CLOSE_GRACE_MS = 2000;

/** A WebSocket close reason may hold at most 123 bytes. */
function reason(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 123 ? text : bytes.subarray(0, 120).toString() + '...';
}

interface FeedRequest {
  channel: Channel;
  format: PcmFormat;
  burstSeconds: number;
  monitor: boolean;
}

function parseRequest(station: Station, url: URL): FeedRequest {
  const id = decodeURIComponent(url.pathname.slice('/ws/'.length));
  const channel = station.channel(id);
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
  station.admit(channel);
  return { channel, format: format as PcmFormat, burstSeconds, monitor: monitorText === '1' };
}

function closeCode(error: unknown): number {
  if (hasCode(error, 'WAVECAST_ERR_UNKNOWN_CHANNEL')) return WS_CLOSE.unknownChannel;
  if (hasCode(error, 'WAVECAST_ERR_TOO_MANY_LISTENERS')) return WS_CLOSE.full;
  return WS_CLOSE.badRequest;
}

function serve(station: Station, ws: WebSocket, request: FeedRequest): void {
  const { channel, format, burstSeconds, monitor } = request;
  const counter = monitor ? 'monitors' : 'ws';
  const { server } = station.config;
  const queue = channel.pcm[format];
  const reader = queue.reader({ burstSeconds, maxLagSeconds: server.maxListenerLag });
  const closed = new AbortController();
  channel.listeners[counter]++;
  let lastTitle = channel.title;
  ws.send(
    JSON.stringify({
      type: 'header',
      channel: channel.id,
      sampleRate: channel.sampleRate,
      channels: channel.channels,
      format,
      frameSamples: channel.frameSamples,
      title: lastTitle,
    }),
  );
  const dropSlow = (why: string) => {
    channel.counters.slowListeners++;
    log.info({ channel: channel.id, why }, 'closed a slow WebSocket client');
    ws.close(WS_CLOSE.tooSlow, reason(`too slow: ${why}`));
    // The close frame waits behind the unsent audio; a client that reads nothing would hold the
    // socket for ws's 30 s closing handshake. Give it a moment to read the close, then cut it.
    const cut = setTimeout(() => ws.terminate(), SLOW_CLOSE_GRACE_MS);
    ws.once('close', () => clearTimeout(cut));
    closed.abort();
  };
  const pump = async () => {
    while (!closed.signal.aborted) {
      let chunks;
      try {
        chunks = reader.read();
      } catch (error) {
        if (!hasCode(error, 'WAVECAST_ERR_LISTENER_TOO_SLOW')) throw error;
        dropSlow(`fell ${reader.lagSeconds.toFixed(1)} s behind live`);
        return;
      }
      for (const chunk of chunks) {
        if (ws.bufferedAmount > server.wsMaxBufferedBytes) {
          dropSlow(`${ws.bufferedAmount} bytes unsent (limit ${server.wsMaxBufferedBytes})`);
          return;
        }
        if (chunk.title !== lastTitle) {
          lastTitle = chunk.title;
          ws.send(JSON.stringify({ type: 'title', title: lastTitle }));
        }
        ws.send(chunk.bytes);
      }
      await queue.nextChunk(closed.signal);
    }
  };
  ws.on('close', () => {
    channel.listeners[counter]--;
    closed.abort();
  });
  ws.on('error', (error) => log.debug({ err: error }, 'websocket error'));
  pump().catch((error) => {
    log.error({ err: error }, 'websocket pump failed');
    ws.close(1011, 'internal error');
  });
}

/**
 * Returns an `upgrade` handler for a Node HTTP server that serves /ws/<channel> and leaves other
 * paths alone (answering them 404).
 */
export function pcmFeedUpgradeHandler(station: Station) {
  const wss = new WebSocketServer({ noServer: true });
  const handler = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/ws/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      let feed: FeedRequest;
      try {
        feed = parseRequest(station, url);
      } catch (error) {
        ws.close(closeCode(error), reason((error as Error).message));
        return;
      }
      serve(station, ws, feed);
    });
  };
  return Object.assign(handler, { close: () => wss.close() });
}
