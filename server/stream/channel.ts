/**
 * One endless stream. Clips from the generator become PCM that waits in a FIFO ahead of real
 * time; the playback clock takes it out frame by frame, and each frame is encoded ONCE per wire
 * format (MP3 for /stream, s16le and f32le for /ws) into shared chunk queues that every listener
 * reads by reference. A waveform clip is crossfaded in (ChannelMixer); a symbolic phrase is
 * rendered bar by bar and overlap-added (PhrasePlayer).
 *
 * An operator's change (`retune`) keeps only `switchLead` seconds of what is queued, builds a new
 * voice and fades its first audio over the audio it replaced (HandoverFade): it is heard within
 * the lead plus one clip's generation, and the stream never gaps. The title changes on the very
 * frame where the new voice starts.
 *
 *   clip ─► ChannelMixer ─┐
 *   phrase ─► PhrasePlayer ┴► PcmFifo ─(clock)─► frame ─┬─► mp3 Encoder ─► mp3 ChunkQueue ─► HTTP listeners
 *                                                       └─► PcmEncoder ×2 ─► pcm ChunkQueues ─► WS listeners
 */
import { ChunkQueue } from '../broadcast/chunk-queue.js';
import type { ChannelConfig, ServerConfig } from '../config/config-schema.js';
import { createMp3Encoder } from '../broadcast/create-mp3-encoder.js';
import type { Encoder } from '../broadcast/encoder.js';
import { Mp3FrameSplitter } from '../broadcast/mp3-frame-splitter.js';
import type { Mp3Options } from '../config/mp3-params.js';
import { PcmEncoder, type PcmFormat } from '../broadcast/pcm-encoder.js';
import type { GeneratorInfo } from '../inference/generator.js';
import { WavecastError } from '../core/errors.js';
import { PhrasePlayer, type PlayedBar } from '../families/symbolic/phrase-player.js';
import { conditionedInput, type Style } from '../families/symbolic/piano-roll.js';
import type { InstrumentSetName } from '../families/symbolic/render/index.js';
import { HandoverFade } from '../dsp/handover-fade.js';
import { LatentWalk } from './latent-walk.js';
import { logger } from '../core/logger.js';
import { ChannelMixer } from '../dsp/channel-mixer.js';
import type { Hz, Samples, Seconds } from '../core/units.js';
import { PcmFifo } from './pcm-fifo.js';
import { PlaybackClock } from './playback-clock.js';

const log = logger('channel');

/** The PCM formats the WebSocket feed offers. */
export const PCM_FORMATS: readonly PcmFormat[] = ['s16le', 'f32le'];
export type { PcmFormat };

/** Bytes before the PCM in each WebSocket frame: a uint32 little-endian sequence number. */
export const WS_FRAME_HEADER_BYTES = 4;

export interface ChannelOptions {
  config: ChannelConfig;
  server: ServerConfig;
  model: GeneratorInfo;
  /** Told of problems an operator should see (underruns, an encoder failing over). */
  onProblem?: (code: string, message: string) => void;
}

/** What an operator may change about the sound while the channel plays (see `retune`). */
export interface ChannelRetune {
  model?: GeneratorInfo;
  style?: Style;
  instrument?: InstrumentSetName;
  tempo?: number;
  density?: number;
}

/** A channel's current settings (symbolic ones apply only while a symbolic model plays). */
export interface ChannelSettings {
  style?: Style;
  instrument: InstrumentSetName;
  tempo: number;
  density: number;
  variation: number;
  volume: number;
}

type Voice = { family: 'waveform'; mixer: ChannelMixer } | { family: 'symbolic'; player: PhrasePlayer; style: Style };

export interface ChannelCounters {
  /** Listeners dropped for falling too far behind, since start. */
  slowListeners: number;
  /** Times the channel ran dry and the clock skipped ahead, since start. */
  underruns: number;
  /** Frames released to listeners since start. */
  framesPlayed: number;
}

export class Channel {
  readonly id: string;
  readonly config: ChannelConfig;
  readonly sampleRate: Hz;
  readonly channels: 1 | 2;
  /** Frames of audio per released frame (the WebSocket frame size). */
  readonly frameSamples: Samples;
  readonly mp3: ChunkQueue;
  readonly pcm: Record<PcmFormat, ChunkQueue>;
  /** Open connections: MP3 and WebSocket listeners, and operator-panel monitors (not listeners). */
  readonly listeners = { mp3: 0, ws: 0, monitors: 0 };
  readonly counters: ChannelCounters = { slowListeners: 0, underruns: 0, framesPlayed: 0 };
  #model: GeneratorInfo;
  /** Turns the model's outputs into PCM: a crossfading mixer (waveform) or a phrase renderer (symbolic). */
  #voice: Voice;
  #walk: LatentWalk;
  #settings: Omit<ChannelSettings, 'style' | 'variation'>;
  #onProblem?: (code: string, message: string) => void;
  /** Bumped by every retune: a clip made for older settings is dropped, not played. */
  #epoch = 0;
  #latentEpoch = 0;
  #handover?: HandoverFade;
  /** The title of what listeners hear now, and the one due at a later stream frame. */
  #playingTitle: string;
  #pendingTitle?: { frame: number; title: string };
  /** Output gain now (volume changes ramp across one frame, so they never click). */
  #gain: number;
  #fifo: PcmFifo;
  #clock?: PlaybackClock;
  #mp3Encoder: Encoder;
  #pcmEncoders: Record<PcmFormat, PcmEncoder>;
  #mp3Frames = new Mp3FrameSplitter();
  #mp3Options: Mp3Options;
  #dry = false;

  constructor(options: ChannelOptions) {
    const { config, server, model } = options;
    this.id = config.id;
    this.config = config;
    this.sampleRate = config.sampleRate;
    this.channels = config.channels;
    this.#model = model;
    this.#onProblem = options.onProblem;
    this.frameSamples = Math.round(server.frameDuration * config.sampleRate);
    this.switchLead = server.switchLead;
    this.#settings = { instrument: config.instrument, tempo: config.tempo, density: config.density, volume: config.volume };
    this.#gain = config.volume;
    const style = model.family === 'symbolic' ? this.#styleFor(model, config.style, 'WAVECAST_ERR_CONFIG') : undefined;
    this.#voice = this.#buildVoice(model, style, 0, []);
    this.#playingTitle = this.#describe();
    this.#walk = new LatentWalk({ dim: model.latentDim, variation: config.variation, seed: config.seed });
    this.#fifo = new PcmFifo(config.channels);
    this.#mp3Options = { sampleRate: config.sampleRate, channels: config.channels, bitrate: config.mp3Bitrate };
    this.#mp3Encoder = createMp3Encoder({
      ...this.#mp3Options,
      prefer: server.mp3Encoder,
      onError: (error) => this.#fallBackToLameJs(error),
    });
    this.#pcmEncoders = { s16le: new PcmEncoder({ format: 's16le' }), f32le: new PcmEncoder({ format: 'f32le' }) };
    this.mp3 = new ChunkQueue({ historySeconds: server.history });
    this.pcm = {
      s16le: new ChunkQueue({ historySeconds: server.history }),
      f32le: new ChunkQueue({ historySeconds: server.history }),
    };
    log.info({ channel: this.id, model: model.id, encoder: this.#mp3Encoder.name }, 'channel ready');
  }

  /** Seconds of queued audio a retune keeps playing before the new voice starts. */
  readonly switchLead: Seconds;

  get model(): GeneratorInfo {
    return this.#model;
  }

  /** What listeners hear now: the channel's model and instrument (the ICY StreamTitle). */
  get title(): string {
    return this.#playingTitle;
  }

  /** The current settings (a retune shows here at once, in `title` when it is heard). */
  get settings(): ChannelSettings {
    return { ...this.#settings, style: this.symbolic?.style, variation: this.#walk.variation };
  }

  set variation(value: number) {
    this.#walk.variation = value;
  }

  /** Output level, 0–1; applied to the next frame released, ramped across it. */
  set volume(value: number) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`volume must be in [0, 1], got ${value}`);
    this.#settings.volume = value;
  }

  /**
   * Changes what the channel plays. The first `switchLead` seconds of queued audio still play;
   * the rest is replaced by the new voice's audio, faded in over it as it arrives. Returns the
   * stream frame where the new voice starts.
   * @throws WavecastError WAVECAST_ERR_BAD_REQUEST (field `style`) for a style the model lacks
   */
  retune(change: ChannelRetune): number {
    const model = change.model ?? this.#model;
    // A style asked for must exist; the current one carries over only where the new model knows it.
    const style =
      model.family === 'symbolic'
        ? this.#styleFor(model, change.style ?? this.symbolic?.style, 'WAVECAST_ERR_BAD_REQUEST', change.style !== undefined)
        : undefined;
    this.#settings.instrument = change.instrument ?? this.#settings.instrument;
    this.#settings.tempo = change.tempo ?? this.#settings.tempo;
    this.#settings.density = change.density ?? this.#settings.density;
    this.#epoch++;
    const lead = Math.ceil((this.switchLead * this.sampleRate) / this.frameSamples) * this.frameSamples;
    const keep = Math.min(lead, Math.floor(this.#fifo.frames / this.frameSamples) * this.frameSamples);
    const replaced = this.#fifo.cut(keep);
    const switchFrame = this.counters.framesPlayed * this.frameSamples + keep;
    const history = this.#voice.family === 'symbolic' ? this.#voice.player.history.filter((bar) => bar.startFrame < switchFrame) : [];
    if (model.latentDim !== this.#model.latentDim) {
      this.#walk = new LatentWalk({ dim: model.latentDim, variation: this.#walk.variation, seed: this.config.seed });
    }
    this.#model = model;
    this.#voice = this.#buildVoice(model, style, switchFrame, history);
    this.#handover = new HandoverFade(replaced, this.channels, Math.max(1, Math.round(this.config.crossfade * this.sampleRate)));
    this.#pendingTitle = { frame: switchFrame, title: this.#describe() };
    log.info({ channel: this.id, model: model.id, ...this.settings, switchFrame }, 'retuned');
    return switchFrame;
  }

  #describe(): string {
    const untrained = this.#model.trained ? '' : ' (untrained)';
    const voice = this.#voice;
    const sound = voice.family === 'symbolic' ? `${voice.style} on ${voice.player.instrumentSet}, ${voice.player.bpm} bpm` : this.#model.instrument;
    return `${this.id}: ${sound} - ${this.#model.id}${untrained}`;
  }

  /**
   * `wanted` when the symbolic model knows it; the model's first style when nothing is wanted, or
   * when a carried-over (not `explicit`) style is unknown to it.
   */
  #styleFor(
    model: GeneratorInfo & { family: 'symbolic' },
    wanted: Style | undefined,
    code: 'WAVECAST_ERR_CONFIG' | 'WAVECAST_ERR_BAD_REQUEST',
    explicit = true,
  ): Style {
    if (wanted === undefined || (!explicit && !model.styles.includes(wanted))) return model.styles[0];
    if (!model.styles.includes(wanted)) {
      throw new WavecastError(
        code,
        `channel "${this.id}": style "${wanted}" is not one model "${model.id}" was trained on (${model.styles.join(', ')})`,
        { field: 'style' },
      );
    }
    return wanted;
  }

  #buildVoice(model: GeneratorInfo, style: Style | undefined, firstFrame: number, history: readonly PlayedBar[]): Voice {
    const { config } = this;
    if (model.family === 'waveform') {
      const mixer = new ChannelMixer({
        modelRate: model.sampleRate,
        outputRate: config.sampleRate,
        channels: config.channels,
        crossfade: config.crossfade,
      });
      return { family: 'waveform', mixer };
    }
    const player = new PhrasePlayer({
      sampleRate: config.sampleRate,
      channels: config.channels,
      bpm: this.#settings.tempo,
      instrumentSet: this.#settings.instrument,
      // Density 0.5 is the model's own 0.5 threshold; higher lets less certain notes play.
      threshold: 1 - this.#settings.density,
      firstFrame,
      history,
    });
    return { family: 'symbolic', player, style: style! };
  }

  /** The symbolic voice's settings (style, instrument set, tempo); undefined for a waveform channel. */
  get symbolic(): { style: Style; instrument: string; tempo: number } | undefined {
    const voice = this.#voice;
    if (voice.family !== 'symbolic') return undefined;
    return { style: voice.style, instrument: voice.player.instrumentSet, tempo: voice.player.bpm };
  }

  /**
   * The last `count` bars this channel has played (started playing), oldest first, with their
   * notes; empty for a waveform channel, which plays no notes.
   */
  playedBars(count: number): PlayedBar[] {
    if (this.#voice.family !== 'symbolic') return [];
    const played = this.counters.framesPlayed * this.frameSamples;
    const bars = this.#voice.player.history.filter((bar) => bar.startFrame < played);
    return bars.slice(Math.max(0, bars.length - count));
  }

  get mp3EncoderName(): string {
    return this.#mp3Encoder.name;
  }

  /** Seconds of audio generated and waiting to be played. */
  get bufferedSeconds(): Seconds {
    return this.#fifo.frames / this.sampleRate;
  }

  get listenerCount(): number {
    return this.listeners.mp3 + this.listeners.ws;
  }

  /** The next model input: the latent walk's next z, plus the style one-hot for a symbolic model. */
  nextLatent(): Float32Array {
    this.#latentEpoch = this.#epoch;
    const z = this.#walk.next();
    return this.#voice.family === 'waveform' ? z : conditionedInput(z, this.#voice.style);
  }

  /** Takes one generator output, queues its audio, and returns how many seconds it added. */
  async acceptClip(clip: Float32Array): Promise<Seconds> {
    // Made from a latent asked for before a retune: for the old settings, so never played.
    if (this.#latentEpoch !== this.#epoch) return 0;
    const epoch = this.#epoch;
    const voice = this.#voice;
    let frames = 0;
    const queue = (pcm: Float32Array) => {
      if (this.#handover) {
        this.#handover.apply(pcm);
        if (this.#handover.done) this.#handover = undefined;
      }
      this.#fifo.push(pcm);
      frames += pcm.length / this.channels;
    };
    if (voice.family === 'waveform') {
      queue(voice.mixer.push(clip));
    } else {
      for await (const pcm of voice.player.play(clip)) {
        if (this.#epoch !== epoch) break; // retuned while this phrase rendered
        queue(pcm);
      }
    }
    return frames / this.sampleRate;
  }

  /** True once the playback clock runs. */
  get playing(): boolean {
    return this.#clock !== undefined;
  }

  /** Starts the playback clock at `nowMs` (performance.now() ms); the first frame is due one frame later. */
  startPlayback(nowMs: number): void {
    this.#clock ??= new PlaybackClock(this.frameSamples / this.sampleRate, nowMs);
  }

  /** Releases every frame due at `nowMs` (called by the station's timer). */
  tick(nowMs: number): void {
    if (!this.#clock) return;
    const due = this.#clock.due(nowMs);
    const available = Math.floor(this.#fifo.frames / this.frameSamples);
    const count = Math.min(due, available);
    for (let i = 0; i < count; i++) this.#release(this.#fifo.take(this.frameSamples));
    this.#clock.advance(count);
    if (count < due) {
      // Ran dry: the generator fell behind. Skip ahead rather than burst later; count once per episode.
      if (!this.#dry) {
        this.counters.underruns++;
        log.warn({ channel: this.id, missingFrames: due - count }, 'underrun: generator behind real time');
        this.#onProblem?.('WAVECAST_ERR_UNDERRUN', `channel "${this.id}" ran dry: the generator fell behind real time`);
      }
      this.#dry = true;
      this.#clock.forgive(nowMs);
    } else if (count > 0) {
      this.#dry = false;
    }
  }

  #release(frame: Float32Array): void {
    const seq = this.counters.framesPlayed++;
    const duration = this.frameSamples / this.sampleRate;
    if (this.#pendingTitle && seq * this.frameSamples >= this.#pendingTitle.frame) {
      this.#playingTitle = this.#pendingTitle.title;
      this.#pendingTitle = undefined;
    }
    const title = this.title;
    this.#applyVolume(frame);
    for (const format of PCM_FORMATS) {
      const body = this.#pcmEncoders[format].encode(frame);
      const bytes = new Uint8Array(WS_FRAME_HEADER_BYTES + body.length);
      new DataView(bytes.buffer).setUint32(0, seq >>> 0, true);
      bytes.set(body, WS_FRAME_HEADER_BYTES);
      this.pcm[format].push({ bytes, duration, title });
    }
    // Chunks hold whole MP3 frames, so a listener who joins starts on a frame header. Their
    // duration is the frames' own (an encoder holds audio back, a child process more so).
    let mp3: { bytes: Uint8Array; duration: Seconds };
    try {
      mp3 = this.#mp3Frames.push(this.#mp3Encoder.encode(frame));
    } catch (error) {
      if (this.#mp3Encoder.name === 'lamejs') throw error;
      this.#fallBackToLameJs(error);
      mp3 = this.#mp3Frames.push(this.#mp3Encoder.encode(frame));
    }
    if (mp3.bytes.length > 0) this.mp3.push({ bytes: mp3.bytes, duration: mp3.duration, title });
  }

  /** Scales `frame` by the volume, ramping linearly from the last frame's gain. */
  #applyVolume(frame: Float32Array): void {
    const from = this.#gain;
    const to = this.#settings.volume;
    if (from === 1 && to === 1) return;
    const frames = frame.length / this.channels;
    for (let f = 0; f < frames; f++) {
      const gain = from + ((to - from) * (f + 1)) / frames;
      for (let c = 0; c < this.channels; c++) frame[f * this.channels + c] *= gain;
    }
    this.#gain = to;
  }

  #fallBackToLameJs(error: unknown): void {
    if (this.#mp3Encoder.name === 'lamejs') return; // already switched
    // The `lame` child died or stalled: carry on with lamejs, so the stream goes on (the few
    // frames inside the dead child are lost at the switch, never the stream).
    log.error({ err: error, channel: this.id }, 'lame binary failed; switching to lamejs');
    this.#onProblem?.('WAVECAST_ERR_ENCODER', `channel "${this.id}": the lame encoder failed (${(error as Error)?.message ?? error}); carrying on with lamejs`);
    this.#mp3Encoder.dispose();
    this.#mp3Encoder = createMp3Encoder({ ...this.#mp3Options, prefer: 'lamejs' });
    this.#mp3Frames = new Mp3FrameSplitter(); // the dead child's partial frame is dropped
  }

  dispose(): void {
    this.#mp3Encoder.dispose();
    this.#fifo.clear();
  }
}
