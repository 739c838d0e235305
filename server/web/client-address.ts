/**
 * The address a listener connected from, for the logs. Served directly, that is the socket's
 * peer. Behind a reverse proxy on the same host (docs/deploy/nginx.conf) every peer is the proxy,
 * 127.0.0.1, and the listener's address is in the `X-Forwarded-For` the proxy appends to.
 *
 * The header is believed only from a loopback peer, a proxy on this machine: anyone else could
 * write anything in it. And only its last entry, the one that proxy added (nginx's
 * `$proxy_add_x_forwarded_for` appends the address it saw): the entries before it came with the
 * request and may be forged. A proxy in front of nginx (a CDN) is nginx's to unwrap, with its
 * realip module, so that the address nginx saw is already the listener's.
 */
import { isIP } from 'node:net';

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) → `203.0.113.7`. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

/**
 * @param peer - the socket's remote address (`socket.remoteAddress`), undefined once it closed
 * @param forwardedFor - the request's `X-Forwarded-For` header, if any
 * @returns the listener's address, or undefined when not even the peer is known
 * @example
 * clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7') // '203.0.113.7' (what the local proxy saw)
 * clientAddress('192.0.2.9', '203.0.113.7')               // '192.0.2.9' (not a local proxy: ignored)
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined): string | undefined {
  const direct = peer === undefined ? undefined : plainAddress(peer);
  if (direct === undefined || !isLoopback(direct) || !forwardedFor) return direct;
  const last = plainAddress(forwardedFor.slice(forwardedFor.lastIndexOf(',') + 1).trim());
  return isIP(last) ? last : direct;
}
