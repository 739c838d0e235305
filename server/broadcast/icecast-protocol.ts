/**
 * The two requests an Icecast source makes, as Icecast 2.4 expects them (its connection.c and
 * admin.c):
 *
 * - the source itself: `PUT /mount` with `Content-Type`, Basic auth, the `Ice-*` headers and
 *   `Expect: 100-continue`. Icecast answers `HTTP/1.1 100 Continue` then `HTTP/1.0 200 OK` once
 *   the password and the mount are accepted (401 / 403 with a line of text when not), then reads
 *   the body as the raw stream until the connection closes. It does not decode a chunked body,
 *   so the request carries neither `Transfer-Encoding` nor `Content-Length`: the bytes go as they are.
 * - a title change: `GET /admin/metadata?mount=/m&mode=updinfo&song=…&charset=UTF-8` with the
 *   same credentials. Icecast answers 200 with XML; "Metadata update successful" is the yes, and
 *   a source password used from another address than the source's gets a 200 that says
 *   "Mountpoint will not accept URL updates" instead.
 */
import http from 'node:http';
import https from 'node:https';
import type { IcecastConfig } from '../config/config-schema.js';
import type { Seconds } from '../core/units.js';

/** What the Ice-Audio-Info header describes. */
export interface IcecastAudio {
  sampleRate: number;
  channels: number;
  /** kbps */
  bitrate: number;
}

const USER_AGENT = 'wavecast';

function transportOf(server: URL): typeof http | typeof https {
  return server.protocol === 'https:' ? https : http;
}

function basicAuth(icecast: IcecastConfig): string {
  return `Basic ${Buffer.from(`${icecast.user}:${icecast.password}`, 'utf8').toString('base64')}`;
}

/**
 * A header value as sent: control characters, which would end the header, become spaces. Node
 * writes the head of a request with `Expect` as UTF-8 (its `_send('')` path), so "é" reaches
 * Icecast as UTF-8, which is what Icecast shows; it refuses characters above U+00FF in headers,
 * which the config schema keeps out of name, description and genre.
 */
function headerText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/**
 * Opens the source request. Its headers are on their way when this returns; the caller waits for
 * `continue` (or a 2xx `response`) before writing audio, and reads a refusal from `response`.
 *
 * @param name the stream's name when the config gives none.
 */
export function openSourceRequest(server: URL, icecast: IcecastConfig, audio: IcecastAudio, name: string): http.ClientRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'audio/mpeg',
    Authorization: basicAuth(icecast),
    'User-Agent': USER_AGENT,
    'Ice-Public': icecast.public ? '1' : '0',
    'Ice-Name': headerText(icecast.name ?? name),
    // Icecast turns its bitrate into the listeners' icy-br (an Ice-Bitrate too would send icy-br twice).
    'Ice-Audio-Info': `samplerate=${audio.sampleRate};channels=${audio.channels};bitrate=${audio.bitrate}`,
  };
  if (icecast.description !== undefined) headers['Ice-Description'] = headerText(icecast.description);
  if (icecast.genre !== undefined) headers['Ice-Genre'] = headerText(icecast.genre);
  // Its own socket (no agent): the connection lives as long as the stream.
  const request = transportOf(server).request(server, { method: 'PUT', path: icecast.mount, headers, agent: false });
  // Node frames a PUT body as chunked unless told otherwise; Icecast 2.4 would take the chunk
  // sizes for audio. Removing both framing headers makes Node send the body raw.
  request.removeHeader('Transfer-Encoding');
  request.removeHeader('Content-Length');
  // Set after those (Node sends the head at once for Expect), then sent: Icecast answers 100 Continue.
  request.setHeader('Expect', '100-continue');
  request.flushHeaders();
  return request;
}

/**
 * Tells Icecast the mount's title (ICY StreamTitle for its listeners and relays).
 * @throws Error naming Icecast's answer when it did not take the title.
 */
export function updateIcecastTitle(server: URL, icecast: IcecastConfig, title: string, timeout: Seconds): Promise<void> {
  const query = [`mount=${encodeURIComponent(icecast.mount)}`, 'mode=updinfo', `song=${encodeURIComponent(title)}`, 'charset=UTF-8'].join('&');
  const url = new URL(`/admin/metadata?${query}`, server);
  return new Promise((resolve, reject) => {
    const request = transportOf(server).get(url, { agent: false, headers: { Authorization: basicAuth(icecast), 'User-Agent': USER_AGENT } }, (response) => {
      void readText(response).then((text) => {
        const message = /<message>([^<]*)<\/message>/.exec(text)?.[1];
        if (response.statusCode !== 200) reject(new Error(answered(response, text)));
        else if (/<return>0<\/return>/.test(text) || /will not accept/i.test(text)) reject(new Error(`Icecast did not take the title: ${message ?? text}`));
        else resolve();
      });
    });
    request.setTimeout(timeout * 1000, () => request.destroy(new Error(`Icecast did not answer a title update in ${timeout} s`)));
    request.on('error', reject);
  });
}

/** "Icecast answered 403 Forbidden: Mountpoint in use", from a response that refused. */
export function answered(response: http.IncomingMessage, text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `Icecast answered ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd() + (line ? `: ${line}` : '');
}

/** The start of a response body (up to `limit` bytes) as text; what came, if the connection ends early. */
export function readText(response: http.IncomingMessage, limit = 4096): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let length = 0;
    const done = () => resolve(Buffer.concat(parts).toString('utf8'));
    response.on('data', (part: Buffer) => {
      if (length < limit) parts.push(part.subarray(0, limit - length));
      length += part.length;
    });
    response.once('end', done);
    response.once('close', done);
    response.once('error', done);
  });
}
