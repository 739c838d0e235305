/**
 * One endless stream. The model's outputs become PCM through the model family's Voice and queue
 * in the channel's Playout, which releases them at real time to the sink (the encoders and
 * listener queues in broadcast/, which this layer never imports).
 *
 *   latent walk ─► Voice.input ─► (generator) ─► Voice.play ─► Playout ─(clock)─► FrameSink
 *
 * A change (`retune`) keeps `switchLead` seconds of the queue and fades the new voice's first
 * audio over the rest: heard within the lead plus one output's generation, never a gap, and the
 * title changes on the very frame where the new voice starts.
 */
import { channelSettings, type ChannelConfig } from '../config/config-schema.js';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Hz, Samples, Seconds } from '../core/units.js';
import type { MidiExport, SettingValue, Voice, VoiceOptions, VoiceSummary } from '../families/family.js';
import { modelLabel, type ModelInfo } from '../families/model.js';
import { familyOf } from '../families/registry.js';
import { LatentWalk } from './latent-walk.js';
import { pacedPieces, PIECE } from './paced-pieces.js';
import { Playout, type PlayoutOptions } from './playout.js';

export type { ChannelFrame, FrameSink } from './playout.js';

const log = logger('channel');

export interface ChannelOptions {
  config: ChannelConfig;
  model: ModelInfo;
  /** Seconds per released frame (server.frameDuration). */
  frameDuration: Seconds;
  /** Seconds of queued audio a change keeps playing before the new voice (server.switchLead). */
  switchLead: Seconds;
  /** What its voices get from the config: MIDI bars kept (server.midiBars.max), render threads (server.renderThreads), the longest rest (server.maxRest). */
  voices: Pick<VoiceOptions, 'historyBars' | 'renderThreads' | 'maxRest'>;
  /** Where its frames go, its loudness target and limits, who is told when it runs dry, and what it loops then (server.dryFill). */
  playout: Pick<PlayoutOptions, 'sink' | 'loudness' | 'onProblem' | 'dryFill'>;
}

/** Family settings by name (style, instrument, tempo, density for a symbolic model). */
export type ChannelSettings = Readonly<Record<string, SettingValue | undefined>>;

/** What an operator may change about the sound while the channel plays (see `retune`). */
export type ChannelChange = { model?: ModelInfo; settings?: ChannelSettings };

export class Channel {
  readonly id: string;
  readonly config: ChannelConfig;
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  /** Frames of audio per released frame (the WebSocket frame size). */
  readonly frameSamples: Samples;
  readonly playout: Playout;
  /** Model outputs its voice refused: drawn again (`redrawn`), or played as the last draft (`played`). */
  readonly refusals = { redrawn: 0, played: 0 };
  readonly #options: ChannelOptions;
  #model: ModelInfo;
  #voice: Voice;
  /** Every family setting as last asked; a voice reads its own family's. */
  #settings: ChannelSettings;
  #walk: LatentWalk;
  /** Bumped by every retune: an output made for older settings is dropped, not played. */
  #epoch = 0;
  #latentEpoch = 0;

  /** @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming the field, for a setting the model cannot play */
  constructor(options: ChannelOptions) {
    const { config, model } = options;
    this.id = config.id;
    this.config = config;
    this.sampleRate = config.sampleRate;
    this.channels = config.channels;
    this.frameSamples = Math.round(options.frameDuration * config.sampleRate);
    this.#options = options;
    this.#model = model;
    const settings = channelSettings(config);
    this.#voice = this.#buildVoice(model, settings, new Set(Object.keys(settings)), 0);
    this.#settings = { ...settings, ...this.#voice.settings };
    this.#walk = new LatentWalk({ dim: model.latentDim, variation: config.variation, seed: config.seed });
    const { id, sampleRate, channels, frameSamples } = this;
    this.playout = new Playout({ id, sampleRate, channels, frameSamples, volume: config.volume, title: this.#describe(), ...options.playout });
  }

  get model(): ModelInfo {
    return this.#model;
  }

  /** What listeners hear now: the channel's model and sound (the ICY StreamTitle). */
  get title(): string {
    return this.playout.titles.current;
  }

  /** The family settings the voice plays (as it resolved them: a style the model knows…). */
  get settings(): ChannelSettings {
    return { ...this.#settings };
  }

  /** What listeners will hear once the last change is on air (equals `title` when none is pending). */
  get upcomingTitle(): string {
    return this.#describe();
  }

  /** The voice's sound and settings, for the channel summary (a retune shows here at once). */
  get voice(): VoiceSummary {
    return this.#voice.summary(this.playout.playedFrames);
  }

  /** How far the latent walk moves per output (0–1); applies from the next latent. */
  get variation(): number {
    return this.#walk.variation;
  }
  set variation(value: number) {
    this.#walk.variation = value;
  }

  /**
   * Changes what the channel plays (see the file header); returns the stream frame where the new
   * voice starts. @throws WavecastError WAVECAST_ERR_BAD_REQUEST naming a setting the model cannot play
   */
  retune(change: ChannelChange): number {
    const model = change.model ?? this.#model;
    const settings = { ...this.#settings, ...change.settings };
    const keep = this.playout.keptFrames(this.#options.switchLead * this.sampleRate);
    const switchFrame = this.playout.playedFrames + keep;
    const replaced = this.#voice;
    this.#voice = this.#buildVoice(model, settings, new Set(Object.keys(change.settings ?? {})), switchFrame);
    replaced.dispose?.();
    this.#settings = { ...settings, ...this.#voice.settings }; // as the voice resolved them (a style the model knows…)
    this.#epoch++;
    if (model.latentDim !== this.#model.latentDim) {
      this.#walk = new LatentWalk({ dim: model.latentDim, variation: this.#walk.variation, seed: this.config.seed });
    }
    this.#model = model;
    this.playout.cutAndFade(keep, Math.round(this.config.crossfade * this.sampleRate));
    this.playout.titles.change(switchFrame, this.#describe());
    log.info({ channel: this.id, model: model.id, settings: this.#voice.settings, switchFrame }, 'retuned');
    return switchFrame;
  }

  #buildVoice(model: ModelInfo, settings: ChannelSettings, asked: ReadonlySet<string>, firstFrame: number): Voice {
    const { config } = this;
    return familyOf(model).createVoice(model, {
      channel: this.id,
      sampleRate: config.sampleRate,
      channels: config.channels,
      crossfade: config.crossfade,
      settings,
      asked,
      firstFrame,
      previous: this.#voice,
      ...this.#options.voices,
    });
  }

  #describe(): string {
    const untrained = this.#model.trained ? '' : ' (untrained)';
    return `${this.id}: ${this.#voice.description} - ${modelLabel(this.#model.manifest)}${untrained}`;
  }

  /** True when the model's family plays notes (so `midi()` can export them). */
  get playsNotes(): boolean {
    return this.#voice.midi !== undefined;
  }

  /**
   * The last `bars` bars this channel played, as a MIDI file.
   * @throws WavecastError WAVECAST_ERR_NO_NOTES when its model plays no notes or none has played yet
   */
  midi(bars: number): MidiExport {
    if (!this.#voice.midi) {
      throw new WavecastError('WAVECAST_ERR_NO_NOTES', `channel "${this.id}" plays a ${this.#model.family} model: it has no notes to export`);
    }
    const midi = this.#voice.midi(bars, this.playout.playedFrames, `wavecast ${this.id}`);
    if (!midi) throw new WavecastError('WAVECAST_ERR_NO_NOTES', `channel "${this.id}" has not played a bar yet; try again in a few seconds`);
    return midi;
  }

  /** Seconds of audio generated and waiting to be played. */
  get bufferedSeconds(): Seconds {
    return this.playout.bufferedFrames / this.sampleRate;
  }

  /** The next model input: the latent walk's next z, conditioned as the voice wants. */
  nextLatent(): Float32Array {
    this.#latentEpoch = this.#epoch;
    return this.#voice.input(this.#walk.next());
  }

  /** Why its voice would rather not play `output` (the scheduler draws again), or undefined. */
  refuse(output: Float32Array): string | undefined {
    if (this.#latentEpoch !== this.#epoch) return undefined; // dropped by acceptClip anyway
    return this.#voice.refuse?.(output);
  }

  /** Takes one model output, queues its audio, and returns how many seconds it added. */
  async acceptClip(output: Float32Array): Promise<Seconds> {
    // Made from a latent asked for before a retune: for the old settings, so never played.
    if (this.#latentEpoch !== this.#epoch) return 0;
    const epoch = this.#epoch;
    let frames = 0;
    for await (const pcm of this.#voice.play(output)) {
      for await (const piece of pacedPieces(pcm, this.channels, Math.round(PIECE * this.sampleRate))) {
        if (this.#epoch !== epoch) return frames / this.sampleRate; // retuned while this output rendered
        this.playout.push(piece);
        frames += piece.length / this.channels;
      }
    }
    return frames / this.sampleRate;
  }

  /** Stops the channel's voice (its synth, if it has one) and drops the queued audio. */
  dispose(): void {
    this.#voice.dispose?.();
    this.playout.clear();
  }
}
