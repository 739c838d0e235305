/**
 * What the load generator tells each client process (over IPC), and what it answers: which
 * listeners to open when, when to stop, and the measurements. Times are epoch milliseconds
 * (Date.now()), the one clock processes share.
 */
import type { ListenerKind, ListenerResult } from './listener-result.js';

export interface PlannedListener {
  kind: ListenerKind;
  channel: string;
  icy: boolean;
  /** The loopback address it connects from (127.1.x.y), so a server's per-address limit sees many clients; none: the system's choice. */
  localAddress?: string;
  /** When it connects. */
  startAt: number;
}

export interface ClientPlan {
  type: 'plan';
  /** The server, e.g. http://127.0.0.1:8000 */
  url: string;
  listeners: PlannedListener[];
  /** When the process's own CPU use starts counting (the steady part of the run). */
  windowStartAt: number;
  /** When every listener stops and the results go back. */
  endAt: number;
  stallMs: number;
  /** A listener's window after the burst starts this long after its first audio byte (ms). */
  settleMs: number;
  /** Seconds of recent audio a WebSocket listener asks for (the server's burst). */
  burst: number;
}

export interface ClientReport {
  type: 'results';
  results: ListenerResult[];
  /** CPU the process used from windowStartAt to endAt (seconds of one core). */
  cpuSeconds: number;
  /** Seconds from windowStartAt to endAt, measured here. */
  windowSeconds: number;
  /** Largest delay of the process's event loop over the whole run (ms): above a few tens, its own numbers are suspect. */
  eventLoopMaxMs: number;
}

/** The client process says it has loaded and waits for its plan. */
export interface ClientReady {
  type: 'ready';
}
