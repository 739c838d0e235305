/**
 * The synth workers of this process, and the handle a channel's voice renders through. A small
 * pool (sized by the config's `server.renderThreads`) hosts every channel's NoteSynth; a new synth
 * goes to the worker with the fewest. Workers start on first use and hold the process open only
 * while a request is pending.
 *
 *   main thread                            synth worker (synth-worker.ts)
 *   RemoteSynth.render(events, frames) ──▶ NoteSynth.render ──▶ PCM (transferred back)
 *
 * If a worker dies, its pending renders fail, and each of its synths opens again on a fresh worker
 * at its next render (the notes it was holding are lost; the stream goes on).
 */
import type { Worker } from 'node:worker_threads';
import { WavecastError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import { reviveError } from '../../../core/serialized-error.js';
import { siblingModule, startWorker } from '../../../core/worker-thread.js';
import type { NoteEvent, NoteSynthOptions } from './note-synth.js';
import type { SynthCall, SynthRequest, SynthResponse } from './synth-protocol.js';

const log = logger('synth-pool');
const ENTRY = siblingModule(import.meta.url, 'synth-worker');

interface Pending {
  resolve: (response: SynthResponse & { ok: true }) => void;
  reject: (error: Error) => void;
}

/** One worker thread and what it hosts. */
class SynthHost {
  readonly worker: Worker;
  readonly synths = new Set<RemoteSynth>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #alive = true;

  constructor(onDeath: (host: SynthHost) => void) {
    this.worker = startWorker(ENTRY, {});
    this.worker.unref(); // held only while a request is pending (see request)
    this.worker.on('message', (response: SynthResponse) => this.#settle(response));
    const died = (message: string, cause?: unknown) => {
      if (!this.#alive) return;
      this.#alive = false;
      const error = new WavecastError('WAVECAST_ERR_ENGINE', message, { cause });
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
      log.error({ err: cause }, message);
      onDeath(this);
    };
    this.worker.on('error', (error) => died(`synth worker crashed: ${error.message}`, error));
    this.worker.on('exit', (code) => died(`synth worker exited (code ${code})`));
  }

  get alive(): boolean {
    return this.#alive;
  }

  request(call: SynthCall): Promise<SynthResponse & { ok: true }> {
    if (!this.#alive) return Promise.reject(new WavecastError('WAVECAST_ERR_ENGINE', 'synth worker is gone'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...call, id } satisfies SynthRequest);
    });
  }

  #settle(response: SynthResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.worker.unref();
    if (response.ok) pending.resolve(response);
    else pending.reject(reviveError(response.error));
  }

  async terminate(): Promise<void> {
    this.#alive = false;
    await this.worker.terminate();
  }
}

export class SynthPool {
  readonly size: number;
  readonly #hosts: SynthHost[] = [];
  #nextSynth = 1;

  /** @param size worker threads (server.renderThreads) */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new WavecastError('WAVECAST_ERR_CONFIG', `synth pool size must be a whole number ≥ 1, got ${size}`);
    this.size = size;
  }

  /** A synth for one voice, on the least busy worker; it opens in the background (its first render waits for it). */
  open(options: NoteSynthOptions): RemoteSynth {
    return new RemoteSynth(this, this.#nextSynth++, options);
  }

  /** @internal The host a synth should live on now. */
  place(synth: RemoteSynth): SynthHost {
    let host = this.#hosts.length < this.size ? undefined : this.#hosts.reduce((a, b) => (b.synths.size < a.synths.size ? b : a));
    if (!host) {
      host = new SynthHost((dead) => this.#bury(dead));
      this.#hosts.push(host);
    }
    host.synths.add(synth);
    return host;
  }

  #bury(dead: SynthHost): void {
    this.#hosts.splice(this.#hosts.indexOf(dead), 1);
    for (const synth of dead.synths) synth.lost();
  }

  /** Stops every worker (the synths' next renders fail). */
  async close(): Promise<void> {
    const hosts = this.#hosts.splice(0);
    await Promise.all(hosts.map((host) => host.terminate()));
  }
}

/** A channel voice's handle on its NoteSynth in a worker. */
export class RemoteSynth {
  readonly id: number;
  readonly #pool: SynthPool;
  readonly #options: NoteSynthOptions;
  #host?: SynthHost;
  #opened?: Promise<unknown>;
  #closed = false;

  constructor(pool: SynthPool, id: number, options: NoteSynthOptions) {
    this.#pool = pool;
    this.id = id;
    this.#options = options;
    this.#open().catch(() => undefined); // start loading banks now; a failure shows at the first render
  }

  #open(): Promise<unknown> {
    const host = this.#pool.place(this);
    this.#host = host;
    this.#opened = host.request({ type: 'open', synth: this.id, options: this.#options });
    return this.#opened;
  }

  /**
   * Queues `events` (frames counted from the synth's start) and renders the next `frames` frames.
   * @throws WavecastError WAVECAST_ERR_ENGINE when the synth cannot load or its worker died
   */
  async render(events: readonly NoteEvent[], frames: number): Promise<Float32Array> {
    if (this.#closed) throw new WavecastError('WAVECAST_ERR_ENGINE', `synth ${this.id} is closed`);
    if (!this.#host?.alive) await this.#open();
    else await this.#opened;
    const response = await this.#host!.request({ type: 'render', synth: this.id, events: [...events], frames });
    return response.pcm!;
  }

  /** @internal Its worker died: the next render opens it again elsewhere. */
  lost(): void {
    this.#host = undefined;
  }

  /** Frees the synth in its worker once the renders already asked for are done. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const host = this.#host;
    host?.synths.delete(this);
    if (host?.alive) host.request({ type: 'close', synth: this.id }).catch(() => undefined); // the worker may be gone; nothing to free then
  }
}

let shared: SynthPool | undefined;

/** This process's pool, made on first use with `size` workers (later calls share it, whatever size they ask). */
export function sharedSynthPool(size: number): SynthPool {
  shared ??= new SynthPool(size);
  return shared;
}
