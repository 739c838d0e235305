/**
 * Builds the Generator for a checkpoint on the engine asked for, on the calling thread. The
 * engine's module (and with it onnxruntime or tfjs) is imported only in `initialize()`, so
 * choosing onnx never loads tfjs and the other way round. For the server, wrap engines in a
 * WorkerGenerator (same options) so inference never blocks the event loop.
 */
import { WavecastError } from '../core/errors.js';
import type { Generator, ModelInfo } from './generator.js';
import { familyOf } from '../families/registry.js';
import { readCheckpointManifest } from './checkpoint.js';
import { notInitialized } from './latent-batch.js';
import type { TfjsBackendName } from './tfjs-backend.js';

export type EngineKind = 'onnx' | 'tfjs';

export interface CreateGeneratorOptions {
  /** Checkpoint folder, e.g. `models/wavegan-untrained`. */
  dir: string;
  /** onnxruntime (fast) or tfjs (best tfjs backend installed). */
  engine: EngineKind;
  /** onnx: intra-op threads (default: one per physical core). */
  threads?: number;
  /** onnx: execution providers to try (default: CUDA when installed, else CPU). */
  executionProviders?: readonly string[];
  /** tfjs: force a backend (default: the best installed). */
  backend?: TfjsBackendName;
}

/**
 * @example
 * const generator = createGenerator({ dir: 'models/wavegan-untrained', engine: 'onnx' });
 * await generator.initialize();
 * const [clip] = await generator.generate([new Float32Array(generator.info.latentDim)]);
 */
export function createGenerator(options: CreateGeneratorOptions): Generator {
  return new LazyEngineGenerator(options);
}

/** Imports and constructs the engine on `initialize()`, then forwards every call to it. */
class LazyEngineGenerator implements Generator {
  readonly #options: CreateGeneratorOptions;
  #engine: Generator | undefined;

  constructor(options: CreateGeneratorOptions) {
    this.#options = options;
  }

  get info(): ModelInfo {
    if (!this.#engine) throw notInitialized(this.#options.engine);
    return this.#engine.info;
  }

  get engine(): string {
    return this.#engine?.engine ?? this.#options.engine;
  }

  async initialize(): Promise<void> {
    const { dir, threads, executionProviders, backend } = this.#options;
    // A family without an ONNX export runs on tfjs whatever the engine asked for.
    const manifest = await readCheckpointManifest(dir); // the engine inspects the weights itself
    const engine = familyOf(manifest).onnx ? this.#options.engine : 'tfjs';
    let generator: Generator;
    switch (engine) {
      case 'onnx': {
        const { OnnxGenerator } = await import('./onnx-generator.js');
        generator = new OnnxGenerator({ dir, threads, executionProviders });
        break;
      }
      case 'tfjs': {
        const { TfjsGenerator } = await import('./tfjs-generator.js');
        generator = new TfjsGenerator({ dir, backend });
        break;
      }
      default:
        throw new WavecastError('WAVECAST_ERR_CONFIG', `unknown engine ${JSON.stringify(engine)}: use "onnx" or "tfjs"`);
    }
    await generator.initialize();
    this.#engine = generator;
  }

  async generate(latents: readonly Float32Array[]): Promise<Float32Array[]> {
    if (!this.#engine) throw notInitialized(this.#options.engine);
    return this.#engine.generate(latents);
  }

  async dispose(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.dispose();
  }
}
