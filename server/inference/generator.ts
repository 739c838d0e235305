/**
 * The one boundary between the stream engine and the neural models. Callers never know which
 * engine (onnxruntime, tfjs) or which family (waveform, symbolic) sits behind it.
 *
 * Lifecycle as in magenta-js: a cheap constructor, `await initialize()`, then any number of
 * `generate()` calls, then `dispose()`.
 */
import { PHRASE_VALUES, type Style } from '../families/symbolic/piano-roll.js';
import type { Hz, Samples } from '../core/units.js';

interface CommonInfo {
  /** Checkpoint id (the folder name under models/). */
  readonly id: string;
  /** Human name of what it sounds like, shown in stream titles ("drums", "piano", …). */
  readonly instrument: string;
  /** Length of each latent vector z. */
  readonly latentDim: number;
  /** False for a checkpoint that never saw training data (random weights). */
  readonly trained: boolean;
}

/** A waveform model (WaveGAN): z → one mono audio clip. */
export interface WaveformInfo extends CommonInfo {
  readonly family: 'waveform';
  /** Sample rate of the clips it returns. */
  readonly sampleRate: Hz;
  /** Length of each clip, in sample frames (mono). */
  readonly clipSamples: Samples;
}

/** A symbolic model: z ⊕ style one-hot → one 4-bar piano-roll phrase (probabilities, piano-roll.ts). */
export interface SymbolicInfo extends CommonInfo {
  readonly family: 'symbolic';
  /** The styles it is conditioned on, in one-hot order. */
  readonly styles: readonly Style[];
}

/** What a loaded model tells the stream engine about its outputs. */
export type GeneratorInfo = WaveformInfo | SymbolicInfo;

/** Values in each input vector: z, plus the style one-hot for a symbolic model. */
export function inputSize(info: GeneratorInfo): number {
  return info.family === 'symbolic' ? info.latentDim + info.styles.length : info.latentDim;
}

/** Values in each output: a clip's samples, or a phrase's piano-roll cells. */
export function outputSize(info: GeneratorInfo): number {
  return info.family === 'symbolic' ? PHRASE_VALUES : info.clipSamples;
}

export interface Generator {
  readonly info: GeneratorInfo;
  /** Which engine runs it, e.g. `onnx-cpu`, `onnx-cuda`, `tfjs-wasm`. Valid after initialize(). */
  readonly engine: string;
  initialize(): Promise<void>;
  /**
   * One output per input vector, in order, all run as one batch: for a waveform model a mono
   * clip of `info.clipSamples` samples in [-1, 1]; for a symbolic model a phrase of piano-roll
   * probabilities. Each input has `inputSize(info)` values.
   */
  generate(latents: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
