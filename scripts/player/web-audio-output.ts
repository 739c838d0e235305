/**
 * The sound output: node-web-audio-api (the Rust Web Audio engine, prebuilt for Linux, macOS and
 * Windows). Each mixed block becomes an AudioBuffer played by its own AudioBufferSourceNode,
 * started at the exact end of the one before, on the context's own sample clock: back to back,
 * sample-accurate, with every buffer's time known in advance. Why this and not a worklet: the
 * mixing (crossfades, cache, volume) stays in plain JS on the main thread where the sockets and
 * files are, the engine's render thread only plays what is scheduled, and a main thread that
 * stalls for less than the lead (`lead`, 0.5 s) is never heard. An AudioWorklet would need the
 * audio posted across threads into a ring buffer for the same result, and a ScriptProcessorNode
 * runs its callback on the main thread at the render's deadline (any stall is heard).
 *
 * `sink: 'none'` renders without a device (the engine's null sink, still paced in real time by
 * its render thread), for tests and headless boxes; `--record` then hears exactly this.
 *
 * If the main thread falls further behind than the lead, the next block starts late: that gap is
 * real silence, so `play` reports it (the recorder writes it) and the schedule restarts ahead.
 *
 * The package's TypeScript declarations pull the whole DOM library into the program, so it is
 * loaded through `require` and typed here with the few members used.
 */
import { createRequire } from 'node:module';
import { OUTPUT_CHANNELS, OUTPUT_RATE } from './output-format.js';
import type { Samples, Seconds } from '../../server/core/units.js';

interface WebAudioBuffer {
  copyToChannel(source: Float32Array, channel: number): void;
}
interface WebAudioContext {
  readonly currentTime: number;
  readonly sampleRate: number;
  readonly destination: unknown;
  close(): Promise<void>;
}
interface WebAudioSourceNode {
  connect(destination: unknown): void;
  start(when: number): void;
}
interface WebAudioModule {
  AudioContext: new (options: { sampleRate: number; latencyHint: string; sinkId?: { type: 'none' } }) => WebAudioContext;
  AudioBuffer: new (options: { numberOfChannels: number; length: number; sampleRate: number }) => WebAudioBuffer;
  AudioBufferSourceNode: new (context: WebAudioContext, options: { buffer: WebAudioBuffer }) => WebAudioSourceNode;
}

export type SinkKind = 'default' | 'none';

/** Thrown when the sound device cannot be opened; says what to do. */
export class SoundOutputError extends Error {
  override name = 'SoundOutputError';
}

/** Seconds between the present and the start of a block that would count as late. */
const LATE_MARGIN: Seconds = 0.005;

export class WebAudioOutput {
  readonly sink: SinkKind;
  readonly #audio: WebAudioModule;
  readonly #context: WebAudioContext;
  readonly #planes = Array.from({ length: OUTPUT_CHANNELS }, () => new Float32Array(0));
  /** Context time of the first block since the last restart, and frames scheduled from it. */
  #base: Seconds;
  #scheduled: Samples = 0;
  /** Blocks that started late, and the silence that made. */
  lateBlocks = 0;
  gapFrames = 0;

  private constructor(sink: SinkKind, audio: WebAudioModule, context: WebAudioContext, lead: Seconds) {
    this.sink = sink;
    this.#audio = audio;
    this.#context = context;
    this.#base = context.currentTime + lead;
  }

  /**
   * Opens the output. The first block plays `lead` seconds from now.
   *
   * @throws SoundOutputError when no device can be opened (with `sink: 'default'`)
   */
  static open(sink: SinkKind, lead: Seconds): WebAudioOutput {
    const audio = createRequire(import.meta.url)('node-web-audio-api') as WebAudioModule;
    let context: WebAudioContext;
    try {
      context = new audio.AudioContext({
        sampleRate: OUTPUT_RATE,
        // 'playback': larger render quanta, no crackle on ALSA (the package's README); latency does not matter here.
        latencyHint: 'playback',
        ...(sink === 'none' ? { sinkId: { type: 'none' as const } } : {}),
      });
    } catch (error) {
      throw new SoundOutputError(
        `no sound output could be opened (${(error as Error).message}): check the machine's sound setup ` +
          '(ALSA, PulseAudio/PipeWire or JACK, and that this user may use the device), or run without one: --sink none',
        { cause: error },
      );
    }
    return new WebAudioOutput(sink, audio, context, lead);
  }

  /** Seconds of audio scheduled beyond the present. */
  ahead(): Seconds {
    return this.#nextTime() - this.#context.currentTime;
  }

  /** Where the next block starts: counted in whole frames from the base, so no rounding accumulates. */
  #nextTime(): Seconds {
    return this.#base + this.#scheduled / OUTPUT_RATE;
  }

  /**
   * Schedules `frames` frames of interleaved stereo right after the previous block.
   *
   * @returns frames of silence heard before it because it came late (0 normally)
   */
  play(block: Float32Array, frames: Samples, lead: Seconds): Samples {
    let gap = 0;
    const now = this.#context.currentTime;
    if (this.#nextTime() < now + LATE_MARGIN) {
      const restart = now + lead;
      gap = Math.round((restart - this.#nextTime()) * OUTPUT_RATE);
      this.#base = restart;
      this.#scheduled = 0;
      this.lateBlocks++;
      this.gapFrames += gap;
    }
    const buffer = new this.#audio.AudioBuffer({ numberOfChannels: OUTPUT_CHANNELS, length: frames, sampleRate: OUTPUT_RATE });
    for (let c = 0; c < OUTPUT_CHANNELS; c++) {
      if (this.#planes[c].length !== frames) this.#planes[c] = new Float32Array(frames);
      const plane = this.#planes[c];
      for (let f = 0; f < frames; f++) plane[f] = block[f * OUTPUT_CHANNELS + c];
      buffer.copyToChannel(plane, c);
    }
    const node = new this.#audio.AudioBufferSourceNode(this.#context, { buffer });
    node.connect(this.#context.destination);
    node.start(this.#nextTime());
    this.#scheduled += frames;
    return gap;
  }

  /** Resolves when everything scheduled has played. */
  async drain(): Promise<void> {
    const wait = this.ahead();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 20));
  }

  async close(): Promise<void> {
    await this.#context.close();
  }
}
