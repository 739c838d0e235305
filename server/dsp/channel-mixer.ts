/**
 * The mixer of one channel: turns the generator's clips into one endless, click-free, never-clipping
 * PCM stream at the channel's rate, ready for the encoder.
 *
 *   clip (mono, modelRate)
 *     │
 *     ├─ removeDc ─────────── each clip's mean to zero, so joins meet around 0
 *     ├─ ClipJoiner ───────── equal-power crossfade over `crossfade` seconds (default 0.25)
 *     ├─ Resampler ────────── modelRate → outputRate (default 44100), band-limited polyphase
 *     ├─ upmix ────────────── mono → `channels` (1 or 2, default 2), interleaved
 *     └─ Limiter ──────────── look-ahead peak limiter, |sample| ≤ ceiling (default 0.98)
 *     │
 *   interleaved PCM frames (outputRate) → encoder
 */
import { WavecastError } from '../core/errors.js';
import { secondsToSamples, type GainFactor, type Hz, type Samples, type Seconds } from '../core/units.js';
import { ClipJoiner } from './clip-joiner.js';
import { removeDc } from './dc-removal.js';
import { LIMITER_DEFAULTS, Limiter } from './limiter.js';
import { checkOption } from './option-check.js';
import { Resampler } from './resampler.js';

export interface ChannelMixerOptions {
  /** Sample rate of the generator's clips. */
  modelRate: Hz;
  /** Sample rate of the stream. */
  outputRate?: Hz;
  /** Channels of the stream (the mono clip is copied to each). */
  channels?: 1 | 2;
  /** Length of the crossfade between consecutive clips. */
  crossfade?: Seconds;
  /** Peak ceiling of the limiter. */
  limiterCeiling?: GainFactor;
  /** Look-ahead of the limiter (adds as much delay). */
  limiterLookahead?: Seconds;
  /** Release time constant of the limiter. */
  limiterRelease?: Seconds;
}

export class ChannelMixer {
  readonly modelRate: Hz;
  readonly outputRate: Hz;
  readonly channels: 1 | 2;
  /** Crossfade length in model samples (the crossfade rounded to whole samples). */
  readonly overlap: Samples;
  private readonly joiner: ClipJoiner;
  private readonly resampler: Resampler;
  private readonly limiter: Limiter;
  /** Scratch for the DC-removed, joined clip and for the resampled mono signal; grown, never shrunk. */
  private joined = new Float32Array(0);
  private resampled = new Float32Array(0);

  /**
   * @param options.modelRate - clip sample rate, a positive whole number of hertz
   * @param [options.outputRate=44100] - stream sample rate, a positive whole number of hertz
   * @param [options.channels=2] - 1 (mono) or 2 (stereo, interleaved)
   * @param [options.crossfade=0.25] - crossfade between clips in seconds, ≥ 0 and at most half a clip
   * @param [options.limiterCeiling=0.98] - largest absolute output sample, in (0, 1]
   * @param [options.limiterLookahead=0.005] - limiter look-ahead in seconds, from 0 to 1
   * @param [options.limiterRelease=0.1] - limiter release time constant in seconds, ≥ 0
   * @example
   * const mixer = new ChannelMixer({ modelRate: 16000 });
   * for (const clip of await generator.generate(latents)) encoder.encode(mixer.push(clip));
   */
  constructor(options: ChannelMixerOptions) {
    const {
      modelRate,
      outputRate = 44100,
      channels = 2,
      crossfade = 0.25,
      limiterCeiling = LIMITER_DEFAULTS.ceiling,
      limiterLookahead = LIMITER_DEFAULTS.lookahead,
      limiterRelease = LIMITER_DEFAULTS.release,
    } = options;
    const owner = 'ChannelMixer';
    const rateRule = 'must be a positive whole number of hertz';
    checkOption(Number.isInteger(modelRate) && modelRate > 0, owner, 'modelRate', modelRate, rateRule);
    checkOption(Number.isInteger(outputRate) && outputRate > 0, owner, 'outputRate', outputRate, rateRule);
    checkOption(channels === 1 || channels === 2, owner, 'channels', channels, 'must be 1 or 2');
    checkOption(Number.isFinite(crossfade) && crossfade >= 0, owner, 'crossfade', crossfade,
      'must be a number of seconds ≥ 0');
    checkOption(limiterCeiling > 0 && limiterCeiling <= 1, owner, 'limiterCeiling', limiterCeiling,
      'must be in (0, 1]');
    checkOption(Number.isFinite(limiterLookahead) && limiterLookahead >= 0 && limiterLookahead <= 1, owner,
      'limiterLookahead', limiterLookahead, 'must be from 0 to 1 second');
    checkOption(Number.isFinite(limiterRelease) && limiterRelease >= 0, owner, 'limiterRelease', limiterRelease,
      'must be a number of seconds ≥ 0');
    this.modelRate = modelRate;
    this.outputRate = outputRate;
    this.channels = channels;
    this.overlap = secondsToSamples(crossfade, modelRate);
    this.joiner = new ClipJoiner({ overlap: this.overlap });
    this.resampler = new Resampler({ inputRate: modelRate, outputRate });
    this.limiter = new Limiter({
      sampleRate: outputRate,
      channels,
      ceiling: limiterCeiling,
      lookahead: limiterLookahead,
      release: limiterRelease,
    });
  }

  /**
   * How far the stream lags the joined clips: the resampler's group delay plus the limiter's
   * look-ahead. (The held crossfade tail is buffering, not delay: `push` returns final audio.)
   */
  get latency(): Seconds {
    return (this.resampler.latency + this.limiter.latency) / this.outputRate;
  }

  /** How much new audio a clip of `clipSamples` adds to the stream: (clipSamples − overlap) / modelRate. */
  secondsPerClip(clipSamples: Samples): Seconds {
    return (clipSamples - this.overlap) / this.modelRate;
  }

  /**
   * Mixes the next clip into the stream.
   *
   * @param clip - mono samples at `modelRate`, at least two crossfades long; not modified
   * @returns a new array of interleaved frames at `outputRate`, ready to play (about
   *   `secondsPerClip(clip.length)` of audio; the exact count varies by a frame with the phase)
   */
  push(clip: Float32Array): Float32Array {
    if (clip.length < 2 * this.overlap) {
      throw new WavecastError(
        'WAVECAST_ERR_CONFIG',
        `ChannelMixer option "crossfade" (${this.overlap} samples at ${this.modelRate} Hz) is longer ` +
          `than half a clip (clips have ${clip.length} samples)`,
      );
    }
    if (this.joined.length < clip.length) this.joined = new Float32Array(clip.length);
    const centred = removeDc(clip, this.joined);
    const joined = this.joiner.push(centred.subarray(0, clip.length), centred);

    const frames = this.resampler.outputLengthFor(joined.length);
    if (this.resampled.length < frames) this.resampled = new Float32Array(frames);
    this.resampler.processInto(joined, this.resampled, 0);

    const channels = this.channels;
    const out = new Float32Array(frames * channels);
    if (channels === 1) {
      out.set(this.resampled.subarray(0, frames));
    } else {
      const resampled = this.resampled;
      for (let i = 0, o = 0; i < frames; i++, o += 2) {
        out[o] = resampled[i];
        out[o + 1] = resampled[i];
      }
    }
    this.limiter.processInto(out, out, 0);
    return out;
  }
}
