/**
 * The station: every channel of the config with its output, the generators they play, the
 * generation loop that keeps them ahead of real time and the timer that releases their audio.
 * What it plays comes in through two seams, so it runs on fakes in tests: a model catalogue
 * (which models exist) and a generator factory (how a model is loaded). It does no I/O towards
 * listeners; the web edge reads the outputs' queues through listener sessions.
 *
 *   catalogue ─► GeneratorPool ─► GenerationScheduler ─► Channel ─► ChannelOutput ─► (web/)
 */
import { EventEmitter } from 'node:events';
import { mp3EncoderChain } from '../broadcast/create-mp3-encoder.js';
import { ChannelOutput } from '../broadcast/channel-output.js';
import type { EncoderFactory } from '../broadcast/encoder.js';
import type { ChannelConfig, WavecastConfig } from '../config/config-schema.js';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { dbToGain } from '../core/units.js';
import type { ModelManifest } from '../families/model.js';
import { Channel } from '../stream/channel.js';
import { GenerationScheduler } from '../stream/generation-scheduler.js';
import { applyChannelPatch } from './apply-channel-patch.js';
import type { ChannelPatch } from './channel-patch.js';
import { ChannelHistory } from './channel-history.js';
import { GenerationRates } from './generation-rates.js';
import { GeneratorPool, type GeneratorFactory } from './generator-pool.js';
import type { ModelCatalogue } from './model-catalogue.js';
import { ProblemLog } from './problem-log.js';

const log = logger('station');

/** dB the limiter's sample-peak ceiling sits under the true-peak limit (measured on decoded MP3: see README). */
const TRUE_PEAK_MARGIN = 1;

export interface StationOptions {
  config: WavecastConfig;
  /** Which models exist (a folder of checkpoints in production). */
  catalogue: ModelCatalogue;
  /** Makes a model's generator (worker threads in production). */
  createGenerator: GeneratorFactory;
  /** A channel's MP3 encoders in order of preference. Default: mp3EncoderChain of server.mp3Encoder. */
  mp3Encoders?: (channel: ChannelConfig) => EncoderFactory[];
}

/** One channel on air: the stream, and the output its listeners read. */
export interface StationChannel {
  readonly id: string;
  readonly channel: Channel;
  readonly output: ChannelOutput;
}

/** A model of the catalogue, and whether (and on which engine) it is loaded. */
export type ModelSummary = ModelManifest & { loaded: boolean; engine?: string };

export class Station {
  readonly config: WavecastConfig;
  readonly catalogue: ModelCatalogue;
  readonly channels = new Map<string, StationChannel>();
  readonly generators: GeneratorPool;
  readonly rates = new GenerationRates();
  /** The last problems, for the operator panel. */
  readonly problems: ProblemLog;
  /** Every channel's health once a second, over the last minutes. */
  readonly history: ChannelHistory;
  /** Emits `change` (channel id) after an operator's change is applied, and `second` once a second. */
  readonly events = new EventEmitter();
  readonly scheduler: GenerationScheduler;
  #models: ModelManifest[] = [];
  /** Changes apply one at a time (a model load can take seconds). */
  #changes: Promise<unknown> = Promise.resolve();
  #timers: NodeJS.Timeout[] = [];

  private constructor(options: StationOptions) {
    const { config } = options;
    this.config = config;
    this.catalogue = options.catalogue;
    this.generators = new GeneratorPool(options.createGenerator);
    this.problems = new ProblemLog(config.server.problemsKept);
    this.history = new ChannelHistory(config.server.historySamples);
    this.scheduler = new GenerationScheduler({
      bufferAhead: config.server.bufferAhead,
      maxBatch: config.server.maxBatch,
      retryDelay: config.server.retryDelay,
      onGenerated: (stats) => this.rates.record(stats),
      onFailed: (model, error) => this.problems.add({ code: 'WAVECAST_ERR_ENGINE', message: `model "${model}": inference failed (${error.message}); retrying` }),
    });
  }

  /** Loads the models the channels play, fills every channel's buffer and starts playback. */
  static async start(options: StationOptions): Promise<Station> {
    const station = new Station(options);
    try {
      await station.#start(options);
    } catch (error) {
      await station.stop();
      throw error;
    }
    return station;
  }

  async #start(options: StationOptions): Promise<void> {
    const { server, channels } = this.config;
    await this.refreshModels();
    const wanted = [...new Set(channels.map((c) => c.model))].map((id) => this.#manifest(id, 'WAVECAST_ERR_MODEL_NOT_FOUND', `a channel plays model "${id}", which`));
    await Promise.all(wanted.map((manifest) => this.generators.load(manifest)));
    const encoders = options.mp3Encoders ?? ((c: ChannelConfig) => mp3EncoderChain({ sampleRate: c.sampleRate, channels: c.channels, bitrate: c.mp3Bitrate, prefer: server.mp3Encoder }));
    for (const config of channels) {
      const generator = this.generators.loaded(config.model)!;
      const onProblem = (code: WavecastErrorCode, message: string) => this.problems.add({ channel: config.id, code, message });
      const output = new ChannelOutput({ id: config.id, mp3Encoders: encoders(config), historySeconds: server.history, onProblem });
      let channel: Channel;
      try {
        channel = new Channel({
          config,
          model: generator.info,
          frameDuration: server.frameDuration,
          switchLead: server.switchLead,
          voices: { historyBars: server.midiBars.max, renderThreads: server.renderThreads },
          playout: {
            sink: output,
            onProblem,
            loudness: {
              target: config.loudness?.target ?? server.loudness.target,
              // The limiter holds sample peaks; MP3 encoding and intersample peaks add up to a dB more.
              ceiling: dbToGain(server.loudness.truePeak - TRUE_PEAK_MARGIN),
              window: server.loudness.window,
              maxSlew: server.loudness.maxSlew,
            },
          },
        });
      } catch (error) {
        output.dispose();
        // A setting the model cannot play is the config file's fault here.
        if (error instanceof WavecastError) throw new WavecastError('WAVECAST_ERR_CONFIG', error.message, { field: error.field, cause: error });
        throw error;
      }
      this.channels.set(config.id, { id: config.id, channel, output });
      log.info({ channel: config.id, model: config.model, encoder: output.mp3EncoderName }, 'channel ready');
      this.scheduler.add(generator, channel);
    }
    const deadline = performance.now() + server.fillTimeout * 1000;
    while ([...this.channels.values()].some(({ channel }) => channel.bufferedSeconds < server.bufferAhead)) {
      if (performance.now() > deadline) {
        log.warn('start-up buffer fill timed out; starting playback anyway');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const now = performance.now();
    for (const { channel } of this.channels.values()) channel.playout.start(now);
    // Tick at twice the frame rate so a frame is never released more than half a frame late.
    this.#timers.push(setInterval(() => this.#tick(), (server.frameDuration * 1000) / 2));
    this.#timers.push(setInterval(() => this.#everySecond(), 1000));
    log.info({ channels: [...this.channels.keys()] }, 'station playing');
  }

  /** The catalogue's manifest of model `id`, or an error with `code` listing the models there are. */
  #manifest(id: string, code: WavecastErrorCode, what: string, field?: string): ModelManifest {
    const manifest = this.#models.find((m) => m.id === id);
    if (manifest) return manifest;
    const known = this.#models.map((m) => m.id).join(', ') || 'none';
    throw new WavecastError(code, `${what} is not a valid checkpoint in ${this.catalogue.location} (found: ${known})`, { field });
  }

  /**
   * Applies an operator's change to a playing channel (validated by parseChannelPatch). A new
   * model is loaded first (a checkpoint published since start is found by a fresh scan); if
   * anything is wrong, nothing changes and the channel plays on.
   * @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field, WAVECAST_ERR_UNKNOWN_CHANNEL
   */
  updateChannel(id: string, patch: ChannelPatch): Promise<StationChannel> {
    const run = this.#changes.then(async () => {
      const on = this.channel(id);
      const model = patch.model;
      if (model !== undefined && model !== on.channel.model.id && !this.#models.some((m) => m.id === model)) await this.refreshModels();
      await applyChannelPatch(on.channel, patch, {
        scheduler: this.scheduler,
        generators: this.generators,
        manifest: (wanted) => this.#manifest(wanted, 'WAVECAST_ERR_BAD_REQUEST', `model "${wanted}"`, 'model'),
      });
      this.events.emit('change', id);
      return on;
    });
    this.#changes = run.catch(() => undefined);
    return run;
  }

  /** Scans the catalogue again (a trainer may have published a model since start). */
  async refreshModels(): Promise<void> {
    const { models, problems } = await this.catalogue.scan();
    for (const { where, error } of problems) log.warn({ where, err: error }, 'skipping an invalid checkpoint');
    this.#models = models;
  }

  /** Every model found by the last scan, with whether it is loaded. */
  models(): ModelSummary[] {
    return this.#models.map((manifest) => {
      const generator = this.generators.loaded(manifest.id);
      return { ...manifest, loaded: generator !== undefined, ...(generator ? { engine: generator.engine } : {}) };
    });
  }

  /** The channel with this id, or WAVECAST_ERR_UNKNOWN_CHANNEL naming the ids that exist. */
  channel(id: string): StationChannel {
    const on = this.channels.get(id);
    if (!on) {
      throw new WavecastError('WAVECAST_ERR_UNKNOWN_CHANNEL', `unknown channel "${id}"; channels: ${[...this.channels.keys()].join(', ')}`);
    }
    return on;
  }

  #everySecond(): void {
    this.history.add({
      time: Date.now(),
      channels: [...this.channels.values()].map(({ id, channel, output }) => ({
        id,
        listeners: output.listenerCount,
        bufferedSeconds: Math.round(channel.bufferedSeconds * 1000) / 1000,
        realTimeFactor: this.rates.of(channel.model.id)?.realTimeFactor ?? null,
      })),
    });
    this.events.emit('second');
  }

  #tick(): void {
    const now = performance.now();
    for (const { channel } of this.channels.values()) channel.playout.tick(now);
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await this.scheduler.stop();
    await this.generators.dispose();
    for (const { channel, output } of this.channels.values()) {
      channel.dispose();
      output.dispose();
    }
    log.info('station stopped');
  }
}
