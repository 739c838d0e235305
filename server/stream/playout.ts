/**
 * The release side of a channel: the audio generated ahead of real time waits here, and the
 * playback clock takes it out frame by frame, ramps the volume and hands each frame, numbered and
 * titled, to the sink. A change cuts what is queued after a lead and fades the new audio in over
 * what it cut (HandoverFade), so the stream never gaps or clicks. When the generator cannot keep
 * up (it failed, its worker is restarting) and the queue runs dry, the last `dryFill` seconds
 * played are looped (DryFill), blended in over the last queued frame and out again over the first
 * new one: listeners hear a repeat, never silence, and the clock never stops.
 *
 *   push ─► LoudnessControl ─► (HandoverFade) ─► PcmFifo ─(PlaybackClock)─┬───────────────► rampGain ─┬─► FrameSink
 *                                                                        └► DryFill (dry) ─┘          └─► LoudnessMeter (what listeners hear)
 *
 * The loudness control sits before the queue and belongs to the channel, not to a voice, so a
 * change of model or instrument keeps the level where it was and the control trims it from there.
 */
import type { WavecastErrorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Decibels, Hz, Lufs, Samples, Seconds } from '../core/units.js';
import { rampGain } from '../dsp/gain-ramp.js';
import { blendInto, DryFill } from '../dsp/dry-fill.js';
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
  /**
   * Seconds of the most recent audio looped while the channel runs dry (server.dryFill); 0 or
   * none: a dry channel releases nothing until audio comes (listeners hear a gap).
   */
  dryFill?: Seconds;
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
  /** Frames released (`framesPlayed`), of them looped while dry (`filledFrames`), and dry episodes (`underruns`). */
  readonly counters = { underruns: 0, framesPlayed: 0, filledFrames: 0 };
  readonly titles: TitleSchedule;
  readonly #options: PlayoutOptions;
  readonly #fifo: PcmFifo;
  readonly #control: LoudnessControl;
  readonly #meter: LoudnessMeter;
  #clock?: PlaybackClock;
  #handover?: HandoverFade;
  readonly #fill?: DryFill;
  /** Level asked for, and the level the last frame ended on (a change ramps across one frame). */
  #volume: number;
  #gain: number;
  #dry = false;
  /** Frames looped in the current dry episode (for the log). */
  #episodeFilled = 0;

  constructor(options: PlayoutOptions) {
    this.#options = options;
    this.titles = new TitleSchedule(options.title);
    this.#fifo = new PcmFifo(options.channels);
    this.#volume = this.#gain = options.volume;
    const { sampleRate, channels } = options;
    this.#control = new LoudnessControl({ sampleRate, channels, ...options.loudness });
    // Loudness only: true peak is the limiter's job, and its 4× oversampling would cost more than the rest.
    this.#meter = new LoudnessMeter({ sampleRate, channels, peaks: false });
    const loopFrames = Math.round((options.dryFill ?? 0) * sampleRate);
    if (loopFrames > 0) this.#fill = new DryFill({ channels, loopFrames, seamFrames: options.frameSamples });
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

  /**
   * Stream frame of the next queued audio released: frames of generated audio played since start
   * (a voice's bar grid counts these; frames looped while dry are not among them).
   */
  get playedFrames(): Samples {
    return (this.counters.framesPlayed - this.counters.filledFrames) * this.#options.frameSamples;
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
    const due = this.#clock.due(nowMs);
    let count = 0;
    while (count < due && this.#releaseNext()) count++;
    this.#clock.advance(count);
    if (count < due) {
      // Ran dry with nothing to loop: skip ahead rather than burst later.
      this.#runDry(due - count);
      this.#clock.forgive(nowMs);
    } else if (count > 0 && !this.#fill?.playing) {
      this.#dry = false;
    }
  }

  /** Releases the next frame: queued audio, or the loop while dry. False when there is neither. */
  #releaseNext(): boolean {
    const { frameSamples, channels } = this.#options;
    const fill = this.#fill;
    if (fill?.playing) {
      const loop = fill.next(new Float32Array(frameSamples * channels));
      // Two frames queued: the first is blended in over the loop, and one is left to follow it.
      if (this.#fifo.frames < 2 * frameSamples) return this.#release(loop, false);
      fill.stop();
      this.#dry = false;
      log.info({ channel: this.#options.id, filledSeconds: this.#episodeFilled * (frameSamples / this.#options.sampleRate) }, 'generated audio again: the loop fades out');
      return this.#release(blendInto(this.#take(), loop, channels), true);
    }
    if (this.#fifo.frames < frameSamples) {
      // Dry without warning (a cut queue, a channel that never filled): loop from here, if there is anything to loop.
      if (!fill?.start()) return false;
      this.#runDry(1);
      return this.#release(fill.next(new Float32Array(frameSamples * channels)), false);
    }
    const pcm = this.#take();
    // This was the last whole frame queued: blend it into the loop now, while there is real audio
    // to fade out of, rather than jump into the loop at the next frame.
    if (fill && this.#fifo.frames < frameSamples && fill.start()) {
      this.#runDry(0);
      return this.#release(blendInto(fill.next(new Float32Array(frameSamples * channels)), pcm, channels), true);
    }
    return this.#release(pcm, true);
  }

  /** The next queued frame, kept by the dry fill as recent audio. */
  #take(): Float32Array {
    const pcm = this.#fifo.take(this.#options.frameSamples);
    this.#fill?.record(pcm);
    return pcm;
  }

  /** The generator fell behind: counted, logged and told once per episode. */
  #runDry(missingFrames: number): void {
    if (this.#dry) return;
    const { id, dryFill } = this.#options;
    this.#dry = true;
    this.#episodeFilled = 0;
    this.counters.underruns++;
    const looping = this.#fill?.playing === true;
    log.warn({ channel: id, missingFrames, looping }, 'underrun: generator behind real time');
    const what = looping ? `; replaying its last ${dryFill} s until it catches up` : '';
    this.#options.onProblem?.('WAVECAST_ERR_UNDERRUN', `channel "${id}" ran dry: the generator fell behind real time${what}`);
  }

  /** `queued`: the frame carries queued audio (it moves the stream position); else it is all loop. */
  #release(pcm: Float32Array, queued: boolean): true {
    const { channels, frameSamples, sampleRate, sink } = this.#options;
    const title = this.titles.at(this.playedFrames);
    const seq = this.counters.framesPlayed++;
    if (!queued) {
      this.counters.filledFrames++;
      this.#episodeFilled++;
    }
    rampGain(pcm, channels, this.#gain, this.#volume);
    this.#gain = this.#volume;
    this.#meter.push(pcm);
    sink.write({ pcm, seq, duration: frameSamples / sampleRate, title });
    return true;
  }

  clear(): void {
    this.#fifo.clear();
  }
}
