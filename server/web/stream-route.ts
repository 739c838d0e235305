/**
 * GET /stream/:channel — the MP3 stream any player opens. Every listener reads the channel's one
 * shared MP3 chunk queue (encoded once), starting with a burst of recent audio so playback
 * starts at once. The body is a pull stream: a chunk is read only when the socket has taken the
 * previous one, so a slow listener falls behind in the shared queue (costing nobody anything)
 * until it lags past the limit and is dropped and counted.
 *
 * With `Icy-MetaData: 1` the response carries `icy-metaint: 16000` and the StreamTitle blocks,
 * exactly as Icecast sends them.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { ICY_METAINT, IcyInterleaver } from '../broadcast/icy-metadata.js';
import type { Channel } from '../stream/channel.js';
import { hasCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Station } from '../station/station.js';
import { errorResponse } from './error-response.js';

const log = logger('http-stream');

export function streamHandler(station: Station) {
  return (c: Context) => {
    let channel: Channel;
    try {
      channel = station.channel(c.req.param('channel') ?? '');
      station.admit(channel);
    } catch (error) {
      return errorResponse(c, error);
    }
    const { server } = station.config;
    const wantsIcy = c.req.header('icy-metadata') === '1';
    const headers: Record<string, string> = {
      'content-type': 'audio/mpeg',
      'cache-control': 'no-cache, no-store',
      'icy-name': `wavecast ${channel.id}`,
      'icy-description': channel.title,
      'icy-br': String(channel.config.mp3Bitrate),
      'icy-sr': String(channel.sampleRate),
      'icy-pub': '0',
      'x-content-type-options': 'nosniff',
    };
    if (wantsIcy) headers['icy-metaint'] = String(ICY_METAINT);
    // Players probe with HEAD: answer the headers without joining (no listener, no cursor).
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
    const reader = channel.mp3.reader({ burstSeconds: server.burst, maxLagSeconds: server.maxListenerLag });
    const icy = wantsIcy ? new IcyInterleaver({ metaint: ICY_METAINT }) : undefined;
    const closed = new AbortController();
    // The Node response, when served by @hono/node-server: a stalled socket is destroyed through it.
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    channel.listeners.mp3++;
    const leave = () => {
      if (closed.signal.aborted) return;
      closed.abort();
      channel.listeners.mp3--;
      channel.mp3.off('chunk', watchLag);
    };
    const drop = (error: unknown) => {
      if (closed.signal.aborted) return;
      if (hasCode(error, 'WAVECAST_ERR_LISTENER_TOO_SLOW')) {
        channel.counters.slowListeners++;
        log.info({ channel: channel.id, lag: reader.lagSeconds }, 'dropped a slow listener');
      }
      leave();
      controller.error(error);
      outgoing?.destroy();
    };
    // A socket that stops draining never asks for more, so pull() alone would never notice the
    // lag: every new chunk checks it, and a listener past maxListenerLag is dropped.
    const watchLag = () => {
      try {
        reader.checkLag();
      } catch (error) {
        drop(error);
      }
    };
    channel.mp3.on('chunk', watchLag);
    log.debug({ channel: channel.id, icy: wantsIcy }, 'listener joined');

    const body = new ReadableStream<Uint8Array>(
      {
        start(streamController) {
          controller = streamController;
        },
        async pull() {
          while (!closed.signal.aborted) {
            let chunks;
            try {
              chunks = reader.read();
            } catch (error) {
              drop(error);
              return;
            }
            if (chunks.length > 0) {
              for (const chunk of chunks) {
                if (icy) for (const piece of icy.write(chunk.bytes, chunk.title)) controller.enqueue(piece);
                else controller.enqueue(chunk.bytes);
              }
              return;
            }
            await channel.mp3.nextChunk(closed.signal);
          }
        },
        cancel() {
          leave();
        },
      },
      { highWaterMark: 0 },
    );
    c.req.raw.signal?.addEventListener('abort', leave, { once: true });

    return new Response(body, { status: 200, headers });
  };
}
