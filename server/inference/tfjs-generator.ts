/**
 * The tfjs engine: runs a model's forward pass (its family's) on the best tfjs backend installed
 * (tfjs-backend.ts) or a forced one. wasm and cpu compute on the calling thread, so on the server
 * run this engine inside a WorkerGenerator.
 */
import * as tf from '@tensorflow/tfjs';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { TfjsForward } from '../families/family.js';
import { familyOf, modelInfo } from '../families/registry.js';
import { constantTensors } from '../families/tfjs-weights.js';
import { loadCheckpoint } from './checkpoint.js';
import { EngineGenerator } from './engine-generator.js';
import { notInitialized, packLatents, splitClips } from './latent-batch.js';
import { selectTfjsBackend, type TfjsBackendName } from './tfjs-backend.js';

const log = logger('engine');

export interface TfjsGeneratorOptions {
  /** Checkpoint folder, e.g. `models/wavegan-untrained`. */
  dir: string;
  /** Force a backend; left out, the best one installed. */
  backend?: TfjsBackendName;
}

export class TfjsGenerator extends EngineGenerator<TfjsGeneratorOptions> {
  #weights: Record<string, tf.Tensor> | undefined;
  #forward: TfjsForward | undefined;

  /** Cheap: nothing is read until `initialize()`. */
  constructor(options: TfjsGeneratorOptions) {
    super(options, 'tfjs');
  }

  async initialize(): Promise<void> {
    const started = performance.now();
    const backend = await selectTfjsBackend(this.options.backend);
    const { manifest, weights } = await loadCheckpoint(this.options.dir);
    this.#forward = await familyOf(manifest).loadTfjsForward();
    this.#weights = constantTensors(weights);
    this.loadedInfo = modelInfo(manifest);
    this.engineName = `tfjs-${backend}`;
    const ms = Math.round(performance.now() - started);
    log.info({ checkpoint: manifest.id, engine: this.engineName, ms }, 'tfjs model loaded');
  }

  async generate(latents: readonly Float32Array[]): Promise<Float32Array[]> {
    const weights = this.#weights;
    const forward = this.#forward;
    if (!weights || !forward || !this.loadedInfo) throw notInitialized(this.engineName);
    if (latents.length === 0) return [];
    const info = this.loadedInfo;
    const { id } = info;
    const size = info.inputSize;
    const inputs = packLatents(latents, size);
    const started = performance.now();
    let audio: tf.Tensor2D | undefined;
    try {
      audio = tf.tidy(() => forward(weights, tf.tensor2d(inputs, [latents.length, size]), info));
      const clips = splitClips((await audio.data()) as Float32Array, latents.length, info.outputSize);
      log.debug({ checkpoint: id, engine: this.engineName, batch: latents.length, ms: performance.now() - started }, 'generated');
      return clips;
    } catch (error) {
      if (error instanceof WavecastError) throw error;
      throw new WavecastError('WAVECAST_ERR_ENGINE', `${this.engineName} run failed for "${id}": ${String(error)}`, {
        cause: error,
      });
    } finally {
      audio?.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.#weights) tf.dispose(Object.values(this.#weights));
    this.#weights = undefined;
    this.#forward = undefined;
    this.loadedInfo = undefined;
  }
}
