/**
 * The clock that paces a channel's output: it says how many frames are due at a given moment
 * (wall time since start × frame rate, minus what was released), so output follows real time
 * however irregular the timer ticks are. The generator runs ahead of it; it never waits for the
 * generator. When the channel runs dry the clock re-anchors rather than building a debt it would
 * later pay back as a burst.
 */
import type { Seconds } from '../core/units.js';

export class PlaybackClock {
  /** Seconds of audio one frame holds. */
  readonly frameDuration: Seconds;
  #anchorMs: number;
  #released = 0;

  constructor(frameDuration: Seconds, nowMs: number) {
    this.frameDuration = frameDuration;
    this.#anchorMs = nowMs;
  }

  /** Frames released since the start. */
  get released(): number {
    return this.#released;
  }

  /** Frames that should have been released by `nowMs` and were not yet. */
  due(nowMs: number): number {
    const elapsedFrames = Math.floor((nowMs - this.#anchorMs) / 1000 / this.frameDuration);
    return Math.max(0, elapsedFrames - this.#released);
  }

  /** Records that `frames` frames were released. */
  advance(frames: number): void {
    this.#released += frames;
  }

  /**
   * Forgives the frames that were due but could not be played (the channel ran dry): time moves
   * on from `nowMs` instead of owing the missed audio.
   */
  forgive(nowMs: number): void {
    this.#anchorMs = nowMs - this.#released * this.frameDuration * 1000;
  }
}
