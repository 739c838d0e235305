/**
 * The one boundary between the stream engine and the neural models. Callers never know which
 * engine (onnxruntime, tfjs) or which family (waveform, symbolic) sits behind it.
 *
 * Lifecycle as in magenta-js: a cheap constructor, `await initialize()`, then any number of
 * `generate()` calls, then `dispose()`.
 */
import type { Hz, Samples } from '../units.js';

/** What a loaded model tells the stream engine about its clips. */
export interface GeneratorInfo {
  /** Checkpoint id (the folder name under models/). */
  readonly id: string;
  readonly family: 'waveform' | 'symbolic';
  /** Human name of what it sounds like, shown in stream titles ("drums", "piano", …). */
  readonly instrument: string;
  /** Sample rate of the clips it returns. */
  readonly sampleRate: Hz;
  /** Length of each clip, in sample frames (mono). */
  readonly clipSamples: Samples;
  /** Length of each latent vector it takes. */
  readonly latentDim: number;
  /** False for a checkpoint that never saw training data (random weights). */
  readonly trained: boolean;
}

export interface Generator {
  readonly info: GeneratorInfo;
  /** Which engine runs it, e.g. `onnx-cpu`, `onnx-cuda`, `tfjs-wasm`. Valid after initialize(). */
  readonly engine: string;
  initialize(): Promise<void>;
  /**
   * One mono clip of `info.clipSamples` samples in [-1, 1] per latent vector, in order.
   * All latents of a call run as one batch.
   */
  generate(latents: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
