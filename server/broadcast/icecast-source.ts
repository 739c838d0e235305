/**
 * A channel pushed to an Icecast server as a source, so Icecast (and its relays) carry listeners
 * the venue's box could not. It reads the channel's one shared MP3 chunk queue through a
 * ListenerSession of kind `relays`: not counted as a listener, and like any listener dropped if it
 * falls `maxListenerLag` behind (a stalled Icecast never slows the channel or anyone else). Each
 * chunk whose title differs from the last goes to Icecast's admin metadata endpoint. A lost or
 * refused connection is tried again after an exponential back-off (server.icecastRetry).
 *
 *   connecting ─(100 Continue / 200)─► streaming ─(closed, refused, too slow)─► waiting
 *        ▲   └─(refused, no answer in icecastTimeout)──────────────────────────►   │
 *        └────────────────────────(min·2ⁿ s, ±20 %, ≤ max)────────────────────────┘
 *   any ─(stop(), the server stopping)─► stopped
 *
 * Logs once per change of state, not per retry: a run of failures with the same reason is one
 * warning (and one line in the operator's problem log); a lost connection always is one.
 */
import type http from 'node:http';
import type { IcecastConfig } from '../config/config-schema.js';
import type { WavecastErrorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { ChannelOutput } from './channel-output.js';
import { answered, type IcecastAudio, openSourceRequest, readText, updateIcecastTitle } from './icecast-protocol.js';
import { icySafeTitle } from './icy-metadata.js';
import { LatestTitleSender } from './latest-title-sender.js';
import { ListenerSession } from './listener-session.js';
import { type BackoffLimits, reconnectDelay } from './reconnect-backoff.js';

const log = logger('icecast');

export type IcecastState = 'connecting' | 'streaming' | 'waiting' | 'stopped';

/** What /api/channels and /metrics say about a channel's Icecast source. */
export interface IcecastStatus {
  state: IcecastState;
  /** The Icecast server, without credentials. */
  url: string;
  mount: string;
  /** When it entered its state (ms since the epoch). */
  since: number;
  /** Times it connected again after losing (or never getting) its connection. */
  reconnects: number;
  /** Why the last connection was lost or refused. */
  lastError?: string;
  /** The title Icecast last accepted on this connection. */
  title?: string;
}

export interface IcecastSourceOptions {
  output: ChannelOutput;
  icecast: IcecastConfig;
  audio: IcecastAudio;
  /** Seconds of recent audio sent on connect, so Icecast's own burst for listeners fills at once (server.burst). */
  burstSeconds: Seconds;
  /** Further behind live than this, the connection is dropped and made again (server.maxListenerLag). */
  maxLagSeconds: Seconds;
  /** Back-off between attempts (server.icecastRetry). */
  retry: BackoffLimits;
  /** Seconds Icecast has to accept the source or answer a title update (server.icecastTimeout). */
  timeout: Seconds;
  /** Told when the connection is lost or refused (the operator's problem log). */
  onProblem?: (code: WavecastErrorCode, message: string) => void;
  /** The jitter's random source; Math.random by default. */
  random?: () => number;
}

/** One attempt: its request and, once Icecast took the source, the session it reads. */
interface Connection {
  readonly request: http.ClientRequest;
  answerTimer?: NodeJS.Timeout;
  session?: ListenerSession;
  /** performance.now() when it started streaming. */
  streamingSince?: number;
  /** Icecast refused; the refusal's text is being read. */
  refused?: boolean;
}

export class IcecastSource {
  readonly #options: IcecastSourceOptions;
  readonly #server: URL;
  readonly #where: string;
  #state: IcecastState = 'stopped';
  #since = Date.now();
  #started = false;
  #connection: Connection | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Failures since the last connection that lasted retry.max seconds: the back-off's exponent. */
  #failures = 0;
  /** Times it reached streaming. */
  #connections = 0;
  #lastError: string | undefined;
  /** The reason last logged as a warning (and put in the problem log): the same again is not. */
  #reported: string | undefined;
  /** The title of the last chunk sent, and the one Icecast accepted on this connection. */
  #chunkTitle: string | undefined;
  #acceptedTitle: string | undefined;
  readonly #titles = new LatestTitleSender({
    send: async (title) => {
      const connection = this.#connection;
      await updateIcecastTitle(this.#server, this.#options.icecast, icySafeTitle(title), this.#options.timeout);
      if (connection === this.#connection) this.#acceptedTitle = title; // not for a connection since lost
    },
    active: () => this.#state === 'streaming',
    onError: (error, again) => {
      const fields = { channel: this.#options.output.id, icecast: this.#where, why: error.message };
      if (again) log.debug(fields, 'Icecast did not take the title again');
      else log.warn(fields, 'Icecast did not take the title');
    },
  });

  constructor(options: IcecastSourceOptions) {
    this.#options = options;
    this.#server = new URL(options.icecast.url);
    this.#where = `${this.#server.origin}${options.icecast.mount}`;
  }

  get state(): IcecastState {
    return this.#state;
  }

  /** Times it connected again after losing (or never getting) its connection. */
  get reconnects(): number {
    return Math.max(0, this.#connections - 1);
  }

  status(): IcecastStatus {
    return {
      state: this.#state,
      url: this.#server.origin,
      mount: this.#options.icecast.mount,
      since: this.#since,
      reconnects: this.reconnects,
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
      ...(this.#acceptedTitle !== undefined ? { title: this.#acceptedTitle } : {}),
    };
  }

  /** Connects (once; a stopped source stays stopped). The server stopping stops it. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { ending } = this.#options.output;
    if (ending.aborted) return;
    ending.addEventListener('abort', () => this.stop(), { once: true });
    this.#enter('connecting');
  }

  /** Ends the stream to Icecast and tries no more. */
  stop(): void {
    this.#started = true;
    if (this.#state !== 'stopped') this.#enter('stopped');
  }

  #enter(next: IcecastState, error?: Error): void {
    const previous = this.#state;
    this.#state = next;
    this.#since = Date.now();
    const channel = this.#options.output.id;
    switch (next) {
      case 'connecting':
        log.debug({ channel, icecast: this.#where }, 'connecting to Icecast');
        try {
          this.#connection = this.#connect();
        } catch (error) {
          // Refused before a byte went out (a header Node will not send): wait and try again, as for any refusal.
          this.#lastError = (error as Error).message;
          this.#failures++;
          this.#enter('waiting', error as Error);
        }
        break;
      case 'streaming': {
        const connection = this.#connection!;
        connection.streamingSince = performance.now();
        this.#connections++;
        this.#reported = undefined;
        this.#chunkTitle = this.#acceptedTitle = undefined;
        this.#titles.clear();
        log.info({ channel, icecast: this.#where, reconnects: this.reconnects }, this.#connections > 1 ? 'reconnected to Icecast' : 'streaming to Icecast');
        void this.#pump(connection);
        break;
      }
      case 'waiting': {
        const delay = reconnectDelay(this.#failures, this.#options.retry, this.#options.random);
        this.#retryTimer = setTimeout(() => this.#enter('connecting'), delay * 1000);
        this.#report(previous, error!, delay);
        break;
      }
      case 'stopped':
        clearTimeout(this.#retryTimer);
        this.#close();
        log.info({ channel, icecast: this.#where }, 'Icecast source stopped');
        break;
    }
  }

  #connect(): Connection {
    const { icecast, audio, timeout, output } = this.#options;
    const request = openSourceRequest(this.#server, icecast, audio, `wavecast ${output.id}`);
    const connection: Connection = { request };
    connection.answerTimer = setTimeout(() => this.#fail(connection, new Error(`Icecast did not accept the source in ${timeout} s`)), timeout * 1000);
    // Icecast 2.4 sends 100 Continue, then 200, once the password and the mount are accepted.
    request.on('continue', () => this.#accepted(connection));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        response.resume(); // Icecast sends nothing more; the response ends when the connection does
        response.on('end', () => this.#fail(connection, new Error('Icecast closed the connection')));
        this.#accepted(connection);
        return;
      }
      connection.refused = true;
      void readText(response, 512).then((text) => this.#fail(connection, new Error(answered(response, text)), true));
    });
    request.on('error', (error) => this.#fail(connection, error));
    request.on('close', () => this.#fail(connection, new Error('the connection to Icecast closed')));
    return connection;
  }

  #accepted(connection: Connection): void {
    if (connection !== this.#connection || this.#state !== 'connecting') return;
    clearTimeout(connection.answerTimer);
    const { output, burstSeconds, maxLagSeconds } = this.#options;
    connection.session = ListenerSession.open({
      output,
      queue: output.mp3,
      kind: 'relays',
      burstSeconds,
      maxLagSeconds,
      maxListeners: Number.POSITIVE_INFINITY, // relays are not refused (ListenerSession.open)
      onSlow: (error) => this.#fail(connection, error),
      client: `icecast ${this.#where}`,
    });
    this.#enter('streaming');
  }

  /** Sends the channel's chunks as the socket takes them, until the session closes. */
  async #pump(connection: Connection): Promise<void> {
    const { request, session } = connection as Required<Connection>;
    try {
      while (!session.closed) {
        const chunks = await session.pull();
        let room = true;
        for (const chunk of chunks) {
          if (session.closed) return;
          if (chunk.title !== this.#chunkTitle) this.#titles.send((this.#chunkTitle = chunk.title));
          room = request.write(chunk.bytes);
        }
        // Wait for the socket like an HTTP listener; the session's lag watch drops a stalled one.
        if (!room && !session.closed) await drained(request, session.signal);
      }
    } catch (error) {
      this.#fail(connection, error as Error);
    }
  }

  /**
   * Ends `connection` and waits before the next attempt. Events of an earlier connection, and a
   * close while a refusal is being read (`answer` says this is the refusal), change nothing.
   */
  #fail(connection: Connection, error: Error, answer = false): void {
    if (connection !== this.#connection || (connection.refused && !answer)) return;
    const lasted = connection.streamingSince === undefined ? 0 : (performance.now() - connection.streamingSince) / 1000;
    this.#close();
    this.#lastError = error.message;
    if (lasted >= this.#options.retry.max) this.#failures = 0; // a connection that held: start the back-off again
    this.#failures++;
    this.#enter('waiting', error);
  }

  #close(): void {
    const connection = this.#connection;
    if (!connection) return;
    this.#connection = undefined;
    clearTimeout(connection.answerTimer);
    connection.session?.close();
    connection.request.destroy();
  }

  #report(previous: IcecastState, error: Error, delay: Seconds): void {
    const { output, onProblem, retry } = this.#options;
    const fields = { channel: output.id, icecast: this.#where, why: error.message, retryIn: Math.round(delay * 10) / 10 };
    if (previous === 'streaming') {
      log.warn(fields, 'lost the Icecast connection; reconnecting');
      onProblem?.('WAVECAST_ERR_ICECAST', `channel "${output.id}": lost the connection to Icecast ${this.#where} (${error.message}); reconnecting`);
    } else if (error.message !== this.#reported) {
      log.warn(fields, 'Icecast did not take the source; retrying');
      onProblem?.('WAVECAST_ERR_ICECAST', `channel "${output.id}": Icecast ${this.#where} did not take the source (${error.message}); retrying every ${retry.min}–${retry.max} s`);
    } else {
      log.debug(fields, 'Icecast did not take the source again; retrying');
    }
    this.#reported = error.message;
  }
}

/** Resolves when `request` can take more, or `signal` aborts (the session closed). */
function drained(request: http.ClientRequest, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    request.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
