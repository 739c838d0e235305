/**
 * The station: every channel of the config, the generators they play, the generation loop that
 * keeps them ahead of real time and the timer that releases their audio. It does no I/O towards
 * listeners; the HTTP and WebSocket layers read its channels' queues.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Channel, type ChannelRetune } from '../stream/channel.js';
import type { WavecastConfig } from '../config/config-schema.js';
import { PROJECT_ROOT } from '../config/load-config.js';
import { listCheckpoints, type CheckpointManifest } from '../inference/checkpoint.js';
import type { Generator } from '../inference/generator.js';
import { WorkerGenerator } from '../inference/worker-generator.js';
import { WavecastError } from '../core/errors.js';
import { GenerationScheduler, type GenerationStats } from '../stream/generation-scheduler.js';
import { logger } from '../core/logger.js';
import { SOUND_FIELDS, SYMBOLIC_FIELDS, type ChannelPatch } from './channel-patch.js';
import { ChannelHistory } from './channel-history.js';
import { ProblemLog } from './problem-log.js';
import type { Seconds } from '../core/units.js';

const log = logger('station');

export type ModelSummary = CheckpointManifest & {
  /** True when a channel plays it and its generator is loaded. */
  loaded: boolean;
  /** Which engine runs it (`onnx-cpu`, `tfjs-wasm`, …), when loaded. */
  engine?: string;
};

export interface StationOptions {
  config: WavecastConfig;
  /** Start-up waits (at most this long, seconds) for every channel to fill its buffer. @default 60 */
  fillTimeout?: Seconds;
}

/** Generation statistics of one model over its recent inference calls. */
export interface ModelRate {
  /** Seconds of audio per second of inference wall time, over the last calls. */
  realTimeFactor: number;
  engine: string;
}

export class Station {
  readonly config: WavecastConfig;
  readonly modelsDir: string;
  readonly channels = new Map<string, Channel>();
  readonly generators = new Map<string, Generator>();
  readonly rates = new Map<string, ModelRate>();
  /** The last problems, for the operator panel. */
  readonly problems = new ProblemLog();
  /** Every channel's health once a second, over the last minutes. */
  readonly history = new ChannelHistory();
  /** Emits `change` (channel id) after an operator's change is applied, and `second` once a second. */
  readonly events = new EventEmitter();
  #secondTimer?: NodeJS.Timeout;
  #manifests: CheckpointManifest[] = [];
  /** Model loads in progress, so two changes asking for one model load it once. */
  #loading = new Map<string, Promise<Generator>>();
  /** Changes apply one at a time (a model load can take seconds). */
  #changes: Promise<unknown> = Promise.resolve();
  #scheduler: GenerationScheduler;
  #timer?: NodeJS.Timeout;
  #recent = new Map<string, GenerationStats[]>();

  private constructor(config: WavecastConfig) {
    this.config = config;
    this.modelsDir = path.resolve(PROJECT_ROOT, config.server.modelsDir);
    this.#scheduler = new GenerationScheduler({
      bufferAhead: config.server.bufferAhead,
      maxBatch: config.server.maxBatch,
      onGenerated: (stats) => this.#record(stats),
      onFailed: (model, error) => this.problems.add({ code: 'WAVECAST_ERR_ENGINE', message: `model "${model}": inference failed (${error.message}); retrying` }),
    });
  }

  /** Loads the models the channels play, fills every channel's buffer and starts playback. */
  static async start(options: StationOptions): Promise<Station> {
    const station = new Station(options.config);
    try {
      await station.#start(options.fillTimeout ?? 60);
    } catch (error) {
      await station.stop();
      throw error;
    }
    return station;
  }

  async #start(fillTimeout: Seconds): Promise<void> {
    const { server, channels } = this.config;
    const found = await listCheckpoints(this.modelsDir);
    for (const problem of found.errors) log.warn({ err: problem }, 'skipping an invalid checkpoint');
    this.#manifests = found.checkpoints.map((c) => c.manifest);
    const wanted = new Set(channels.map((c) => c.model));
    for (const id of wanted) {
      if (!this.#manifests.some((m) => m.id === id)) {
        const known = this.#manifests.map((m) => m.id).join(', ') || 'none';
        throw new WavecastError(
          'WAVECAST_ERR_MODEL_NOT_FOUND',
          `a channel plays model "${id}", which is not a valid checkpoint in ${this.modelsDir} (found: ${known})`,
        );
      }
    }
    await Promise.all([...wanted].map((id) => this.#generator(id)));
    for (const config of channels) {
      const generator = this.generators.get(config.model)!;
      const onProblem = (code: string, message: string) => this.problems.add({ channel: config.id, code, message });
      const channel = new Channel({ config, server, model: generator.info, onProblem });
      this.channels.set(config.id, channel);
      this.#scheduler.add(generator, channel);
    }
    const deadline = performance.now() + fillTimeout * 1000;
    while ([...this.channels.values()].some((c) => c.bufferedSeconds < server.bufferAhead)) {
      if (performance.now() > deadline) {
        log.warn('start-up buffer fill timed out; starting playback anyway');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const now = performance.now();
    for (const channel of this.channels.values()) channel.startPlayback(now);
    // Tick at twice the frame rate so a frame is never released more than half a frame late.
    this.#timer = setInterval(() => this.#tick(), (server.frameDuration * 1000) / 2);
    this.#secondTimer = setInterval(() => this.#everySecond(), 1000);
    log.info({ channels: [...this.channels.keys()] }, 'station playing');
  }

  /** The loaded generator of model `id`, loading it (once) if need be. */
  async #generator(id: string): Promise<Generator> {
    const loaded = this.generators.get(id);
    if (loaded) return loaded;
    let loading = this.#loading.get(id);
    if (!loading) {
      loading = (async () => {
        const started = performance.now();
        const { server } = this.config;
        const generator = new WorkerGenerator({ dir: path.join(this.modelsDir, id), engine: server.engine, threads: server.inferenceThreads });
        try {
          await generator.initialize();
        } catch (error) {
          await generator.dispose();
          throw error;
        }
        this.generators.set(id, generator);
        log.info({ model: id, engine: generator.engine, ms: Math.round(performance.now() - started) }, 'model loaded');
        return generator;
      })().finally(() => this.#loading.delete(id));
      this.#loading.set(id, loading);
    }
    return loading;
  }

  /**
   * Applies an operator's change to a playing channel (validated by parseChannelPatch). A new
   * model is loaded first (a checkpoint published since start is found by a fresh scan); if
   * anything is wrong, nothing changes and the channel plays on.
   * @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field, WAVECAST_ERR_UNKNOWN_CHANNEL
   */
  updateChannel(id: string, patch: ChannelPatch): Promise<Channel> {
    const run = this.#changes.then(() => this.#applyChange(id, patch));
    this.#changes = run.catch(() => undefined);
    return run;
  }

  async #applyChange(id: string, patch: ChannelPatch): Promise<Channel> {
    const channel = this.channel(id);
    const bad = (field: string, message: string) => new WavecastError('WAVECAST_ERR_BAD_REQUEST', message, { field });
    const previous = this.generators.get(channel.model.id)!;
    let generator = previous;
    if (patch.model !== undefined && patch.model !== channel.model.id) {
      if (!this.#manifests.some((m) => m.id === patch.model)) await this.refreshModels();
      if (!this.#manifests.some((m) => m.id === patch.model)) {
        throw bad('model', `model "${patch.model}" is not a valid checkpoint in ${this.modelsDir} (found: ${this.#manifests.map((m) => m.id).join(', ')})`);
      }
      try {
        generator = await this.#generator(patch.model);
      } catch (error) {
        throw bad('model', `model "${patch.model}" could not be loaded: ${(error as Error).message}`);
      }
    }
    const model = generator.info;
    if (model.family !== 'symbolic') {
      const field = SYMBOLIC_FIELDS.find((f) => patch[f] !== undefined);
      if (field) throw bad(field, `${field} applies to symbolic models; model "${model.id}" is a waveform model (its sound is the model)`);
    }
    if (patch.style !== undefined && model.family === 'symbolic' && !model.styles.includes(patch.style)) {
      throw bad('style', `style "${patch.style}" is not one model "${model.id}" was trained on (${model.styles.join(', ')})`);
    }
    if (SOUND_FIELDS.some((f) => patch[f] !== undefined)) {
      const retune: ChannelRetune = { model, style: patch.style, instrument: patch.instrument, tempo: patch.tempo, density: patch.density };
      channel.retune(retune);
      if (generator !== previous) {
        this.#scheduler.remove(previous, channel);
        this.#scheduler.add(generator, channel);
      } else {
        this.#scheduler.wake(generator);
      }
    }
    if (patch.variation !== undefined) channel.variation = patch.variation;
    if (patch.volume !== undefined) channel.volume = patch.volume;
    log.info({ channel: id, patch }, 'operator changed a channel');
    this.events.emit('change', id);
    return channel;
  }

  /** Scans the models folder again (a trainer may have published a checkpoint since start). */
  async refreshModels(): Promise<void> {
    const found = await listCheckpoints(this.modelsDir);
    this.#manifests = found.checkpoints.map((c) => c.manifest);
  }

  #everySecond(): void {
    this.history.add({
      time: Date.now(),
      channels: [...this.channels.values()].map((channel) => ({
        id: channel.id,
        listeners: channel.listenerCount,
        bufferedSeconds: Math.round(channel.bufferedSeconds * 1000) / 1000,
        realTimeFactor: this.rates.get(channel.model.id)?.realTimeFactor ?? null,
      })),
    });
    this.events.emit('second');
  }

  #tick(): void {
    const now = performance.now();
    for (const channel of this.channels.values()) channel.tick(now);
  }

  #record(stats: GenerationStats): void {
    const recent = this.#recent.get(stats.model) ?? [];
    recent.push(stats);
    if (recent.length > 20) recent.shift();
    this.#recent.set(stats.model, recent);
    const audio = recent.reduce((sum, s) => sum + s.audio, 0);
    const wall = recent.reduce((sum, s) => sum + s.duration, 0);
    this.rates.set(stats.model, { realTimeFactor: wall > 0 ? audio / wall : 0, engine: stats.engine });
  }

  /** The channel with this id, or WAVECAST_ERR_UNKNOWN_CHANNEL naming the ids that exist. */
  channel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) {
      throw new WavecastError(
        'WAVECAST_ERR_UNKNOWN_CHANNEL',
        `unknown channel "${id}"; channels: ${[...this.channels.keys()].join(', ')}`,
      );
    }
    return channel;
  }

  /**
   * Checks a new listener may join `channel` (MP3 and WebSocket listeners count together).
   * @throws WavecastError WAVECAST_ERR_TOO_MANY_LISTENERS past server.maxListenersPerChannel.
   */
  admit(channel: Channel): void {
    const limit = this.config.server.maxListenersPerChannel;
    if (channel.listenerCount >= limit) {
      throw new WavecastError(
        'WAVECAST_ERR_TOO_MANY_LISTENERS',
        `channel "${channel.id}" has ${channel.listenerCount} listeners, the most it takes (server.maxListenersPerChannel = ${limit})`,
      );
    }
  }

  /** Every valid checkpoint found at start, with whether it is loaded. */
  models(): ModelSummary[] {
    return this.#manifests.map((manifest) => {
      const generator = this.generators.get(manifest.id);
      return { ...manifest, loaded: generator !== undefined, ...(generator ? { engine: generator.engine } : {}) };
    });
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#secondTimer) clearInterval(this.#secondTimer);
    await this.#scheduler.stop();
    // A model still loading (start-up failed beside it, or a change is under way) joins the
    // generators when done; wait for it so its worker thread is disposed too.
    await Promise.allSettled([...this.#loading.values()]);
    for (const channel of this.channels.values()) channel.dispose();
    await Promise.all([...this.generators.values()].map((g) => g.dispose()));
    log.info('station stopped');
  }
}
