/**
 * The generation loop. For each model it keeps every channel that plays it buffered ahead of
 * real time: while some channel holds less than the target, it asks that model for one clip per
 * hungry channel in ONE batched inference call, hands each clip to its channel, and repeats; when
 * all are full it sleeps until the first one will drop below the target. Inference runs off the
 * event loop (WorkerGenerator), so the loop only awaits.
 *
 * A channel may refuse a clip (its voice says why: a phrase that rests where music does not); the
 * loop then draws again for the channels that refused, in one more batched call, up to `redraws`
 * times, and the last draft plays whatever it is, so a channel is never left waiting.
 *
 * A failed inference (the engine threw, its worker thread died and is restarted by the next call)
 * is logged and retried after a pause that doubles with each failure in a row, from `retryDelay`
 * up to `retryMaxDelay`; channels keep playing their buffer meanwhile, and then loop their recent
 * audio (stream/playout.ts), so listeners never hear silence.
 */
import type { Generator } from '../inference/generator.js';
import { logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';

const log = logger('scheduler');

/** What the scheduler needs of a channel. */
export interface GenerationTarget {
  readonly id: string;
  /** Audio generated and not yet played. */
  readonly bufferedSeconds: Seconds;
  /** The input of this channel's next clip (its latent, plus its style for a symbolic model). */
  nextLatent(): Float32Array;
  /** Why this channel would rather not play `clip` (the loop draws again), or undefined. Absent: every clip plays. */
  refuse?(clip: Float32Array): string | undefined;
  /** Takes a generated clip (mixes or renders it, and queues it); returns the seconds of audio it added. */
  acceptClip(clip: Float32Array): Seconds | Promise<Seconds>;
}

export interface GenerationSchedulerOptions {
  /** Seconds each channel keeps generated ahead of the clock (server.bufferAhead). */
  bufferAhead: Seconds;
  /** Most clips in one inference call (server.maxBatch). */
  maxBatch: number;
  /** Pause after a failed inference before trying again (server.retryDelay); doubled for each failure in a row. */
  retryDelay: Seconds;
  /** The longest pause between attempts however many failed in a row (server.retryMaxDelay); none: always `retryDelay`. */
  retryMaxDelay?: Seconds;
  /** Draws again for a channel that refused its clip, at most this many times per clip (server.redraws). @default 0 */
  redraws?: number;
  /** Called for each refused clip drawn again, and when the last draft plays though refused (`played`). */
  onRefused?: (model: string, channel: string, refusal: { reason: string; drafts: number; played: boolean }) => void;
  /** Called after every inference with its statistics (for metrics). */
  onGenerated?: (stats: GenerationStats) => void;
  /** Called when an inference fails: its number in the current run of failures, and the pause before the next attempt. */
  onFailed?: (model: string, error: Error, retry: RetryState) => void;
  /** Called on the first inference that succeeds after failures. */
  onRecovered?: (model: string, episode: { failures: number; duration: Seconds }) => void;
}

/** Where a model's run of failed inference calls stands. */
export interface RetryState {
  /** Failures in a row, this one included. */
  failures: number;
  /** Seconds until the next attempt. */
  delay: Seconds;
}

export interface GenerationStats {
  model: string;
  engine: string;
  batch: number;
  /** Wall time of the inference call. */
  duration: Seconds;
  /** Seconds of audio the batch added to its channels. */
  audio: Seconds;
}

interface ModelLoop {
  generator: Generator;
  targets: Set<GenerationTarget>;
  /** Channels still taking their last clip (a phrase rendering bar by bar), and those takings. */
  accepting: Map<GenerationTarget, Promise<Seconds>>;
  /** Failed calls in a row, and when the first of them failed (performance.now() ms). */
  failures: number;
  failingSince: number;
  wake?: () => void;
  running: boolean;
  done: Promise<void>;
}

export class GenerationScheduler {
  readonly bufferAhead: Seconds;
  readonly maxBatch: number;
  readonly retryDelay: Seconds;
  readonly retryMaxDelay: Seconds;
  readonly redraws: number;
  #onRefused?: GenerationSchedulerOptions['onRefused'];
  #onGenerated?: (stats: GenerationStats) => void;
  #onFailed?: GenerationSchedulerOptions['onFailed'];
  #onRecovered?: GenerationSchedulerOptions['onRecovered'];
  #loops = new Map<Generator, ModelLoop>();

  /** Its limits come from the config (server.bufferAhead, maxBatch, retryDelay, retryMaxDelay). */
  constructor(options: GenerationSchedulerOptions) {
    this.bufferAhead = options.bufferAhead;
    this.maxBatch = options.maxBatch;
    this.retryDelay = options.retryDelay;
    this.retryMaxDelay = Math.max(options.retryDelay, options.retryMaxDelay ?? options.retryDelay);
    this.redraws = options.redraws ?? 0;
    this.#onRefused = options.onRefused;
    this.#onGenerated = options.onGenerated;
    this.#onFailed = options.onFailed;
    this.#onRecovered = options.onRecovered;
  }

  /** Starts feeding `target` from `generator` (starting that model's loop if it is new). */
  add(generator: Generator, target: GenerationTarget): void {
    let loop = this.#loops.get(generator);
    if (!loop) {
      loop = { generator, targets: new Set(), accepting: new Map(), failures: 0, failingSince: 0, running: true, done: Promise.resolve() };
      this.#loops.set(generator, loop);
      loop.done = this.#run(loop);
    }
    loop.targets.add(target);
    loop.wake?.();
  }

  /** Wakes `generator`'s loop now (a channel's buffer was cut by a change and needs audio at once). */
  wake(generator: Generator): void {
    this.#loops.get(generator)?.wake?.();
  }

  /**
   * Stops feeding `target`; a model loop with no targets left ends. Resolves when `generator` has
   * no loop any more and no inference call in flight (so it may be disposed), or at once while
   * other channels still play it.
   */
  remove(generator: Generator, target: GenerationTarget): Promise<void> {
    const loop = this.#loops.get(generator);
    if (!loop) return Promise.resolve();
    loop.targets.delete(target);
    if (loop.targets.size > 0) return Promise.resolve();
    loop.running = false;
    loop.wake?.();
    this.#loops.delete(generator);
    return loop.done;
  }

  /** True while some channel is fed from `generator`. */
  feeds(generator: Generator): boolean {
    return this.#loops.has(generator);
  }

  /** Stops every loop and waits for in-flight inference, and the channels taking its clips, to finish. */
  async stop(): Promise<void> {
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    for (const loop of loops) {
      loop.running = false;
      loop.wake?.();
    }
    await Promise.all(loops.map((loop) => loop.done));
    await Promise.all(loops.flatMap((loop) => [...loop.accepting.values()]));
  }

  async #run(loop: ModelLoop): Promise<void> {
    const { generator } = loop;
    while (loop.running) {
      // A channel still taking its last clip is not hungry yet: its buffer does not show that clip.
      const waiting = [...loop.targets].filter((t) => !loop.accepting.has(t));
      const hungry = waiting
        .filter((t) => t.bufferedSeconds < this.bufferAhead)
        .sort((a, b) => a.bufferedSeconds - b.bufferedSeconds)
        .slice(0, this.maxBatch);
      if (hungry.length === 0) {
        const fullest = Math.min(...waiting.map((t) => t.bufferedSeconds));
        // Sleep until the emptiest channel reaches the target (or one finishes taking a clip),
        // checking at least 5× a second.
        await this.#sleep(loop, Math.min(200, Math.max(10, (fullest - this.bufferAhead) * 1000)));
        continue;
      }
      const latents = hungry.map((t) => t.nextLatent());
      const started = performance.now();
      let clips: Float32Array[];
      try {
        clips = await this.#draw(generator, hungry, await generator.generate(latents));
      } catch (error) {
        if (loop.failures++ === 0) loop.failingSince = started;
        const retry: RetryState = { failures: loop.failures, delay: Math.min(this.retryMaxDelay, this.retryDelay * 2 ** (loop.failures - 1)) };
        log.error({ err: error, model: generator.info.id, ...retry }, 'inference failed; retrying');
        this.#onFailed?.(generator.info.id, error as Error, retry);
        // The whole pause, even when woken (a clip taken, a channel added): only a stop cuts it short.
        const until = performance.now() + retry.delay * 1000;
        while (loop.running && performance.now() < until) await this.#sleep(loop, until - performance.now());
        continue;
      }
      if (loop.failures > 0) {
        const episode = { failures: loop.failures, duration: (performance.now() - loop.failingSince) / 1000 };
        loop.failures = 0;
        log.info({ model: generator.info.id, ...episode }, 'inference works again');
        this.#onRecovered?.(generator.info.id, episode);
      }
      const duration = (performance.now() - started) / 1000;
      // Every channel of the batch takes its clip, and the loop goes on to the next batch at once,
      // without waiting for them: the next inference runs in its worker while this batch's clips
      // are mixed here, and work done elsewhere (a synth worker rendering bars) interleaves every
      // hungry channel instead of serving one batch after another. Each channel starts taking its
      // clip a macrotask after the one before, so the main-thread part of a batch (waveform
      // mixing) never blocks the event loop as a whole. (Awaiting those macrotasks here, before
      // the next inference, made a batch cost its inference plus a turn of a busy event loop per
      // channel: 64 waveform channels beside 16 symbolic ones could not keep up.)
      const accepted: Array<Promise<Seconds>> = [];
      let turn: Promise<unknown> = Promise.resolve();
      for (const [i, target] of hungry.entries()) {
        if (i > 0) turn = turn.then(() => new Promise((resolve) => setImmediate(resolve)));
        const taking = turn
          .then(() => (loop.targets.has(target) ? target.acceptClip(clips[i]) : 0))
          .catch((error: unknown) => {
            log.error({ err: error, model: generator.info.id, channel: target.id }, 'channel could not take its clip');
            return 0;
          })
          .finally(() => {
            loop.accepting.delete(target);
            loop.wake?.();
          });
        loop.accepting.set(target, taking);
        accepted.push(taking);
      }
      void Promise.all(accepted).then((seconds) => {
        const stats: GenerationStats = { model: generator.info.id, engine: generator.engine, batch: hungry.length, duration, audio: seconds.reduce((a, b) => a + b, 0) };
        log.debug(stats, 'generated');
        this.#onGenerated?.(stats);
      });
    }
  }

  /** `clips`, with those their channels refuse drawn again (batched), up to `redraws` times. */
  async #draw(generator: Generator, targets: readonly GenerationTarget[], clips: Float32Array[]): Promise<Float32Array[]> {
    if (this.redraws === 0) return clips;
    for (let drafts = 1; ; drafts++) {
      const refused = targets.flatMap((target, i) => {
        const reason = target.refuse?.(clips[i]);
        return reason === undefined ? [] : [{ i, target, reason }];
      });
      if (refused.length === 0) return clips;
      const played = drafts > this.redraws;
      for (const { target, reason } of refused) {
        if (played) log.warn({ model: generator.info.id, channel: target.id, reason, drafts }, 'every draft refused; playing the last');
        this.#onRefused?.(generator.info.id, target.id, { reason, drafts, played });
      }
      if (played) return clips;
      const again = await generator.generate(refused.map(({ target }) => target.nextLatent()));
      refused.forEach(({ i }, k) => (clips[i] = again[k]));
    }
  }

  #sleep(loop: ModelLoop, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        loop.wake = undefined;
        resolve();
      }
      loop.wake = done;
    });
  }
}
