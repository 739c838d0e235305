/**
 * How one listener's audio arrived: the time to the first audio byte, the audio received in the
 * window after the burst (from `settleMs` after the first byte on), and the silences between
 * arrivals (those over `stallMs` are stalls). Times are performance.now() milliseconds.
 */
import type { ListenerResult } from './listener-result.js';

/** What every listener reports, whatever its kind. */
export type Measured = Pick<ListenerResult, 'ttfbMs' | 'audioSeconds' | 'windowSeconds' | 'windowAudioSeconds' | 'stalls' | 'longestSilenceMs' | 'ended'>;

export class ArrivalMeter {
  /** When the listener opened its connection. */
  readonly openedAt = performance.now();
  /** Seconds of audio received in all. */
  audioSeconds = 0;
  stalls = 0;
  longestSilenceMs = 0;
  firstAudioAt: number | undefined;
  readonly #settleMs: number;
  readonly #stallMs: number;
  #last: number | undefined;
  /** The audio received before the window started, once it has. */
  #beforeWindow: number | undefined;
  #stoppedAt: number | undefined;
  #stopped: string | undefined;

  constructor(options: { settleMs: number; stallMs: number }) {
    this.#settleMs = options.settleMs;
    this.#stallMs = options.stallMs;
  }

  /** Bytes arrived at `now` holding `audioSeconds` of audio (0 for metadata or a title). */
  arrived(now: number, audioSeconds: number): void {
    if (audioSeconds > 0 && this.firstAudioAt === undefined) this.firstAudioAt = now;
    if (this.firstAudioAt === undefined) return;
    // Nothing arrived between the window's start and now: what came before is the count at its start.
    if (this.#beforeWindow === undefined && now >= this.firstAudioAt + this.#settleMs) this.#beforeWindow = this.audioSeconds;
    if (this.#last !== undefined) this.#silence(now);
    this.#last = now;
    this.audioSeconds += audioSeconds;
  }

  /** The listener ended at `now` (the run's end, or its stream's): the window's length and audio. */
  end(now: number): { windowSeconds: number; windowAudioSeconds: number } {
    if (this.#last !== undefined) this.#silence(now);
    if (this.firstAudioAt === undefined) return { windowSeconds: 0, windowAudioSeconds: 0 };
    const windowStart = this.firstAudioAt + this.#settleMs;
    if (now <= windowStart) return { windowSeconds: 0, windowAudioSeconds: 0 };
    return { windowSeconds: (now - windowStart) / 1000, windowAudioSeconds: this.audioSeconds - (this.#beforeWindow ?? this.audioSeconds) };
  }

  /** The stream ended or failed, now, for `why`; later calls keep the first. */
  stop(why: string): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = why;
    this.#stoppedAt = performance.now();
  }

  /** What the listener measured; the run ends now if its stream has not (reported without `ended`). */
  measured(): Measured {
    const ended = this.#stopped;
    const endedAt = this.#stoppedAt ?? performance.now();
    this.stop('finished');
    return {
      ttfbMs: this.firstAudioAt === undefined ? null : this.firstAudioAt - this.openedAt,
      audioSeconds: this.audioSeconds,
      ...this.end(endedAt),
      stalls: this.stalls,
      longestSilenceMs: this.longestSilenceMs,
      ...(ended === undefined ? {} : { ended }),
    };
  }

  #silence(now: number): void {
    const silence = now - this.#last!;
    if (silence > this.longestSilenceMs) this.longestSilenceMs = silence;
    if (silence > this.#stallMs) this.stalls++;
  }
}
