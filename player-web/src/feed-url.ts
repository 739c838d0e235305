/**
 * The WebSocket PCM feed's URL, built from the channel's `ws` path (`/ws/lobby`, as /api/channels
 * gives it) and the page's own address, so it reaches the feed however the page was reached:
 * wss:// on a page served over https (behind a TLS proxy: browsers refuse ws:// there), ws:// on
 * plain http, the same host and port either way. Pure, so it is tested without a browser.
 */

export interface PcmFeedQuery {
  /** Seconds of already-played audio the server sends first; more burst, faster start, more delay. */
  burstSeconds: number;
  /** A monitor is not counted as a listener (the operator panel's visualiser). */
  monitor?: boolean;
}

/**
 * @param wsPath - the channel's `ws` path, e.g. `/ws/lobby`
 * @param pageUrl - the page's address (`location.href` in the browser)
 * @example
 * pcmFeedUrl('/ws/lobby', { burstSeconds: 0.5 }, 'https://radio.example.com/')
 * // 'wss://radio.example.com/ws/lobby?format=f32le&burst=0.5'
 */
export function pcmFeedUrl(wsPath: string, query: PcmFeedQuery, pageUrl: string): string {
  const url = new URL(wsPath, pageUrl);
  url.protocol = new URL(pageUrl).protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('format', 'f32le');
  url.searchParams.set('burst', String(query.burstSeconds));
  if (query.monitor) url.searchParams.set('monitor', '1');
  return url.href;
}
