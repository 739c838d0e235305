/**
 * The address a listener connected from, for the logs and the per-address connection limit.
 * Served directly, that is the socket's peer. Behind a reverse proxy (docs/deploy/nginx.conf)
 * every peer is the proxy, and the listener's address is in the `X-Forwarded-For` the proxy
 * appends to.
 *
 * The header is believed only from a trusted proxy (server.trustProxy: loopback by default, a
 * proxy on this machine; add the address of a proxy on another host): anyone else could write
 * anything in it. It is read from its end: the last entry is the address the proxy saw (nginx's
 * `$proxy_add_x_forwarded_for` appends it); while that entry is itself a trusted proxy (a chain of
 * them), the one before it is taken. The first untrusted entry is the listener; the entries before
 * it came with the request and may be forged.
 */
import { isIP } from 'node:net';

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) → `203.0.113.7`. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * @param peer - the socket's remote address (`socket.remoteAddress`), undefined once it closed
 * @param forwardedFor - the request's `X-Forwarded-For` header, if any
 * @param trusted - whether an address is a proxy whose X-Forwarded-For is believed (core/address-ranges.ts)
 * @returns the listener's address, or undefined when not even the peer is known
 * @example
 * const local = addressRanges(['loopback']);
 * clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7', local) // '203.0.113.7' (what the local proxy saw)
 * clientAddress('192.0.2.9', '203.0.113.7', local)               // '192.0.2.9' (not a trusted proxy: ignored)
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: (address: string) => boolean): string | undefined {
  let client = peer === undefined ? undefined : plainAddress(peer);
  if (client === undefined || !forwardedFor) return client;
  const hops = forwardedFor.split(',').map((entry) => plainAddress(entry.trim()));
  while (trusted(client) && hops.length > 0) {
    const next = hops.pop()!;
    if (!isIP(next)) break; // "unknown", a port: no address to go on with
    client = next;
  }
  return client;
}
