/**
 * Runs any engine on a worker thread, so inference never stalls the server's event loop:
 * onnxruntime-node's `session.run` is synchronous under its Promise (it only defers with
 * setImmediate, onnxruntime issue #26968) and tfjs' wasm and cpu backends compute on the calling
 * thread. Latents go over packed in one buffer and clips come back in theirs, both transferred,
 * not copied. A worker that dies is restarted by the next call; one that hangs (an engine stuck
 * in a loop or a lock: alive, never answering) is ended after `hangTimeout` and restarted the same way.
 *
 *   main thread                         worker thread (generator-worker.ts)
 *   WorkerGenerator ── postMessage ──▶  createGenerator(options) → onnx / tfjs engine
 *                   ◀── postMessage ──  { id, ok, clips | info | error }
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../core/worker-thread.js';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { CreateGeneratorOptions } from './create-generator.js';
import { EngineGenerator } from './engine-generator.js';
import { notInitialized, packLatents } from './latent-batch.js';
import { reviveError } from '../core/serialized-error.js';
import {
  type GeneratorWorkerData,
  type WorkerCall,
  type WorkerRequest,
  type WorkerResponse,
} from './worker-protocol.js';

const log = logger('engine');

/** Same options as createGenerator: the worker builds that engine on its own thread. */
export interface WorkerGeneratorOptions extends CreateGeneratorOptions {
  /**
   * URL of the worker's entry module; left out, generator-worker.ts beside this file. Tests
   * swap in a misbehaving worker here.
   */
  workerEntry?: string;
  /**
   * A generate call unanswered this long (seconds), and 10× the longest call answered so far,
   * counts as a hung worker: it is ended, the call rejects and the next call starts a fresh
   * worker (server.inferenceTimeout). Only once a call has been answered, so a slow engine's
   * first call sets the scale. Absent: calls wait as long as they take.
   */
  hangTimeout?: Seconds;
}

type Pending = { resolve: (response: WorkerResponse & { ok: true }) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout };

/** A hung call is one slower than this many times the longest call answered (and than hangTimeout). */
const HANG_FACTOR = 10;

const WORKER_ENTRY = siblingModule(import.meta.url, 'generator-worker');

export class WorkerGenerator extends EngineGenerator<WorkerGeneratorOptions> {
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #state: 'new' | 'running' | 'crashed' | 'disposed' = 'new';
  #restarting: Promise<void> | undefined;
  /** The longest generate call answered so far (seconds): the scale a hang is judged against. */
  #longestCall: Seconds | undefined;

  /** Cheap: the worker thread starts in `initialize()`. */
  constructor(options: WorkerGeneratorOptions) {
    super(options, options.engine);
  }

  async initialize(): Promise<void> {
    if (this.#state !== 'new') throw new WavecastError('WAVECAST_ERR_ENGINE', 'WorkerGenerator.initialize() called twice');
    const started = performance.now();
    await this.#start();
    const ms = Math.round(performance.now() - started);
    log.info({ checkpoint: this.loadedInfo?.id, engine: this.engineName, ms }, 'generator worker ready');
  }

  /**
   * Generates in the worker. If the worker died (an engine crash, out of memory), the call that
   * was running rejects, and the next call starts a fresh worker first: the channels play from
   * their buffers meanwhile and the stream goes on.
   */
  async generate(latents: readonly Float32Array[]): Promise<Float32Array[]> {
    switch (this.#state) {
      case 'new':
        throw notInitialized(this.engineName);
      case 'disposed':
        throw new WavecastError('WAVECAST_ERR_ENGINE', 'generator disposed');
      case 'crashed':
        if (!this.#restarting) {
          log.warn({ checkpoint: this.loadedInfo?.id, engine: this.engineName }, 'restarting the generator worker');
          this.#restarting = this.#start().finally(() => (this.#restarting = undefined));
        }
        await this.#restarting; // concurrent callers share one restart
        break;
      case 'running':
        break;
    }
    if (latents.length === 0) return [];
    // A packed copy: transferring the caller's own arrays would empty them under its feet.
    const packed = packLatents(latents, this.info.inputSize);
    const started = performance.now();
    const { hangTimeout } = this.options;
    const limit = hangTimeout === undefined || this.#longestCall === undefined ? undefined : Math.max(hangTimeout, HANG_FACTOR * this.#longestCall);
    const response = await this.#request({ type: 'generate', latents: packed, batch: latents.length }, [packed.buffer as ArrayBuffer], limit);
    this.#longestCall = Math.max(this.#longestCall ?? 0, (performance.now() - started) / 1000);
    log.debug({ checkpoint: this.loadedInfo?.id, engine: this.engineName, batch: latents.length, ms: performance.now() - started }, 'generated in worker');
    return response.clips ?? [];
  }

  /**
   * Ends the worker thread at once, as a crash would (fault tests): a call in flight rejects
   * with WAVECAST_ERR_ENGINE and the next call starts a fresh worker.
   */
  async killWorker(): Promise<void> {
    await this.#worker?.terminate();
  }

  async dispose(): Promise<void> {
    const running = this.#state === 'running';
    this.#state = 'disposed';
    if (!this.#worker) return;
    if (running) {
      try {
        await this.#request({ type: 'dispose' });
      } catch (error) {
        // The worker is being torn down either way; a failed engine dispose only matters in the log.
        log.warn({ err: error }, 'generator worker dispose failed');
      }
    }
    await this.#terminate(new WavecastError('WAVECAST_ERR_ENGINE', 'generator disposed'));
  }

  /** Starts a worker and initializes the engine in it; on failure nothing is left running. */
  async #start(): Promise<void> {
    const { workerEntry, ...options } = this.options;
    const data: GeneratorWorkerData = { options };
    const worker = startWorker(workerEntry ?? WORKER_ENTRY, data);
    this.#worker = worker;
    this.#state = 'running';
    worker.unref(); // Held (ref'd) only while a request is pending; see #request.
    const died = (message: string, cause?: unknown) => this.#died(worker, message, cause);
    worker.on('message', (response: WorkerResponse) => this.#settle(response));
    worker.on('error', (error) => died(`generator worker crashed: ${error.message}`, error));
    worker.on('messageerror', (error) => died(`generator worker sent an unreadable message: ${error.message}`, error));
    worker.on('exit', (code) => died(`generator worker exited (code ${code})`));
    try {
      const response = await this.#request({ type: 'initialize' });
      this.loadedInfo = response.info;
      this.engineName = response.engine ?? this.engineName;
    } catch (error) {
      await this.#terminate(error instanceof Error ? error : new Error(String(error)));
      this.#state = this.loadedInfo ? 'crashed' : 'new';
      throw error;
    }
  }

  /** Posts `message`; with `limit`, a worker that has not answered after that many seconds is ended as hung. */
  #request(message: WorkerCall, transfer: ArrayBuffer[] = [], limit?: Seconds): Promise<WorkerResponse & { ok: true }> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(notInitialized(this.engineName));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = limit === undefined ? undefined : setTimeout(() => this.#hung(worker, limit), limit * 1000);
      this.#pending.set(id, { resolve, reject, timer });
      if (this.#pending.size === 1) worker.ref(); // Keep the process alive until the answer arrives.
      worker.postMessage({ ...message, id } as WorkerRequest, transfer);
    });
  }

  #settle(response: WorkerResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    clearTimeout(pending.timer);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (response.ok) pending.resolve(response);
    else pending.reject(reviveError(response.error));
  }

  /** `worker` stopped on its own: its pending calls reject, and the next generate() restarts it. */
  #died(worker: Worker, message: string, cause?: unknown): void {
    if (worker !== this.#worker) return; // an old worker's late event
    this.#worker = undefined;
    if (this.#state === 'running') this.#state = 'crashed';
    this.#rejectPending(new WavecastError('WAVECAST_ERR_ENGINE', message, { cause }));
    log.error({ err: cause, checkpoint: this.loadedInfo?.id }, message);
  }

  /** `worker` did not answer within `limit` seconds: ended as if it had crashed, so the next call starts a fresh one. */
  #hung(worker: Worker, limit: Seconds): void {
    if (worker !== this.#worker) return;
    // Treated as its death; after that, its exit event is an old worker's and is ignored.
    this.#died(worker, `generator worker did not answer within ${Number(limit.toFixed(2))} s (hung); ended, the next call starts a fresh one`);
    void worker.terminate();
  }

  async #terminate(reason: Error): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined; // its exit event is ours, not a crash
    this.#rejectPending(reason);
    await worker?.terminate();
  }

  #rejectPending(reason: Error): void {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(reason);
    }
    this.#pending.clear();
  }
}
