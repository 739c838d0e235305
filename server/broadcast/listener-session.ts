/**
 * One listener of one channel, whatever carries the bytes (HTTP MP3 or WebSocket PCM): it is
 * admitted against the per-channel limit, counted while it stays, reads the channel's shared
 * chunk queue through its own cursor (starting with a burst of recent audio), and is dropped and
 * counted as slow when it falls too far behind. The HTTP and WebSocket edges only move bytes:
 * they `pull()` when their socket has room and `close()` when it goes. The listener counts change
 * here and nowhere else.
 *
 *   state: open ─(close)─► closed
 *              └─(dropSlow: lag past maxLagSeconds, or the edge's own bound)─► closed, counted slow
 *
 * An edge that writes to a byte stream (MP3 over HTTP) asks for `coalesceSeconds`: after the
 * burst, each pull waits until that much audio is waiting and returns it joined into one buffer
 * per title, so a listener costs a few writes a second (as Icecast's few-KB writes), not one per
 * 50 ms chunk. The WebSocket feed keeps its frames (0).
 */
import { hasCode, WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { ChannelOutput } from './channel-output.js';
import type { Chunk, ChunkQueue, ChunkReader } from './chunk-queue.js';

const log = logger('listener');

/**
 * Which count a session joins: MP3 and WebSocket listeners, or operator-panel monitors and
 * relays (a channel's Icecast source), which are not listeners: they are neither counted as
 * listeners nor refused when the channel is full.
 */
export type ListenerKind = keyof ChannelOutput['listeners'];

export interface ListenerSessionOptions {
  output: ChannelOutput;
  /** The queue it reads: `output.mp3` or one of `output.pcmQueue(format)`. */
  queue: ChunkQueue;
  kind: ListenerKind;
  /** Seconds of already-played audio the first pull returns. */
  burstSeconds: Seconds;
  /** Further behind live than this, the listener is dropped (server.maxListenerLag). */
  maxLagSeconds: Seconds;
  /** Listeners a channel takes, MP3 and WebSocket together (server.maxListenersPerChannel). */
  maxListeners: number;
  /** Called once if the session drops the listener as too slow; the edge closes its socket. */
  onSlow: (error: WavecastError) => void;
  /** Where the listener connected from, for the logs (the edge works it out, proxy or not). */
  client?: string;
  /**
   * After the burst, a pull waits until this much audio is waiting and joins it into as few
   * chunks as its titles allow (server.mp3WriteSeconds for MP3 listeners); 0: every chunk as it
   * comes. Must be below `maxLagSeconds`.
   */
  coalesceSeconds?: Seconds;
}

/** The open sessions of each channel output, closed together when it ends (one abort listener per output, not per session). */
const sessionsOf = new WeakMap<ChannelOutput, Set<ListenerSession>>();

function register(session: ListenerSession): void {
  let sessions = sessionsOf.get(session.output);
  if (sessions === undefined) {
    const open = new Set<ListenerSession>();
    sessions = open;
    sessionsOf.set(session.output, open);
    session.output.ending.addEventListener('abort', () => {
      for (const each of open) each.close();
    }, { once: true });
  }
  sessions.add(session);
}

export class ListenerSession {
  readonly output: ChannelOutput;
  readonly kind: ListenerKind;
  readonly client: string | undefined;
  readonly #joined = performance.now();
  readonly #queue: ChunkQueue;
  readonly #reader: ChunkReader;
  readonly #closed = new AbortController();
  /** The same as `#closed.signal.aborted`, read on every pull without the AbortSignal's getters. */
  #isClosed = false;
  readonly #onSlow: (error: WavecastError) => void;
  readonly #coalesceSeconds: Seconds;
  #pulled = false;
  /** While a pull waits: wakes it (at the queue's next push, or at close), and forgets it at the queue. */
  #wake: (() => void) | undefined;
  #forgetWake: (() => void) | undefined;
  readonly #stopWatching: () => void;

  /**
   * Joins the channel.
   * @throws WavecastError WAVECAST_ERR_TOO_MANY_LISTENERS past `maxListeners`
   */
  static open(options: ListenerSessionOptions): ListenerSession {
    // A relay carries listeners elsewhere: refusing it when this channel is full would cut them all.
    if (options.kind !== 'relays') ListenerSession.admit(options.output, options.maxListeners);
    return new ListenerSession(options);
  }

  /**
   * Checks a listener could join now (a player's HEAD probe asks without joining).
   * @throws WavecastError WAVECAST_ERR_TOO_MANY_LISTENERS past `maxListeners`
   */
  static admit(output: ChannelOutput, maxListeners: number): void {
    if (output.listenerCount >= maxListeners) {
      throw new WavecastError(
        'WAVECAST_ERR_TOO_MANY_LISTENERS',
        `channel "${output.id}" has ${output.listenerCount} listeners, the most it takes (server.maxListenersPerChannel = ${maxListeners})`,
      );
    }
  }

  private constructor(options: ListenerSessionOptions) {
    this.output = options.output;
    this.kind = options.kind;
    this.client = options.client;
    this.#queue = options.queue;
    this.#onSlow = options.onSlow;
    this.#coalesceSeconds = options.coalesceSeconds ?? 0;
    if (!(this.#coalesceSeconds >= 0 && this.#coalesceSeconds < options.maxLagSeconds)) {
      throw new WavecastError('WAVECAST_ERR_CONFIG', `coalesceSeconds (${this.#coalesceSeconds}) must be >= 0 and below maxLagSeconds (${options.maxLagSeconds})`);
    }
    this.#reader = options.queue.reader({ burstSeconds: options.burstSeconds, maxLagSeconds: options.maxLagSeconds });
    this.output.listeners[this.kind]++;
    // A socket that stops draining never pulls, so pulling alone would never notice the lag:
    // every new chunk checks it.
    this.#stopWatching = this.#queue.atEveryPush(() => {
      try {
        this.#reader.checkLag();
      } catch (error) {
        this.dropSlow(error as WavecastError);
      }
    });
    log.debug({ channel: this.output.id, kind: this.kind, client: this.client }, 'listener joined');
    // The server stopping ends the session like a listener leaving: the edge ends its stream.
    if (this.output.ending.aborted) this.close();
    else register(this);
  }

  /** Aborted once the session is closed (by the edge, or dropped as slow). */
  get signal(): AbortSignal {
    return this.#closed.signal;
  }

  get closed(): boolean {
    return this.#isClosed;
  }

  /** Seconds of audio between this listener's position and live. */
  get lagSeconds(): Seconds {
    return this.#reader.lagSeconds;
  }

  /**
   * The chunks after the cursor, in order; waits for the next one when there is none (with
   * `coalesceSeconds`, after the first pull: until that much is waiting, then joined). Resolves
   * with none once the session is closed (or was just dropped as too slow).
   */
  async pull(): Promise<readonly Chunk[]> {
    while (!this.#isClosed) {
      // Not enough to coalesce yet: wait without reading (the lag watch still runs at every push).
      if (this.#pulled && this.#reader.lagSeconds < this.#coalesceSeconds - 1e-6) {
        await this.#nextPush();
        continue;
      }
      let chunks: Chunk[];
      try {
        chunks = this.#reader.read();
      } catch (error) {
        if (!hasCode(error, 'WAVECAST_ERR_LISTENER_TOO_SLOW')) throw error;
        this.dropSlow(error as WavecastError);
        return [];
      }
      if (chunks.length > 0) {
        const first = !this.#pulled;
        this.#pulled = true;
        // The burst goes out as it is: it is already large, and a player starts on it.
        return this.#coalesceSeconds > 0 && !first ? this.#queue.join(chunks) : chunks;
      }
      await this.#nextPush();
    }
    return [];
  }

  /** Resolves at the queue's next push, or when the session closes. */
  #nextPush(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#forgetWake = this.#queue.atNextPush(resolve);
    });
  }

  /** Drops the listener as too slow (counted once): its lag, or an edge's own bound (unsent bytes). */
  dropSlow(reason: WavecastError | string): void {
    if (this.closed) return;
    const error = typeof reason === 'string' ? new WavecastError('WAVECAST_ERR_LISTENER_TOO_SLOW', reason) : reason;
    this.output.counters.slowListeners++;
    log.info(
      { channel: this.output.id, kind: this.kind, client: this.client, lag: this.lagSeconds, why: error.message },
      'dropped a slow listener',
    );
    this.close();
    this.#onSlow(error);
  }

  /** Leaves the channel (idempotent): uncounted, no more chunks. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#closed.abort();
    this.output.listeners[this.kind]--;
    this.#stopWatching();
    sessionsOf.get(this.output)?.delete(this);
    this.#forgetWake?.();
    this.#wake?.();
    const seconds = Math.round((performance.now() - this.#joined) / 100) / 10;
    log.debug({ channel: this.output.id, kind: this.kind, client: this.client, seconds }, 'listener left');
  }
}
