/**
 * Keeps the player connected: opens a feed, gives each connection a fresh live buffer, watches for
 * a stall (no audio for `stall` seconds: a dead link that never says so), and when a connection
 * ends, retries with back-off (`retryMin` doubling up to `retryMax`; back to `retryMin` once a
 * connection has delivered audio). It says what happens in one line per event, without repeating
 * the same failure every few seconds for hours.
 *
 *   connecting ──open──► open ──end / stall──► waiting ──back-off──► connecting
 *        └──────── failure ──────────────────────┘
 */
import type { FeedConnection, FeedConnector } from './feed.js';
import { LiveBuffer, type LiveBufferOptions } from './live-buffer.js';
import type { Seconds } from '../../server/core/units.js';

export type ConnectionState = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface LiveConnectionOptions {
  url: string;
  connect: FeedConnector;
  /** Seconds without audio after which a connection counts as dead. */
  stall: Seconds;
  retryMin: Seconds;
  retryMax: Seconds;
  buffer: LiveBufferOptions;
  onTitle(title: string): void;
  /** One line for a person. */
  report(line: string): void;
  /**
   * The server refused the URL (unknown channel, bad query) before anything was ever played from
   * it: most likely a typo on the command line. The player stops with this message.
   */
  onRefused(reason: string): void;
}

/** Failures in a row after which a repeated failure is reported again (then every this many). */
const REPORT_EVERY = 20;

export class LiveConnection {
  readonly options: LiveConnectionOptions;
  #state: ConnectionState = 'connecting';
  #newest: LiveBuffer | undefined;
  #connection: FeedConnection | undefined;
  #stallTimer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #everPlayed = false;
  #stopRequested = false;
  /** Connections opened (for the report and tests). */
  connections = 0;

  constructor(options: LiveConnectionOptions) {
    this.options = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The newest connection's buffer (it may be closed: its tail can still be played out). */
  newest(): LiveBuffer | undefined {
    return this.#newest;
  }

  /** Runs until stop(); resolves then. */
  async run(): Promise<void> {
    const { url, connect, stall, retryMin, retryMax } = this.options;
    let delay = retryMin;
    let failures = 0;
    let lastFailure = '';
    while (!this.#stopRequested) {
      this.#state = 'connecting';
      const buffer = new LiveBuffer(this.options.buffer);
      let lastAudio = performance.now();
      let gotAudio = false;
      let opened = false;
      const connection = connect(url, {
        onOpen: () => {
          opened = true;
          this.#state = 'open';
          this.connections++;
          this.#newest?.close();
          this.#newest = buffer;
          this.options.report(`connected to ${url}`);
          failures = 0;
          lastFailure = '';
        },
        onAudio: (samples) => {
          lastAudio = performance.now();
          gotAudio = true;
          this.#everPlayed = true;
          buffer.push(samples);
        },
        onTitle: (title) => this.options.onTitle(title),
      });
      this.#connection = connection;
      this.#stallTimer = setInterval(() => {
        // Only an open connection stalls; connecting has the OS's own timeouts.
        if (this.#state === 'open' && performance.now() - lastAudio > stall * 1000) {
          connection.close(`no audio for ${stall} s (stalled)`);
        }
      }, Math.max(20, Math.min(250, (stall * 1000) / 4)));
      const end = await connection.ended;
      clearInterval(this.#stallTimer);
      buffer.close();
      this.#connection = undefined;
      if (this.#stopRequested) break;
      if (end.refused && !this.#everPlayed) {
        this.options.onRefused(end.reason);
        break;
      }
      if (gotAudio) {
        delay = retryMin;
        failures = 0;
      }
      failures++;
      const line = `${gotAudio ? 'connection lost' : opened ? 'connection ended before any audio' : 'cannot connect'}: ${end.reason}`;
      if (line !== lastFailure || failures % REPORT_EVERY === 0) {
        this.options.report(`${line}; retrying ${failures > 1 ? `(attempt ${failures}) ` : ''}in ${formatSeconds(delay)}, then with back-off up to ${formatSeconds(retryMax)}`);
        lastFailure = line;
      }
      this.#state = 'waiting';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay * 1000);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
      delay = Math.min(retryMax, delay * 2);
    }
    this.#state = 'stopped';
  }

  stop(): void {
    this.#stopRequested = true;
    this.#connection?.close('stopped');
    this.#wake?.();
  }
}

function formatSeconds(seconds: Seconds): string {
  return `${Number(seconds.toFixed(2))} s`;
}
