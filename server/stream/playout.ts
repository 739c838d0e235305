/**
 * The release side of a channel: the audio generated ahead of real time waits here, and the
 * playback clock takes it out frame by frame, ramps the volume and hands each frame, numbered and
 * titled, to the sink. A change cuts what is queued after a lead and fades the new audio in over
 * what it cut (HandoverFade), so the stream never gaps or clicks.
 *
 *   push ─► LoudnessControl ─► (HandoverFade) ─► PcmFifo ─(PlaybackClock)─► rampGain ─┬─► FrameSink
 *                                                                                    └─► LoudnessMeter (what listeners hear)
 *
 * The loudness control sits before the queue and belongs to the channel, not to a voice, so a
 * change of model or instrument keeps the level where it was and the control trims it from there.
 */
import type { WavecastErrorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Decibels, Hz, Lufs, Samples, Seconds } from '../core/units.js';
import { rampGain } from '../dsp/gain-ramp.js';
import { HandoverFade } from '../dsp/handover-fade.js';
import { LoudnessControl, type LoudnessControlOptions } from '../dsp/loudness-control.js';
import { LoudnessMeter } from '../dsp/loudness-meter.js';
import { PcmFifo } from './pcm-fifo.js';
import { PlaybackClock } from './playback-clock.js';
import { TitleSchedule } from './title-schedule.js';

const log = logger('playout');

/** One released frame of a channel: interleaved PCM, its place in the stream and what it is. */
export interface ChannelFrame {
  readonly pcm: Float32Array;
  /** Frames released before it (contiguous from 0). */
  readonly seq: number;
  readonly duration: Seconds;
  readonly title: string;
}

/** Where a channel's frames go (broadcast/channel-output.ts encodes them for the listeners). */
export interface FrameSink {
  write(frame: ChannelFrame): void;
}

export interface PlayoutOptions {
  /** The channel's id, for logs and problems. */
  id: string;
  sampleRate: Hz;
  channels: 1 | 2;
  /** Frames of audio per released frame. */
  frameSamples: Samples;
  /** Starting level, 0–1. */
  volume: number;
  title: string;
  /** The channel's loudness target, peak ceiling, window and slew (server.loudness, channel.loudness). */
  loudness: Omit<LoudnessControlOptions, 'sampleRate' | 'channels'>;
  sink: FrameSink;
  /** Told when the channel runs dry (once per episode). */
  onProblem?: (code: WavecastErrorCode, message: string) => void;
}

/** A channel's loudness as its listeners hear it, and the gain its control applies. */
export interface LoudnessReading {
  /** Last 3 s, LUFS (−Infinity before 3 s of audio). */
  shortTerm: Lufs;
  /** Since the channel started, gated, LUFS. */
  integrated: Lufs;
  /** The loudness control's gain now, dB. */
  gain: Decibels;
}

export class Playout {
  readonly counters = { underruns: 0, framesPlayed: 0 };
  readonly titles: TitleSchedule;
  readonly #options: PlayoutOptions;
  readonly #fifo: PcmFifo;
  readonly #control: LoudnessControl;
  readonly #meter: LoudnessMeter;
  #clock?: PlaybackClock;
  #handover?: HandoverFade;
  /** Level asked for, and the level the last frame ended on (a change ramps across one frame). */
  #volume: number;
  #gain: number;
  #dry = false;

  constructor(options: PlayoutOptions) {
    this.#options = options;
    this.titles = new TitleSchedule(options.title);
    this.#fifo = new PcmFifo(options.channels);
    this.#volume = this.#gain = options.volume;
    const { sampleRate, channels } = options;
    this.#control = new LoudnessControl({ sampleRate, channels, ...options.loudness });
    // Loudness only: true peak is the limiter's job, and its 4× oversampling would cost more than the rest.
    this.#meter = new LoudnessMeter({ sampleRate, channels, peaks: false });
  }

  /** The loudness listeners hear (after the volume), and the control's gain. */
  get loudness(): LoudnessReading {
    const meter = this.#meter;
    return { shortTerm: meter.shortTerm, integrated: meter.integrated, gain: this.#control.gain };
  }

  /** Frames generated and waiting to be played. */
  get bufferedFrames(): Samples {
    return this.#fifo.frames;
  }

  /** Stream frame (sample frames since start) of the next audio released. */
  get playedFrames(): Samples {
    return this.counters.framesPlayed * this.#options.frameSamples;
  }

  get volume(): number {
    return this.#volume;
  }

  /** Output level, 0–1; applied to the next frame released, ramped across it. */
  set volume(value: number) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`volume must be in [0, 1], got ${value}`);
    this.#volume = value;
  }

  /** The whole released frames of queued audio a change keeps: `lead` frames, or all there is. */
  keptFrames(lead: Samples): Samples {
    const { frameSamples } = this.#options;
    const whole = (frames: number) => Math.floor(frames / frameSamples) * frameSamples;
    return Math.min(Math.ceil(lead / frameSamples) * frameSamples, whole(this.#fifo.frames));
  }

  /** Keeps `keep` frames (keptFrames) of the queue; what follows the new audio fades in over the rest. */
  cutAndFade(keep: Samples, fadeFrames: Samples): void {
    this.#handover = new HandoverFade(this.#fifo.cut(keep), this.#options.channels, Math.max(1, fadeFrames));
  }

  /** Queues generated audio (interleaved): brought to the loudness target, faded over what a change cut while the fade lasts. */
  push(pcm: Float32Array): void {
    this.#control.process(pcm);
    this.#handover?.apply(pcm);
    if (this.#handover?.done) this.#handover = undefined;
    this.#fifo.push(pcm);
  }

  /** True once the playback clock runs. */
  get playing(): boolean {
    return this.#clock !== undefined;
  }

  /** Starts the clock at `nowMs` (performance.now() ms); the first frame is due one frame later. */
  start(nowMs: number): void {
    const { frameSamples, sampleRate } = this.#options;
    this.#clock ??= new PlaybackClock(frameSamples / sampleRate, nowMs);
  }

  /** Releases every frame due at `nowMs` (called by the station's timer). */
  tick(nowMs: number): void {
    if (!this.#clock) return;
    const { frameSamples, id } = this.#options;
    const due = this.#clock.due(nowMs);
    const count = Math.min(due, Math.floor(this.#fifo.frames / frameSamples));
    for (let i = 0; i < count; i++) this.#release(this.#fifo.take(frameSamples));
    this.#clock.advance(count);
    if (count < due) {
      // Ran dry: the generator fell behind. Skip ahead rather than burst later; count once per episode.
      if (!this.#dry) {
        this.counters.underruns++;
        log.warn({ channel: id, missingFrames: due - count }, 'underrun: generator behind real time');
        this.#options.onProblem?.('WAVECAST_ERR_UNDERRUN', `channel "${id}" ran dry: the generator fell behind real time`);
      }
      this.#dry = true;
      this.#clock.forgive(nowMs);
    } else if (count > 0) {
      this.#dry = false;
    }
  }

  #release(pcm: Float32Array): void {
    const { channels, frameSamples, sampleRate, sink } = this.#options;
    const seq = this.counters.framesPlayed++;
    const title = this.titles.at(seq * frameSamples);
    rampGain(pcm, channels, this.#gain, this.#volume);
    this.#gain = this.#volume;
    this.#meter.push(pcm);
    sink.write({ pcm, seq, duration: frameSamples / sampleRate, title });
  }

  clear(): void {
    this.#fifo.clear();
  }
}
