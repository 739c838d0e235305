/**
 * The one boundary between the stream engine and the neural models. Callers never know which
 * engine (onnxruntime, tfjs) or which family sits behind it: a model takes input vectors of
 * `info.inputSize` values and returns outputs of `info.outputSize` values, and its family's
 * Voice knows what they mean.
 *
 * Lifecycle as in magenta-js: a cheap constructor, `await initialize()`, then any number of
 * `generate()` calls, then `dispose()`.
 */
import type { ModelInfo } from '../families/model.js';

export type { ModelInfo };

export interface Generator {
  /** What the model is and takes; valid after initialize(). */
  readonly info: ModelInfo;
  /** Which engine runs it, e.g. `onnx-cpu`, `onnx-cuda`, `tfjs-wasm`. Valid after initialize(). */
  readonly engine: string;
  initialize(): Promise<void>;
  /**
   * One output per input vector, in order, all run as one batch: for a waveform model a mono
   * clip in [-1, 1], for a symbolic model a phrase of piano-roll probabilities. Each input has
   * `info.inputSize` values; each output `info.outputSize`.
   */
  generate(latents: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
