/**
 * How long a client may take to ask (slowloris clients, idle half-open sockets): a connection has
 * `server.headersTimeout` to send its first request's headers, and `requestTimeout` for the whole
 * request; a stream's response is not limited. Node enforces both once a request has begun
 * (checked every `connectionsCheckingInterval`, 30 s by default, so set finer here); a socket that
 * sends nothing at all it never cuts, so the first request's deadline is kept here, per socket.
 * Each cut is counted (ConnectionLimit.counters.timedOut) and answered 408 when the client had
 * started to send.
 */
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerConfig } from '../config/config-schema.js';
import { logger } from '../core/logger.js';
import type { ConnectionLimit } from './connection-limit.js';

const log = logger('http');

const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/** The Node server options for the config's deadlines (pass them to http.createServer). */
export function deadlineServerOptions(limits: Pick<ServerConfig, 'headersTimeout' | 'requestTimeout'>): ServerOptions {
  return {
    headersTimeout: limits.headersTimeout * 1000,
    requestTimeout: limits.requestTimeout * 1000,
    connectionsCheckingInterval: Math.min(1000, (limits.headersTimeout * 1000) / 4),
  };
}

/** Cuts each connection that has not sent its first request's headers within `headersTimeout`, and counts every client cut. */
export function enforceDeadlines(server: Server, limits: Pick<ServerConfig, 'headersTimeout'>, connections: ConnectionLimit): void {
  const waiting = new WeakMap<Socket, NodeJS.Timeout>();
  const cut = (socket: Socket, why: string) => {
    connections.counters.timedOut++;
    log.debug({ client: socket.remoteAddress, bytes: socket.bytesRead }, why);
    if (socket.writable && socket.bytesWritten === 0 && socket.bytesRead > 0) socket.write(REQUEST_TIMEOUT);
    socket.destroy();
  };
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => cut(socket, 'client cut: no request within headersTimeout'), limits.headersTimeout * 1000);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  // From its first request on, Node's own deadlines apply to the connection.
  const begun = ({ socket }: IncomingMessage) => clearTimeout(waiting.get(socket as Socket));
  server.on('request', begun);
  server.on('upgrade', begun);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // What Node does without this listener (answer 408 or 400 if nothing was sent yet, then cut), and the count.
    clearTimeout(waiting.get(socket));
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return cut(socket, 'client cut: request not sent within the deadline');
    log.debug({ code: error.code, client: socket.remoteAddress }, 'bad request from client');
    if (socket.writable && socket.bytesWritten === 0) socket.write(BAD_REQUEST);
    socket.destroy();
  });
}
