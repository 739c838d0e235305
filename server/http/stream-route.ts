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
import type { Context } from 'hono';
import { ICY_METAINT, IcyInterleaver } from '../broadcast/icy-metadata.js';
import type { ChunkQueue } from '../broadcast/chunk-queue.js';
import type { Channel } from '../channel/channel.js';
import { WavecastError, hasCode } from '../errors.js';
import { logger } from '../logger.js';
import type { Station } from '../station.js';
import { errorResponse } from './error-response.js';

const log = logger('http-stream');

/** Resolves on the queue's next chunk, or when `signal` aborts. */
export function nextChunk(queue: ChunkQueue, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      queue.off('chunk', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    queue.once('chunk', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Refuses a new listener when the channel is full. */
export function admitListener(station: Station, channel: Channel): void {
  if (channel.listenerCount >= station.config.server.maxListenersPerChannel) {
    throw new WavecastError(
      'WAVECAST_ERR_TOO_MANY_LISTENERS',
      `channel "${channel.id}" has ${channel.listenerCount} listeners, the most it takes (server.maxListenersPerChannel)`,
    );
  }
}

export function streamHandler(station: Station) {
  return (c: Context) => {
    let channel: Channel;
    try {
      channel = station.channel(c.req.param('channel') ?? '');
      admitListener(station, channel);
    } catch (error) {
      return errorResponse(c, error);
    }
    const { server } = station.config;
    const wantsIcy = c.req.header('icy-metadata') === '1';
    const reader = channel.mp3.reader({ burstSeconds: server.burst, maxLagSeconds: server.maxListenerLag });
    const icy = wantsIcy ? new IcyInterleaver({ metaint: ICY_METAINT }) : undefined;
    const closed = new AbortController();
    channel.listeners.mp3++;
    let counted = true;
    const leave = () => {
      if (!counted) return;
      counted = false;
      channel.listeners.mp3--;
      closed.abort();
    };
    log.debug({ channel: channel.id, icy: wantsIcy }, 'listener joined');

    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          while (!closed.signal.aborted) {
            let chunks;
            try {
              chunks = reader.read();
            } catch (error) {
              if (hasCode(error, 'WAVECAST_ERR_LISTENER_TOO_SLOW')) {
                channel.counters.slowListeners++;
                log.info({ channel: channel.id, lag: reader.lagSeconds }, 'dropped a slow listener');
              }
              leave();
              controller.error(error);
              return;
            }
            if (chunks.length > 0) {
              for (const chunk of chunks) {
                if (icy) for (const piece of icy.write(chunk.bytes, chunk.title)) controller.enqueue(piece);
                else controller.enqueue(chunk.bytes);
              }
              return;
            }
            await nextChunk(channel.mp3, closed.signal);
          }
        },
        cancel() {
          leave();
        },
      },
      { highWaterMark: 0 },
    );
    c.req.raw.signal?.addEventListener('abort', leave, { once: true });

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
    return new Response(body, { status: 200, headers });
  };
}
