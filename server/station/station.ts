/**
 * The station: every channel of the config with its output, the generators they play, the
 * generation loop that keeps them ahead of real time and the timer that releases their audio.
 * What it plays comes in through two seams, so it runs on fakes in tests: a model catalogue
 * (which models exist) and a generator factory (how a model is loaded). It does no I/O towards
 * listeners; the web edge reads the outputs' queues through listener sessions.
 *
 *   catalogue ─► GeneratorPool ─► GenerationScheduler ─► Channel ─► ChannelOutput ─► (web/)
 *                                                                                   └► IcecastSource (config `icecast`)
 */
import { EventEmitter } from 'node:events';
import { mp3EncoderChain } from '../broadcast/create-mp3-encoder.js';
import { ChannelOutput } from '../broadcast/channel-output.js';
import { IcecastSource } from '../broadcast/icecast-source.js';
import type { EncoderFactory } from '../broadcast/encoder.js';
import type { ChannelConfig, WavecastConfig } from '../config/config-schema.js';
import { WavecastError, type WavecastErrorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { dbToGain } from '../core/units.js';
import { modelKey, modelLabel, type ModelManifest } from '../families/model.js';
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
  /** Its Icecast source, when the channel's config has `icecast`. */
  readonly icecast?: IcecastSource;
}

/** What a channel plays: a model's latest version, or one version pinned. */
export type ModelFollow = number | 'latest';

/** A model of the catalogue (its latest version), its versions, and who plays what. */
export type ModelSummary = ModelManifest & {
  loaded: boolean;
  engine?: string;
  versions?: Array<{ version: number; trainingSteps: number; created: string; loaded: boolean }>;
  channels: Array<{ id: string; version?: number; follow: ModelFollow }>;
};

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
  /** Every valid model (version) of the last scan. */
  #models: ModelManifest[] = [];
  /** Versioned models: the version their pointer names. */
  #latest: Record<string, number> = {};
  /** What each channel plays: its model's latest version, or a pinned one. */
  readonly #follow = new Map<string, ModelFollow>();
  /** Versions that failed to load or check: not tried again by the pickup. */
  readonly #rejected = new Set<string>();
  /** Catalogue problems already reported (each is logged once, not every rescan). */
  #reported = new Set<string>();
  #pickup: { running: boolean; again: boolean } = { running: false, again: false };
  #stopWatching: (() => void) | undefined;
  #stopped = false;
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
      retryMaxDelay: config.server.retryMaxDelay,
      redraws: config.server.redraws,
      onRefused: (model, id, { reason, drafts, played }) => {
        const channel = this.channels.get(id)?.channel;
        if (channel) channel.refusals[played ? 'played' : 'redrawn']++;
        if (played) this.problems.add({ channel: id, code: 'WAVECAST_ERR_MODEL_OUTPUT', message: `model "${model}": ${drafts} drafts in a row refused (${reason}); played the last` });
      },
      onGenerated: (stats) => this.rates.record(stats),
      onFailed: (model, error, { failures, delay }) =>
        this.problems.add({ code: 'WAVECAST_ERR_ENGINE', message: `model "${model}": inference failed (${error.message}); ${failures > 1 ? `${failures} in a row; ` : ''}retrying in ${delay} s` }),
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
    const playing = new Map(
      channels.map((c) => [c.id, this.#manifest(c.model, 'WAVECAST_ERR_MODEL_NOT_FOUND', `channel "${c.id}" plays model "${c.model}", which`, undefined, c.version)]),
    );
    await Promise.all([...new Map([...playing.values()].map((m) => [modelKey(m), m])).values()].map((manifest) => this.generators.load(manifest)));
    const encoders = options.mp3Encoders ?? ((c: ChannelConfig) => mp3EncoderChain({ sampleRate: c.sampleRate, channels: c.channels, bitrate: c.mp3Bitrate, prefer: server.mp3Encoder, lameWriteSeconds: server.lameWriteSeconds }));
    for (const config of channels) {
      const generator = this.generators.loaded(playing.get(config.id)!)!;
      this.#follow.set(config.id, config.version);
      const onProblem = (code: WavecastErrorCode, message: string) => this.problems.add({ channel: config.id, code, message });
      const output = new ChannelOutput({ id: config.id, mp3Encoders: encoders(config), historySeconds: server.history, onProblem });
      let channel: Channel;
      try {
        channel = new Channel({
          config,
          model: generator.info,
          frameDuration: server.frameDuration,
          switchLead: server.switchLead,
          voices: { historyBars: server.midiBars.max, renderThreads: server.renderThreads, maxRest: server.maxRest },
          playout: {
            sink: output,
            onProblem,
            dryFill: server.dryFill,
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
      const icecast = config.icecast && new IcecastSource({
        output,
        icecast: config.icecast,
        audio: { sampleRate: config.sampleRate, channels: config.channels, bitrate: config.mp3Bitrate },
        burstSeconds: server.burst,
        maxLagSeconds: server.maxListenerLag,
        retry: server.icecastRetry,
        timeout: server.icecastTimeout,
        onProblem,
      });
      this.channels.set(config.id, { id: config.id, channel, output, ...(icecast ? { icecast } : {}) });
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
    // Icecast gets the channels once they play (their burst is real audio, not a wait).
    for (const { icecast } of this.channels.values()) icecast?.start();
    // Tick at twice the frame rate so a frame is never released more than half a frame late.
    this.#timers.push(setInterval(() => this.#tick(), (server.frameDuration * 1000) / 2));
    this.#timers.push(setInterval(() => this.#everySecond(), 1000));
    // Published versions are picked up live: on a watch event, and by a periodic rescan.
    this.#stopWatching = this.catalogue.watch?.(() => void this.pickUp());
    this.#timers.push(setInterval(() => void this.pickUp(), server.modelRescan * 1000));
    log.info({ channels: [...this.channels.keys()] }, 'station playing');
  }

  /**
   * The catalogue's manifest of model `id`: version `version`, or its latest (the version its
   * pointer names; a plain checkpoint; else its newest valid version). Else an error with `code`
   * listing the models (or versions) there are.
   */
  #manifest(id: string, code: WavecastErrorCode, what: string, field?: string, version: ModelFollow = 'latest'): ModelManifest {
    const manifest = version === 'latest' ? this.#latestOf(id, false) : this.#models.find((m) => m.id === id && m.version === version);
    if (manifest) return manifest;
    const versions = this.#models.filter((m) => m.id === id && m.version !== undefined).map((m) => m.version);
    if (versions.length > 0) {
      throw new WavecastError(code, `model "${id}" has no valid version ${version} in ${this.catalogue.location} (valid: ${versions.join(', ')})`, { field: field && 'version' });
    }
    const known = [...new Set(this.#models.map((m) => m.id))].join(', ') || 'none';
    throw new WavecastError(code, `${what} is not a valid checkpoint in ${this.catalogue.location} (found: ${known})`, { field });
  }

  /**
   * The version followers of model `id` play: the one its pointer names, or its plain checkpoint.
   * `strict` false also takes the newest valid version when the pointer names none (a corrupt
   * version made current by hand): the pickup never moves a channel there, a new choice may.
   */
  #latestOf(id: string, strict: boolean): ModelManifest | undefined {
    const all = this.#models.filter((m) => m.id === id);
    const pointer = this.#latest[id];
    if (pointer !== undefined) return all.find((m) => m.version === pointer);
    const plain = all.find((m) => m.version === undefined);
    if (plain || strict) return plain;
    return all.at(-1);
  }

  /**
   * Applies an operator's change to a playing channel (validated by parseChannelPatch). A new
   * model is loaded first (a checkpoint published since start is found by a fresh scan); if
   * anything is wrong, nothing changes and the channel plays on.
   * @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field, WAVECAST_ERR_UNKNOWN_CHANNEL
   */
  updateChannel(id: string, patch: ChannelPatch): Promise<StationChannel> {
    return this.#enqueue(async () => {
      const on = this.channel(id);
      const model = patch.model;
      if (model !== undefined && model !== on.channel.model.id && !this.#models.some((m) => m.id === model)) await this.refreshModels();
      const previous = await applyChannelPatch(on.channel, patch, {
        scheduler: this.scheduler,
        generators: this.generators,
        manifest: (wanted, version) => this.#manifest(wanted, 'WAVECAST_ERR_BAD_REQUEST', `model "${wanted}"`, 'model', version),
      });
      if (patch.version !== undefined) this.#follow.set(id, patch.version);
      else if (patch.model !== undefined) this.#follow.set(id, 'latest');
      if (previous) void this.#releaseUnused();
      this.events.emit('change', id);
      return on;
    });
  }

  /**
   * Scans the catalogue again (a trainer may have published a model since start). Each problem
   * (a corrupt version, a bad pointer) is logged once with the file and the reason, and shown in
   * the panel's problems, until it goes away.
   */
  async refreshModels(): Promise<void> {
    const { models, latest = {}, problems } = await this.catalogue.scan();
    const reported = new Set<string>();
    for (const { where, error } of problems) {
      const key = `${where}\n${error.message}`;
      reported.add(key);
      if (this.#reported.has(key)) continue;
      log.warn({ where, err: error }, 'skipping an invalid checkpoint');
      this.problems.add({ code: error.code, message: `not a playable model: ${error.message}` });
    }
    // A model on air whose files went (deleted, moved) keeps playing from memory: say so, once.
    const listed = new Set(models.map(modelKey));
    const named = new Set(problems.map((p) => p.model));
    const gone = new Map<string, { manifest: ModelManifest; channels: string[] }>();
    for (const { id, channel } of this.channels.values()) {
      const manifest = channel.model.manifest;
      if (listed.has(modelKey(manifest)) || named.has(manifest.id)) continue;
      const entry = gone.get(modelKey(manifest)) ?? { manifest, channels: [] };
      entry.channels.push(id);
      gone.set(modelKey(manifest), entry);
    }
    for (const [key, { manifest, channels }] of gone) {
      reported.add(`gone\n${key}`);
      if (this.#reported.has(`gone\n${key}`)) continue;
      const which = channels.map((c) => `"${c}"`).join(', ');
      log.warn({ model: modelLabel(manifest), channels, dir: this.catalogue.location }, 'the files of a model on air are gone; it plays on from memory');
      this.problems.add({ code: 'WAVECAST_ERR_MODEL_NOT_FOUND', message: `model "${modelLabel(manifest)}", which channel${channels.length > 1 ? 's' : ''} ${which} play${channels.length > 1 ? '' : 's'}, is gone from ${this.catalogue.location}: it plays on from memory` });
    }
    this.#reported = reported;
    this.#models = models;
    this.#latest = latest;
  }

  /**
   * Rescans the catalogue and moves every channel that follows a model to the version now
   * published, at its next clip or phrase, with the same equal-power handover as an operator's
   * change. A version that fails to load or to give finite, non-silent output is rejected (one
   * log line and a problem) and the channel plays on. Calls while one runs make one more pass.
   */
  async pickUp(): Promise<void> {
    const state = this.#pickup;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        if (this.#stopped) return;
        try {
          await this.refreshModels();
        } catch (error) {
          log.warn({ err: error }, 'model rescan failed; trying again at the next one');
          return;
        }
        for (const on of this.channels.values()) {
          if (this.#follow.get(on.id) !== 'latest') continue;
          const target = this.#latestOf(on.channel.model.id, true);
          if (!target || modelKey(target) === modelKey(on.channel.model.manifest) || this.#rejected.has(modelKey(target))) continue;
          await this.#enqueue(() => this.#move(on, target));
        }
      } while (state.again);
    } finally {
      state.running = false;
    }
  }

  /** Moves a following channel to another version of its model (the pickup's change). */
  async #move(on: StationChannel, target: ModelManifest): Promise<void> {
    if (this.#stopped || this.#follow.get(on.id) !== 'latest' || on.channel.model.id !== target.id) return;
    try {
      await applyChannelPatch(on.channel, { version: target.version ?? 'latest' }, {
        scheduler: this.scheduler,
        generators: this.generators,
        manifest: () => target,
      });
    } catch (error) {
      this.#rejected.add(modelKey(target));
      const message = `model "${modelLabel(target)}" rejected, channel plays on: ${(error as Error).message}`;
      log.warn({ channel: on.id, model: modelLabel(target), err: error }, 'new model version rejected');
      this.problems.add({ channel: on.id, code: error instanceof WavecastError ? error.code : 'WAVECAST_ERR_ENGINE', message });
      void this.#releaseUnused();
      return;
    }
    log.info({ channel: on.id, model: modelLabel(target) }, 'channel moved to the published version');
    void this.#releaseUnused();
    this.events.emit('change', on.id);
  }

  /** Runs `change` after the changes queued before it (one at a time: a load can take seconds). */
  #enqueue<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#changes.then(change);
    this.#changes = run.catch(() => undefined);
    return run;
  }

  /**
   * Unloads every superseded model version no channel plays, once its last inference call is
   * over. A model's latest version stays loaded (as a plain model does) so switching back to it
   * is instant; a trainer publishing every few minutes does not pile up old versions.
   */
  async #releaseUnused(): Promise<void> {
    const playing = new Set([...this.channels.values()].map(({ channel }) => modelKey(channel.model.manifest)));
    for (const generator of this.generators.all()) {
      const manifest = generator.info.manifest;
      const latest = this.#latestOf(manifest.id, false);
      if (latest && modelKey(latest) === modelKey(manifest)) continue;
      if (playing.has(modelKey(manifest)) || this.scheduler.feeds(generator)) continue;
      await this.generators.release(manifest);
    }
  }

  /**
   * Makes `version` the one model `id`'s followers play (roll back to a kept version, or forward
   * again), then picks it up at once.
   * @throws WavecastError WAVECAST_ERR_MODEL_VERSION naming the valid versions
   */
  async setLatest(id: string, version: number): Promise<void> {
    if (!this.catalogue.setLatest) throw new WavecastError('WAVECAST_ERR_MODEL_VERSION', `${this.catalogue.location} cannot change which version plays`);
    await this.refreshModels();
    this.#manifest(id, 'WAVECAST_ERR_MODEL_VERSION', `model "${id}"`, 'version', version);
    await this.catalogue.setLatest(id, version);
    this.#rejected.delete(modelKey({ id, version }));
    await this.pickUp();
    await this.#changes;
  }

  /** What channel `id` plays: its model's latest version, or the version pinned. */
  followOf(id: string): ModelFollow {
    return this.#follow.get(id) ?? 'latest';
  }

  /** Every model found by the last scan (its latest version), its versions and who plays which. */
  models(): ModelSummary[] {
    const ids = [...new Set(this.#models.map((m) => m.id))];
    return ids.map((id) => {
      const manifest = this.#latestOf(id, false)!;
      const generator = this.generators.loaded(manifest);
      const versions = this.#models
        .filter((m) => m.id === id && m.version !== undefined)
        .map((m) => ({ version: m.version!, trainingSteps: m.trainingSteps, created: m.created, loaded: this.generators.loaded(m) !== undefined }));
      const channels = [...this.channels.values()]
        .filter(({ channel }) => channel.model.id === id)
        .map(({ id: channel, channel: { model } }) => ({ id: channel, ...(model.manifest.version !== undefined ? { version: model.manifest.version } : {}), follow: this.followOf(channel) }));
      return {
        ...manifest,
        loaded: generator !== undefined,
        ...(generator ? { engine: generator.engine } : {}),
        ...(versions.length > 0 ? { versions } : {}),
        channels,
      };
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
    this.#stopped = true;
    this.#stopWatching?.();
    for (const timer of this.#timers) clearInterval(timer);
    for (const { icecast } of this.channels.values()) icecast?.stop();
    await this.#changes;
    await this.scheduler.stop();
    await this.generators.dispose();
    for (const { channel, output } of this.channels.values()) {
      channel.dispose();
      output.dispose();
    }
    log.info('station stopped');
  }
}
