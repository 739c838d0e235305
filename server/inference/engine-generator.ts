/**
 * What every engine behind the Generator interface shares: its options, the model's info once
 * `initialize()` has read it, and the engine's name. Subclasses set `loadedInfo` and `engineName`
 * in `initialize()` and clear `loadedInfo` in `dispose()`.
 */
import type { Generator, ModelInfo } from './generator.js';
import { notInitialized } from './latent-batch.js';

export abstract class EngineGenerator<Options> implements Generator {
  protected readonly options: Options;
  protected loadedInfo: ModelInfo | undefined;
  protected engineName: string;

  /** Cheap: nothing is read until `initialize()`. */
  constructor(options: Options, engineName: string) {
    this.options = options;
    this.engineName = engineName;
  }

  /** The model's clip format; throws WAVECAST_ERR_ENGINE before initialize() resolved. */
  get info(): ModelInfo {
    if (!this.loadedInfo) throw notInitialized(this.engineName);
    return this.loadedInfo;
  }

  /** Which engine runs the model, e.g. `onnx-cpu`, `tfjs-wasm` (final after initialize()). */
  get engine(): string {
    return this.engineName;
  }

  abstract initialize(): Promise<void>;
  abstract generate(latents: readonly Float32Array[]): Promise<Float32Array[]>;
  abstract dispose(): Promise<void>;
}
