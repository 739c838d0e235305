/**
 * A fake Icecast 2.4 for the source's unit tests: it answers a source's PUT as Icecast does
 * (`HTTP/1.1 100 Continue`, then `HTTP/1.0 200 OK`, or 401 / 403 with a line of text) and
 * records the headers and every byte, and answers `GET /admin/metadata` recording each call. A
 * raw TCP server, not node:http: Icecast reads a source's body raw, without framing, which an
 * HTTP server would take for the next request. It can stall (stop reading), stay silent (never
 * answer) and drop its sources (as a restart does).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';

export interface FakeSource {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Every body byte received so far. */
  bytes: () => Buffer;
  /** True once the connection is gone. */
  closed: boolean;
  socket: net.Socket;
}

export interface FakeMetadataCall {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export class FakeIcecast extends EventEmitter {
  readonly sources: FakeSource[] = [];
  readonly metadata: FakeMetadataCall[] = [];
  /** What a source must send (Basic auth); change it to refuse or let in the next attempt. */
  credentials = { user: 'source', password: 'hackme' };
  /** Never answer a source (no 100, no 200): the source's timeout must notice. */
  silent = false;
  /** Not reading from sources (see stall()): their sockets fill up, as with an Icecast that hangs. */
  stalled = false;
  readonly #server = net.createServer((socket) => this.#accept(socket));
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The sources still connected. */
  get live(): FakeSource[] {
    return this.sources.filter((s) => !s.closed);
  }

  /** Cuts every source's connection, as Icecast restarting does. */
  dropSources(): void {
    for (const source of this.live) source.socket.destroy();
  }

  /** Stops reading from every source, now and from the next ones. */
  stall(): void {
    this.stalled = true;
    for (const source of this.live) source.socket.pause();
  }

  /** Reads again (after `stall()`); sources that stalled are cut, as a source timeout would. */
  unstall(): void {
    this.stalled = false;
    this.dropSources();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined); // a source that goes away mid-write: nothing to do
    let head = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const [requestLine, ...lines] = head.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = requestLine.split(' ');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const rest = head.subarray(end + 4);
      const url = new URL(target, 'http://fake');
      if (method === 'PUT' || method === 'SOURCE') this.#source(socket, method, url.pathname, headers, rest);
      else if (method === 'GET' && url.pathname === '/admin/metadata') this.#metadata(socket, url, headers);
      else socket.end('HTTP/1.0 404 Not Found\r\n\r\n');
    };
    socket.on('data', onData);
  }

  #authorized(headers: Record<string, string>): boolean {
    const expected = `Basic ${Buffer.from(`${this.credentials.user}:${this.credentials.password}`).toString('base64')}`;
    return headers.authorization === expected;
  }

  #source(socket: net.Socket, method: string, path: string, headers: Record<string, string>, rest: Buffer): void {
    const parts: Buffer[] = rest.length > 0 ? [rest] : [];
    const source: FakeSource = { method, path, headers, bytes: () => Buffer.concat(parts), closed: false, socket };
    socket.on('close', () => {
      source.closed = true;
      this.emit('source-closed', source);
    });
    if (this.silent) return;
    if (!this.#authorized(headers)) {
      socket.end('HTTP/1.0 401 Authentication Required\r\nContent-Type: text/plain\r\n\r\nYou need to authenticate\r\n');
      this.emit('refused', 401);
      return;
    }
    if (this.live.some((s) => s.path === path)) {
      socket.end('HTTP/1.0 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMountpoint in use');
      this.emit('refused', 403);
      return;
    }
    this.sources.push(source);
    if (/100-continue/i.test(headers.expect ?? '')) socket.write('HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n');
    socket.write('HTTP/1.0 200 OK\r\n\r\n');
    socket.on('data', (data: Buffer) => {
      parts.push(data);
      this.emit('data', source);
    });
    if (this.stalled) socket.pause();
    this.emit('source', source);
  }

  #metadata(socket: net.Socket, url: URL, headers: Record<string, string>): void {
    const reply = (status: string, body: string): void => void socket.end(`HTTP/1.0 ${status}\r\nContent-Type: text/xml\r\n\r\n${body}`);
    if (!this.#authorized(headers)) return reply('401 Authentication Required', 'You need to authenticate\r\n');
    this.metadata.push({ path: url.pathname, query: url.searchParams, authorization: headers.authorization });
    this.emit('metadata', url.searchParams);
    if (!this.live.some((s) => s.path === url.searchParams.get('mount'))) return reply('400 Bad Request', 'Source does not exist');
    reply('200 OK', '<?xml version="1.0"?>\n<iceresponse><message>Metadata update successful</message><return>1</return></iceresponse>\n');
  }
}
