/**
 * The low-latency player's jitter buffer: a ring of interleaved samples between the network
 * (bursty, 50 ms frames) and the audio thread (steady, 128-frame quanta). Pure: no clock, no
 * messages, no allocation after construction, so it runs inside the AudioWorklet's render
 * callback.
 *
 *   push(frame) ─► [ ring: oldest … newest ] ─► pull(quantum)
 *                   │ grows past max → drop oldest (latency stays bounded)
 *                   │ empty while playing → underrun: silence, refill to target, then play
 */

/** Filling: silent until the target fill is reached. Playing: draining the ring. */
export type JitterState = 'filling' | 'playing';

export interface JitterBufferOptions {
  /** Interleaved channels per sample frame. */
  channels: number;
  /** Sample frames to collect before playing (at start and after an underrun). */
  targetFrames: number;
  /** Sample frames kept at most; older audio is dropped beyond it. */
  maxFrames: number;
}

export class JitterBuffer {
  readonly channels: number;
  readonly targetFrames: number;
  readonly maxFrames: number;
  state: JitterState = 'filling';
  /** Times playback ran dry after it had started. */
  underruns = 0;
  /** Sample frames thrown away because the ring passed maxFrames. */
  droppedFrames = 0;
  #ring: Float32Array;
  /** Index (in sample frames) of the oldest buffered frame. */
  #readFrame = 0;
  #bufferedFrames = 0;

  constructor(options: JitterBufferOptions) {
    if (!(options.channels >= 1)) throw new RangeError(`channels must be at least 1, got ${options.channels}`);
    if (!(options.targetFrames >= 0 && options.targetFrames <= options.maxFrames)) {
      throw new RangeError(`targetFrames must be in [0, maxFrames=${options.maxFrames}], got ${options.targetFrames}`);
    }
    this.channels = options.channels;
    this.targetFrames = options.targetFrames;
    this.maxFrames = options.maxFrames;
    this.#ring = new Float32Array(options.maxFrames * options.channels);
  }

  get bufferedFrames(): number {
    return this.#bufferedFrames;
  }

  /** Appends interleaved samples; drops the oldest audio when the ring would pass maxFrames. */
  push(interleaved: Float32Array): void {
    const { channels, maxFrames } = this;
    let frames = Math.floor(interleaved.length / channels);
    let sourceFrame = 0;
    if (frames > maxFrames) {
      // More than the whole ring in one go: only its newest part can be kept.
      this.droppedFrames += frames - maxFrames;
      sourceFrame = frames - maxFrames;
      frames = maxFrames;
    }
    const overflow = this.#bufferedFrames + frames - maxFrames;
    if (overflow > 0) {
      this.#readFrame = (this.#readFrame + overflow) % maxFrames;
      this.#bufferedFrames -= overflow;
      this.droppedFrames += overflow;
    }
    let writeFrame = (this.#readFrame + this.#bufferedFrames) % maxFrames;
    let remaining = frames;
    while (remaining > 0) {
      const run = Math.min(remaining, maxFrames - writeFrame);
      this.#ring.set(
        interleaved.subarray(sourceFrame * channels, (sourceFrame + run) * channels),
        writeFrame * channels,
      );
      sourceFrame += run;
      writeFrame = (writeFrame + run) % maxFrames;
      remaining -= run;
    }
    this.#bufferedFrames += frames;
  }

  /**
   * Fills `outputs` (one planar array per output channel, all `frames` long) from the ring, or
   * with silence while filling. Output channels beyond the stream's repeat its last channel
   * (mono to stereo); stream channels beyond the outputs are left out.
   */
  pull(outputs: Float32Array[], frames: number): void {
    if (this.state === 'filling' && this.#bufferedFrames >= Math.max(this.targetFrames, 1)) this.state = 'playing';
    let played = 0;
    if (this.state === 'playing') {
      played = Math.min(frames, this.#bufferedFrames);
      this.#copyOut(outputs, played);
      if (played < frames) {
        this.underruns++;
        this.state = 'filling';
      }
    }
    for (const output of outputs) output.fill(0, played, frames);
  }

  #copyOut(outputs: Float32Array[], frames: number): void {
    const { channels, maxFrames } = this;
    const ring = this.#ring;
    for (let c = 0; c < outputs.length; c++) {
      const output = outputs[c];
      const source = Math.min(c, channels - 1);
      let frame = this.#readFrame;
      for (let i = 0; i < frames; i++) {
        output[i] = ring[frame * channels + source];
        frame = frame + 1 === maxFrames ? 0 : frame + 1;
      }
    }
    this.#readFrame = (this.#readFrame + frames) % maxFrames;
    this.#bufferedFrames -= frames;
  }
}
