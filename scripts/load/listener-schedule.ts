/**
 * Who joins when: `http` MP3 and `ws` WebSocket listeners dealt over the channels in turn, the two
 * kinds interleaved evenly, joining at even steps over the ramp; `icyShare` of the MP3 listeners
 * ask for ICY metadata, spread evenly among them. With `perAddress`, every that many listeners in
 * turn connect from a loopback address of their own (127.1.0.1, 127.1.0.2, …): a box full of
 * listeners looks like many clients, as it would in a venue, not one address holding thousands.
 */
import type { PlannedListener } from './client-plan.js';

export interface ScheduleOptions {
  http: number;
  ws: number;
  channels: readonly string[];
  icyShare: number;
  /** When the first listener joins (epoch ms) and over how long they all do (ms). */
  startAt: number;
  rampMs: number;
  /** Listeners per source address; undefined: all from the system's default address. */
  perAddress?: number;
}

/** The `index`-th loopback source address: 127.1.0.1 … 127.1.0.250, 127.1.1.1, … */
export function loopbackSource(index: number): string {
  return `127.1.${Math.floor(index / 250) % 256}.${(index % 250) + 1}`;
}

export function listenerSchedule(options: ScheduleOptions): PlannedListener[] {
  const { http, ws, channels, icyShare, startAt, rampMs, perAddress } = options;
  // Each listener at its fractional place in its own kind, merged: the kinds stay interleaved.
  const places = [
    ...Array.from({ length: http }, (_, i) => ({ kind: 'http' as const, index: i, place: (i + 0.5) / http })),
    ...Array.from({ length: ws }, (_, i) => ({ kind: 'ws' as const, index: i, place: (i + 0.5) / ws })),
  ].sort((a, b) => a.place - b.place);
  const total = places.length;
  return places.map(({ kind, index }, order) => ({
    kind,
    channel: channels[index % channels.length],
    icy: kind === 'http' && Math.floor((index + 1) * icyShare) > Math.floor(index * icyShare),
    ...(perAddress === undefined ? {} : { localAddress: loopbackSource(Math.floor(order / perAddress)) }),
    startAt: startAt + (total > 1 ? (rampMs * order) / (total - 1) : 0),
  }));
}
