/**
 * The edge's guard against one client taking the server's connections: it counts the MP3
 * streams and WebSocket feeds each client address holds open (behind a local proxy, the address
 * the proxy forwards: client-address.ts) and refuses one more past `server.maxConnectionsPerAddress`.
 * It also counts what the edge turned away, and the clients cut for not sending their request in
 * time (listen.ts sets Node's headersTimeout and requestTimeout; slowloris, idle half-open sockets).
 */
import { WavecastError } from '../core/errors.js';

export class ConnectionLimit {
  /** Streams and feeds one address may hold open (server.maxConnectionsPerAddress). */
  readonly maxPerAddress: number;
  /** Since start: connections refused for their address's count, and clients cut before their request was whole. */
  readonly counters = { refused: 0, timedOut: 0 };
  readonly #open = new Map<string, number>();

  constructor(maxPerAddress: number) {
    this.maxPerAddress = maxPerAddress;
  }

  /** Streams and feeds `address` holds open now. */
  openFrom(address: string | undefined): number {
    return this.#open.get(address ?? 'unknown') ?? 0;
  }

  /**
   * Counts one more stream or feed from `address`; returns its release (idempotent), to call when
   * it closes.
   * @throws WavecastError WAVECAST_ERR_TOO_MANY_CONNECTIONS when the address holds the most already
   */
  acquire(address: string | undefined): () => void {
    const key = address ?? 'unknown';
    const open = this.#open.get(key) ?? 0;
    if (open >= this.maxPerAddress) {
      this.counters.refused++;
      throw new WavecastError(
        'WAVECAST_ERR_TOO_MANY_CONNECTIONS',
        `${key} has ${open} streams and feeds open, the most one address may (server.maxConnectionsPerAddress = ${this.maxPerAddress})`,
      );
    }
    this.#open.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left > 0) this.#open.set(key, left);
      else this.#open.delete(key);
    };
  }
}
