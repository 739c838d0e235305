/**
 * GET /stream/:channel — the MP3 stream any player opens. The listener reads the channel's one
 * shared MP3 chunk queue (encoded once) through a ListenerSession, starting with a burst of recent
 * audio so playback starts at once. The body is a pull stream: chunks are taken only when the
 * socket has taken the previous ones, so a slow listener falls behind in the shared queue
 * (costing nobody anything) until the session drops it and counts it.
 *
 * With `Icy-MetaData: 1` the response carries `icy-metaint: 16000` and the StreamTitle blocks,
 * exactly as Icecast sends them.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { concatBytes } from '../broadcast/concat-bytes.js';
import { ICY_METAINT, IcyInterleaver } from '../broadcast/icy-metadata.js';
import { ListenerSession } from '../broadcast/listener-session.js';
import type { Station, StationChannel } from '../station/station.js';
import { addressRanges } from '../core/address-ranges.js';
import { clientAddress } from './client-address.js';
import type { ConnectionLimit } from './connection-limit.js';
import { errorResponse } from './error-response.js';

/** @param connections the streams and feeds each client address holds (shared with the WebSocket feed) */
export function streamHandler(station: Station, connections: ConnectionLimit) {
  const { server } = station.config;
  const trusted = addressRanges(server.trustProxy);
  return (c: Context) => {
    let on: StationChannel;
    // The Node request and response, when served by @hono/node-server: the client's address, and a stalled socket is destroyed through it.
    const { incoming, outgoing } = (c.env as Partial<HttpBindings> | undefined) ?? {};
    const client = clientAddress(incoming?.socket.remoteAddress, c.req.header('x-forwarded-for'), trusted);
    try {
      on = station.channel(c.req.param('channel') ?? '');
      ListenerSession.admit(on.output, server.maxListenersPerChannel);
    } catch (error) {
      return errorResponse(c, error);
    }
    const { channel, output } = on;
    const wantsIcy = c.req.header('icy-metadata') === '1';
    const headers: Record<string, string> = {
      'content-type': 'audio/mpeg',
      'cache-control': 'no-cache, no-store',
      'icy-name': `wavecast ${on.id}`,
      'icy-description': channel.title,
      'icy-br': String(channel.config.mp3Bitrate),
      'icy-sr': String(channel.sampleRate),
      'icy-pub': '0',
      'x-content-type-options': 'nosniff',
      // Tells a proxy (nginx) to pass the stream on as it comes, even where its config buffers.
      'x-accel-buffering': 'no',
    };
    if (wantsIcy) headers['icy-metaint'] = String(ICY_METAINT);
    // Players probe with HEAD: answer the headers without joining (no listener, no cursor).
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
    const icy = wantsIcy ? new IcyInterleaver({ metaint: ICY_METAINT }) : undefined;
    let release: () => void;
    try {
      release = connections.acquire(client);
    } catch (error) {
      return errorResponse(c, error);
    }
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let errored = false;
    const session = ListenerSession.open({
      output,
      queue: output.mp3,
      kind: 'mp3',
      burstSeconds: server.burst,
      maxLagSeconds: server.maxListenerLag,
      maxListeners: server.maxListenersPerChannel,
      // A few larger writes a second instead of one per chunk: the per-listener cost is per write.
      coalesceSeconds: server.mp3WriteSeconds,
      onSlow: (error) => {
        errored = true;
        controller.error(error);
        outgoing?.destroy();
      },
      client,
    });
    session.signal.addEventListener('abort', release, { once: true });

    const body = new ReadableStream<Uint8Array>(
      {
        start(streamController) {
          controller = streamController;
        },
        async pull() {
          const chunks = await session.pull();
          // The listener left (or was dropped): end the body rather than be pulled again for nothing.
          if (session.closed && chunks.length === 0) {
            if (!errored) controller.close();
            return;
          }
          // One write per chunk: the ICY pieces (audio views around a metadata block) joined.
          for (const chunk of chunks) controller.enqueue(icy ? concatBytes(icy.write(chunk.bytes, chunk.title)) : chunk.bytes);
        },
        cancel() {
          session.close();
        },
      },
      { highWaterMark: 0 },
    );
    c.req.raw.signal?.addEventListener('abort', () => session.close(), { once: true });

    return new Response(body, { status: 200, headers });
  };
}
