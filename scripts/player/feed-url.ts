/**
 * What to connect to, from the URL a shop owner pastes: a channel's MP3 stream
 * (`http://HOST:8000/stream/lobby`) or its WebSocket feed (`ws://HOST:8000/ws/lobby`). Either
 * names the channel, so either feed can be derived from either URL (`--feed`); the WebSocket
 * feed is asked for float PCM (`format=f32le`) and, unless the URL says otherwise, the server's
 * 2 s burst that fills the live buffer at once.
 */
import { UsageError } from './usage-error.js';

export type FeedKind = 'mp3' | 'ws';

export interface FeedTarget {
  kind: FeedKind;
  /** The URL the player connects to. */
  url: string;
  /** host:port, for messages and the cache folder's name. */
  host: string;
  channel: string;
}

const EXPECTED = 'expected a channel URL like http://HOST:8000/stream/lobby (MP3) or ws://HOST:8000/ws/lobby (PCM feed)';

/**
 * @throws UsageError naming what is wrong with the URL
 * @example
 * feedTarget('http://shop-box:8000/stream/lobby').url          // same URL, kind 'mp3'
 * feedTarget('http://shop-box:8000/stream/lobby', 'ws').url    // 'ws://shop-box:8000/ws/lobby?format=f32le&burst=2'
 */
export function feedTarget(text: string, prefer?: FeedKind): FeedTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: ${JSON.stringify(text)}; ${EXPECTED}`);
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`${url.protocol} URLs are not played: ${EXPECTED}`);
  }
  const match = /^\/(stream|ws)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw new UsageError(`${JSON.stringify(url.pathname)} is not a channel's stream or feed path; ${EXPECTED}`);
  const channel = decodeURIComponent(match[2]);
  const kind: FeedKind = prefer ?? (url.protocol.startsWith('ws') || match[1] === 'ws' ? 'ws' : 'mp3');
  const base = `${url.host}/${kind === 'ws' ? 'ws' : 'stream'}/${encodeURIComponent(channel)}`;
  if (kind === 'mp3') return { kind, url: `${secure ? 'https' : 'http'}://${base}`, host: url.host, channel };
  const query = new URLSearchParams(url.protocol.startsWith('ws') ? url.search : '');
  query.set('format', 'f32le');
  if (!query.has('burst')) query.set('burst', '2');
  return { kind, url: `${secure ? 'wss' : 'ws'}://${base}?${query}`, host: url.host, channel };
}
